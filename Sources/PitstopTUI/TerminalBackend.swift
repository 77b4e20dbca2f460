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

/// Why a terminal could not be opened.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    case noTerminalType
    case unusable(type: String)
    case unknown(type: String)

    public var description: String {
        switch self {
        case .noTerminalType: return "TERM is not set, so the terminal's type is unknown"
        case .unusable(let type): return "the terminal type \"\(type)\" cannot place text on the screen"
        case .unknown(let type): return "the terminal type \"\(type)\" is unknown to ncurses (no terminfo entry)"
        }
    }
}
