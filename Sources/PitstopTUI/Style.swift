import PitstopCore

/// A role plus emphasis. `selected` draws the role over the selection background, `raised` over an
/// overlay's; a role whose own background is the default takes the surface it is drawn on.
struct Style: Equatable, Hashable, Sendable {
    var role: ColorRole
    var bold: Bool
    var selected: Bool
    var raised: Bool

    init(_ role: ColorRole = .text, bold: Bool = false, selected: Bool = false, raised: Bool = false) {
        self.role = role
        self.bold = bold
        self.selected = selected
        self.raised = raised
    }

    static let plain = Style()
}
