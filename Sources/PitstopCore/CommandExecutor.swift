import Foundation

/// Parameters of the command executor: an argv run without a shell.
public struct CommandExecutor: Sendable, Equatable {
    /// Allowed timeouts in seconds, for import and for every read of a stored task: a second to a week.
    public static let timeoutRange: ClosedRange<Double> = 1...604_800

    /// The program and its arguments; values of the resource reach it only through the environment.
    public var argv: [String]
    /// Working directory, or nil for the daemon's own.
    public var workingDirectory: String?
    /// Seconds before the process group gets SIGTERM.
    public var timeoutSeconds: Double

    /// A command executor; the timeout defaults to 30 minutes.
    public init(argv: [String], workingDirectory: String? = nil, timeoutSeconds: Double = 1800) {
        self.argv = argv
        self.workingDirectory = workingDirectory
        self.timeoutSeconds = timeoutSeconds
    }
}
