public import PitstopCore

/// What a piece of screen means; a theme decides how each role looks. Views speak only in roles.
enum ColorRole: String, CaseIterable, Sendable {
    case text, dim, header, headerAccent, footer, footerKey, selection, border, title, badge, downtime, accent
    case error, warning, overlay, input
    case pending, reserved, inProgress = "in-progress", completed, failed, excluded

    /// The role of a resource status (roles are named after the statuses).
    static func status(_ status: ResourceStatus) -> ColorRole { ColorRole(rawValue: status.rawValue) ?? .text }

    /// The role of a task status.
    static func status(_ status: TaskStatus) -> ColorRole { ColorRole(rawValue: status.rawValue) ?? .text }

    /// One letter per role for golden colour maps.
    var letter: Character {
        let letters: [ColorRole: Character] = [
            .text: ".", .dim: "d", .header: "H", .headerAccent: "A", .footer: "F", .footerKey: "K", .selection: "S",
            .border: "b", .title: "T", .badge: "B", .downtime: "D", .accent: "a", .error: "E", .warning: "W",
            .overlay: "o", .input: "I", .pending: "p", .reserved: "r", .inProgress: "i", .completed: "c", .failed: "f",
            .excluded: "x",
        ]
        return letters[self] ?? "?"
    }
}
