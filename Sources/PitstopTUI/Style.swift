import PitstopCore

/// What a piece of screen means; a theme decides how each role looks. Views speak only in roles.
public enum ColorRole: String, CaseIterable, Sendable {
    case text, dim, header, headerAccent, footer, footerKey, selection, border, title, badge, downtime, accent
    case error, warning, overlay, input
    case pending, reserved, inProgress = "in-progress", completed, failed, excluded

    /// The role of a resource status (roles are named after the statuses).
    public static func status(_ status: ResourceStatus) -> ColorRole { ColorRole(rawValue: status.rawValue) ?? .text }

    /// The role of a task status.
    public static func status(_ status: TaskStatus) -> ColorRole { ColorRole(rawValue: status.rawValue) ?? .text }

    /// One letter per role for golden colour maps.
    public var letter: Character {
        let letters: [ColorRole: Character] = [
            .text: ".", .dim: "d", .header: "H", .headerAccent: "A", .footer: "F", .footerKey: "K", .selection: "S",
            .border: "b", .title: "T", .badge: "B", .downtime: "D", .accent: "a", .error: "E", .warning: "W",
            .overlay: "o", .input: "I", .pending: "p", .reserved: "r", .inProgress: "i", .completed: "c", .failed: "f",
            .excluded: "x",
        ]
        return letters[self] ?? "?"
    }
}

/// A role plus emphasis. `selected` draws the role over the selection background, `raised` over an
/// overlay's; a role whose own background is the default takes the surface it is drawn on.
public struct Style: Equatable, Hashable, Sendable {
    public var role: ColorRole
    public var bold: Bool
    public var selected: Bool
    public var raised: Bool

    public init(_ role: ColorRole = .text, bold: Bool = false, selected: Bool = false, raised: Bool = false) {
        self.role = role
        self.bold = bold
        self.selected = selected
        self.raised = raised
    }

    public static let plain = Style()
}

/// Status words and symbols, so that status is never told by colour alone.
public enum StatusGlyph {
    public static func symbol(_ status: ResourceStatus) -> String {
        switch status {
        case .pending: return "○"
        case .reserved: return "◷"
        case .inProgress: return "▶"
        case .completed: return "✔"
        case .failed: return "✘"
        case .excluded: return "⊘"
        }
    }

    /// A task status shares the symbol of the resource status of the same name.
    public static func symbol(_ status: TaskStatus) -> String {
        ResourceStatus(rawValue: status.rawValue).map(symbol) ?? "?"
    }
}
