import PitstopText

/// The frame views render into: a grid of cells the backend flushes to the terminal, or tests read as text.
struct CellBuffer: Equatable, Sendable {
    let width: Int
    let height: Int
    private(set) var cells: [Cell]

    init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Fills a rectangle with spaces in a style.
    mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style) {
        let start = max(0, x)
        let end = min(width, x + w)
        guard start < end else { return }
        for row in max(0, y)..<min(height, y + h) {
            splitWideCharacter(row: row, at: start)
            for column in start..<end {
                cells[row * width + column] = Cell(character: " ", style: style, isContinuation: false)
            }
            splitWideCharacter(row: row, at: end)
        }
    }

    /// The edges of a write: a wide character that a write cuts in half becomes a blank in the half left
    /// standing, so no cell claims a neighbour it no longer has. Without this a border drawn over an emoji's
    /// right half leaves its left half, which the terminal draws two columns wide over the border, and the
    /// screen shows what no frame holds. Called with the first column before writing (the wide character's
    /// left half, outside, goes) and with the column after the last one after writing (a right half whose left
    /// half was overwritten goes).
    private mutating func splitWideCharacter(row: Int, at column: Int) {
        guard column > 0, column < width else { return }
        let index = row * width + column
        guard cells[index].isContinuation else { return }
        cells[index] = Cell(character: " ", style: cells[index].style, isContinuation: false)
        if !cells[index - 1].isContinuation && DisplayWidth.of(cells[index - 1].character) == 2 {
            cells[index - 1] = Cell(character: " ", style: cells[index - 1].style, isContinuation: false)
        }
    }

    /// Writes text at (x, y), clipped to `maxWidth` columns (and the buffer), never splitting a wide character.
    /// Control characters and escape sequences are made visible, so a name cannot drive the terminal.
    /// Returns the column after the last one written.
    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        if column >= 0 && column < limit { splitWideCharacter(row: y, at: column) }
        defer { if column > max(0, x) { splitWideCharacter(row: y, at: column) } }
        // Printable ASCII, the common case: one column per byte, nothing to sanitize.
        if DisplayWidth.isPrintableASCII(text) {
            for byte in text.utf8 {
                if column >= limit { break }
                if column >= 0 {
                    cells[y * width + column] = Cell(character: Character(Unicode.Scalar(byte)), style: layered(style, at: y * width + column), isContinuation: false)
                }
                column += 1
            }
            return column
        }
        for character in DisplayWidth.sanitized(text) {
            let w = DisplayWidth.of(character)
            if w == 0 { continue }
            if column + w > limit { break }
            if column >= 0 {
                let look = layered(style, at: y * width + column)
                cells[y * width + column] = Cell(character: character, style: look, isContinuation: false)
                if w == 2 { cells[y * width + column + 1] = Cell(character: " ", style: look, isContinuation: true) }
            }
            column += w
        }
        return column
    }

    /// Text takes the surface it is written on: a selected row or an overlay stays one colour.
    private func layered(_ style: Style, at index: Int) -> Style {
        var look = style
        let beneath = cells[index].style
        look.selected = look.selected || beneath.selected
        look.raised = look.raised || beneath.raised
        return look
    }

    /// Writes text fitted to exactly `width` columns (truncated with … or padded).
    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, width w: Int, style: Style = .plain, alignRight: Bool = false) -> Int {
        put(DisplayWidth.fit(DisplayWidth.sanitized(text), to: w, alignRight: alignRight), x: x, y: y, style: style, maxWidth: w)
        return x + w
    }

    /// Writes a name fitted to exactly `width` columns, cut in the middle so that its distinguishing end stays
    /// (`payments-…-replica1`).
    @discardableResult
    mutating func put(name text: String, x: Int, y: Int, width w: Int, style: Style = .plain) -> Int {
        put(DisplayWidth.fitMiddle(DisplayWidth.sanitized(text), to: w), x: x, y: y, style: style, maxWidth: w)
        return x + w
    }

    /// Restyles the cells of a row range (e.g. to mark a selection) keeping their characters.
    mutating func restyle(y: Int, from x: Int, to end: Int, _ change: (inout Style) -> Void) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, end) { change(&cells[y * width + column].style) }
    }

    /// Marks where `needle` (lower-cased) appears in a row range, case-insensitively: the filter's matches.
    mutating func highlight(_ needle: String, y: Int, from x: Int, to end: Int) {
        guard !needle.isEmpty, y >= 0, y < height else { return }
        let wanted = Array(needle)
        var columns: [Int] = []
        var characters: [Character] = []
        columns.reserveCapacity(end - x)
        characters.reserveCapacity(end - x)
        for column in max(0, x)..<min(width, end) where !cells[y * width + column].isContinuation {
            let character = cells[y * width + column].character
            // Most of a row is ASCII: lower-cased without making a string.
            if let ascii = character.asciiValue {
                columns.append(column)
                characters.append(Character(Unicode.Scalar(ascii >= 65 && ascii <= 90 ? ascii + 32 : ascii)))
                continue
            }
            for lowered in String(character).lowercased() {
                columns.append(column)
                characters.append(lowered)
            }
        }
        guard characters.count >= wanted.count else { return }
        var start = 0
        while start + wanted.count <= characters.count {
            if characters[start..<(start + wanted.count)].elementsEqual(wanted) {
                let last = columns[start + wanted.count - 1]
                restyle(y: y, from: columns[start], to: last + 1 + (last + 1 < width && cells[y * width + last + 1].isContinuation ? 1 : 0)) {
                    $0.role = .accent
                    $0.bold = true
                }
                start += wanted.count
            } else {
                start += 1
            }
        }
    }

    /// The screen as text, one line per row, trailing spaces trimmed: what golden tests compare.
    var text: String {
        (0..<height).map { row -> String in
            var line = ""
            for column in 0..<width where !self[column, row].isContinuation { line.append(self[column, row].character) }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// One letter per cell naming its role (upper case when selected), for golden colour maps.
    var colorMap: String {
        (0..<height).map { row -> String in
            String((0..<width).map { column -> Character in
                let style = self[column, row].style
                return style.selected ? Character(String(style.role.letter).uppercased()) : style.role.letter
            })
        }.joined(separator: "\n")
    }
}
