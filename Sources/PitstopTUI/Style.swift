import PitstopCore

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
