

/// A key press or mouse event, decoded from the terminal.
enum Key: Equatable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    /// Ctrl-L: repaint the whole screen.
    case redraw
    case mouse(MouseEvent)
    case resize
}
