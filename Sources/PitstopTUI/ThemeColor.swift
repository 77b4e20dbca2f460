

/// A colour as a theme file writes it.
enum ThemeColor: Equatable, Sendable {
    /// The terminal's own foreground or background.
    case `default`
    /// A palette index, 0–255 (0–7 the basic colours, 8–15 bright).
    case index(Int)
    case rgb(UInt8, UInt8, UInt8)

    static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "gray": 8, "grey": 8, "bright-black": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]
}
