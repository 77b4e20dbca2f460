import Foundation

/// Keys as the config file and the help write them: one character (`u`, `U`, `:`), or a name (`Enter`, `Esc`,
/// `Tab`, `Space`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`, `Home`, `End`, `Backspace`, `F1`–`F12`,
/// `Ctrl-L`).
enum KeyNames {
    static let named: [(String, Key)] = [
        ("Enter", .enter), ("Esc", .escape), ("Tab", .tab), ("Space", .char(" ")), ("Up", .up), ("Down", .down),
        ("Left", .left), ("Right", .right), ("PgUp", .pageUp), ("PgDn", .pageDown), ("Home", .home), ("End", .end),
        ("Backspace", .backspace), ("Delete", .delete), ("Shift-Tab", .backTab), ("Ctrl-L", .redraw),
    ]

    /// The key a name or a character means, or nil.
    static func parse(_ text: String) -> Key? {
        if text.count == 1, let c = text.first, !c.isWhitespace, !c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .char(c)
        }
        if let found = named.first(where: { $0.0.lowercased() == text.lowercased() }) { return found.1 }
        if text.uppercased().hasPrefix("F"), let n = Int(text.dropFirst()), (1...12).contains(n) { return .function(n) }
        return nil
    }

    /// How a key is written: the name `parse` takes.
    static func written(_ key: Key) -> String {
        if let found = named.first(where: { $0.1 == key }) { return found.0 == "Space" ? "space" : found.0 }
        switch key {
        case .char(let c): return String(c)
        case .function(let n): return "F\(n)"
        case .backTab: return "Shift-Tab"
        case .delete: return "Delete"
        default: return "?"
        }
    }
}

/// Something wrong in the config file, about one of its keys (the loader finds its line).
struct ConfigProblem: Error, Equatable {
    /// The TOML key it is about (its line is found from it), or nil for the file as a whole.
    var key: String?
    var message: String

    init(key: String?, _ message: String) {
        self.key = key
        self.message = message
    }
}
