

/// How one role looks.
public struct ThemeEntry: Equatable, Sendable {
    public var foreground: ThemeColor = .default
    public var background: ThemeColor = .default
    public var bold = false
    public var reverse = false
    public var underline = false

    public init(_ foreground: ThemeColor = .default, on background: ThemeColor = .default, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }
}
