/// A cell buffer as plain lines with SGR colour escapes, for `watch --once --color`.
enum AnsiText {
    static func render(_ buffer: CellBuffer, theme: Theme, lines: Int) -> String {
        var output = ""
        for y in 0..<min(lines, buffer.height) {
            var current: Style?
            var line = ""
            for x in 0..<buffer.width where !buffer[x, y].isContinuation {
                let cell = buffer[x, y]
                if cell.style != current {
                    line += sgr(cell.style, theme)
                    current = cell.style
                }
                line.append(cell.character)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            output += line + "\u{1B}[0m\n"
        }
        return output
    }

    static func sgr(_ style: Style, _ theme: Theme) -> String {
        let entry = theme[style.role]
        var codes = ["0"]
        if entry.bold || style.bold { codes.append("1") }
        if entry.underline { codes.append("4") }
        if entry.reverse { codes.append("7") }
        let fg = Palette.resolve(entry.foreground, colors: 256)
        if fg >= 0 { codes.append("38;5;\(fg)") }
        let background = style.selected ? theme[.selection].background : entry.background
        let bg = Palette.resolve(background, colors: 256)
        if bg >= 0 { codes.append("48;5;\(bg)") }
        return "\u{1B}[\(codes.joined(separator: ";"))m"
    }
}
