

/// Why a terminal could not be opened.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    case noTerminalType
    case unusable(type: String)
    case unknown(type: String)

    /// The problem in one sentence, without advice (the command line adds what to do).
    public var description: String {
        switch self {
        case .noTerminalType: return "TERM is not set, so the terminal's type is unknown"
        case .unusable(let type): return "the terminal type \"\(type)\" cannot place text on the screen"
        case .unknown(let type): return "the terminal type \"\(type)\" is unknown to ncurses (no terminfo entry)"
        }
    }
}
