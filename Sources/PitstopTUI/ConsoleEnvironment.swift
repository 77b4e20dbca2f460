public import Foundation
import PitstopEngine

/// What a console takes from the process around it — environment variables, the clock, the stop signals and
/// the terminal — injected, so that the whole loop (keys in, cells out, store writes) runs in a unit test.
public struct ConsoleEnvironment {
    /// The environment variables (`TERM`, `HOME`, `NO_COLOR`, `PITSTOP_THEME`).
    public var variables: [String: String]
    /// The clock.
    public var now: () -> Date
    /// Asked every turn of the loop: SIGINT, SIGTERM or SIGHUP arrived.
    var stopRequested: () -> Bool
    /// Opens the terminal with a theme, colours off when the flag says so.
    var makeTerminal: (Theme, _ noColor: Bool) throws -> any TerminalBackend

    /// The real process: its environment, the wall clock, its stop signals, and ncurses on its terminal.
    public static func process() -> ConsoleEnvironment {
        let variables = ProcessInfo.processInfo.environment
        let signals = SignalFlag([SIGINT, SIGTERM, SIGHUP])
        return ConsoleEnvironment(
            variables: variables, now: { Date() }, stopRequested: { signals.received != nil },
            makeTerminal: { theme, noColor in try NcursesTerminal(theme: theme, noColor: noColor, environment: variables) })
    }
}
