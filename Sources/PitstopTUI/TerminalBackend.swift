

/// What the console and watch loops need from a terminal, so that a loop runs the same against ncurses
/// (`NcursesTerminal`) and against a headless test terminal (`HeadlessTerminal`).
protocol TerminalBackend: AnyObject {
    var size: (width: Int, height: Int) { get }
    /// A descriptor that becomes readable when input waits (what the loop's follower waits on).
    var inputDescriptor: Int32 { get }
    /// Shows a frame.
    func draw(_ buffer: CellBuffer)
    /// Every key waiting, without blocking.
    func readKeys() -> [Key]
    /// Switches the colours to a theme; the next frame repaints everything.
    func apply(_ theme: Theme)
    /// Gives the terminal back; safe to call twice.
    func end()
}
