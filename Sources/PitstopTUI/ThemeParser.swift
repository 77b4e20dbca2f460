import Foundation

/// Why a theme file was not used; the UI shows it and falls back to the default.
package struct ThemeError: Error, Equatable, CustomStringConvertible {
    var file: String
    package var line: Int
    var reason: String
    package var description: String { "\(file):\(line): \(reason)" }
}

/// Reads theme files: `role = foreground [on background] [bold] [reverse] [underline]`, `#` comments.
/// Colours are names (`red`, `bright-blue`), palette indexes (`0`–`255`), `#rrggbb`, or `default`.
/// Roles not written keep the default theme's look.
package enum ThemeParser {
    package static func parse(_ text: String, name: String, file: String) throws(ThemeError) -> Theme {
        var theme = Theme.builtIn
        theme.name = name
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(rawLine))
            if line.isEmpty { continue }
            let fail = { (reason: String) in ThemeError(file: file, line: number + 1, reason: reason) }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw fail("expected `role = colour`, found \"\(line)\"") }
            guard let role = ColorRole(rawValue: parts[0]) else {
                throw fail("unknown role \"\(parts[0])\"; roles are \(ColorRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var words = parts[1].split(separator: " ").map { $0.lowercased() }
            var entry = ThemeEntry()
            for flag in ["bold", "reverse", "underline"] where words.contains(flag) {
                words.removeAll { $0 == flag }
                switch flag {
                case "bold": entry.bold = true
                case "reverse": entry.reverse = true
                default: entry.underline = true
                }
            }
            guard let first = words.first else { throw fail("\(role.rawValue) has no colour") }
            guard let fg = color(first) else { throw fail("\"\(first)\" is not a colour (a name, 0-255, #rrggbb or default)") }
            entry.foreground = fg
            if words.count >= 2 {
                guard words.count == 3, words[1] == "on" else { throw fail("write `foreground on background`, found \"\(parts[1])\"") }
                guard let bg = color(words[2]) else { throw fail("\"\(words[2])\" is not a colour (a name, 0-255, #rrggbb or default)") }
                entry.background = bg
            }
            theme.entries[role] = entry
        }
        return theme
    }

    /// The line without its comment: `#` starts one unless it begins a `#rrggbb` colour.
    static func stripComment(_ line: String) -> String {
        var kept: [Substring] = []
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if word.hasPrefix("#") && !(word.count == 7 && UInt32(word.dropFirst(), radix: 16) != nil) { break }
            kept.append(word)
        }
        return kept.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    static func color(_ word: String) -> ThemeColor? {
        if word == "default" { return .default }
        if let index = ThemeColor.names[word] { return .index(index) }
        if let index = Int(word), (0...255).contains(index) { return .index(index) }
        if word.hasPrefix("#"), word.count == 7, let value = UInt32(word.dropFirst(), radix: 16) {
            return .rgb(UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
        }
        return nil
    }

    /// The largest theme file read.
    static let maximumBytes = 256 * 1024

    /// Loads a theme by name (a file in one of `directories`) or by path. On any problem returns the
    /// default theme and the error to show.
    static func load(_ nameOrPath: String, directories: [String]) -> (Theme, ThemeError?) {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme")
        let candidates = isPath ? [nameOrPath] : directories.map { "\($0)/\(nameOrPath)" }
        guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            return (.builtIn, ThemeError(file: nameOrPath, line: 0, reason: "no such theme (looked in \(candidates.joined(separator: ", ")))"))
        }
        // Only a regular file of sensible size: `--theme /dev/zero` or a FIFO must not hang or eat memory.
        let attributes = try? FileManager.default.attributesOfItem(atPath: file)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else {
            return (.builtIn, ThemeError(file: file, line: 0, reason: "is not a regular file"))
        }
        guard let size = attributes?[.size] as? Int, size <= maximumBytes else {
            return (.builtIn, ThemeError(file: file, line: 0, reason: "is larger than \(maximumBytes / 1024) KB; a theme is a few dozen lines"))
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            return (.builtIn, ThemeError(file: file, line: 0, reason: "cannot be read"))
        }
        do {
            let name = isPath ? ((nameOrPath as NSString).lastPathComponent as NSString).deletingPathExtension : nameOrPath
            return (try parse(String(decoding: data, as: UTF8.self), name: name, file: file), nil)
        } catch {
            return (.builtIn, error)
        }
    }

    /// Theme names found in `directories`, sorted, for the `t` key to cycle through.
    static func available(in directories: [String]) -> [String] {
        var names = Set<String>()
        for directory in directories {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !entry.hasPrefix(".") && !entry.hasSuffix(".md") {
                names.insert(entry)
            }
        }
        return names.sorted { $0 == "default" ? true : $1 == "default" ? false : $0 < $1 }
    }
}
