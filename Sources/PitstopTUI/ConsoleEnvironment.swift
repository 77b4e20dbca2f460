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
    /// Asked every turn of the loop: Ctrl-Z was pressed (the request is taken by asking).
    var suspendRequested: () -> Bool = { false }
    /// Stops the process until it is continued (`fg`); the loop has given up the engine and the terminal first.
    var suspendProcess: () -> Void = {}
    /// Descriptors that wake the loop when a request arrives (Ctrl-Z's pipe).
    var wakeDescriptors: [Int32] = []

    /// The real process: its environment, the wall clock, its stop signals, and ncurses on its terminal.
    public static func process() -> ConsoleEnvironment {
        let variables = ProcessInfo.processInfo.environment
        let signals = SignalFlag([SIGINT, SIGTERM, SIGHUP])
        let suspend = SuspendSignal()
        return ConsoleEnvironment(
            variables: variables, now: { Date() }, stopRequested: { signals.received != nil },
            makeTerminal: { theme, noColor in try NcursesTerminal(theme: theme, noColor: noColor, environment: variables) },
            suspendRequested: { suspend.take() }, suspendProcess: { suspend.stopProcess() }, wakeDescriptors: [suspend.descriptor])
    }
}
