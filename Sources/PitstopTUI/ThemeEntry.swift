

/// How one role looks.
struct ThemeEntry: Equatable, Sendable {
    var foreground: ThemeColor = .default
    var background: ThemeColor = .default
    var bold = false
    var reverse = false
    var underline = false

    init(_ foreground: ThemeColor = .default, on background: ThemeColor = .default, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }
}
