import Foundation

/// Parameters of the command executor: an argv run without a shell, or a runbook — a program the store's owner
/// put in `STORE/runbooks/`, named rather than given, so that any member of a team store may use it.
public struct CommandExecutor: Sendable, Equatable {
    /// Allowed timeouts in seconds, for import and for every read of a stored task: a second to a week.
    public static let timeoutRange: ClosedRange<Double> = 1...604_800

    /// The program and its arguments; values of the resource reach it only through the environment. Empty
    /// for a runbook.
    public var argv: [String]
    /// The name of the runbook to run (a file in `STORE/runbooks/`), or nil for a raw `argv`.
    public var runbook: String?
    /// Working directory, or nil for the daemon's own.
    public var workingDirectory: String?
    /// Seconds before the process group gets SIGTERM.
    public var timeoutSeconds: Double

    /// A command executor; the timeout defaults to 30 minutes.
    public init(argv: [String], runbook: String? = nil, workingDirectory: String? = nil, timeoutSeconds: Double = 1800) {
        self.argv = argv
        self.runbook = runbook
        self.workingDirectory = workingDirectory
        self.timeoutSeconds = timeoutSeconds
    }

    /// Whether `name` can name a runbook: letters, digits, `.`, `_` and `-`, not starting with `.`, at most 100
    /// bytes. It is a file name inside `STORE/runbooks/`, never a path.
    public static func isRunbookName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 100, !name.hasPrefix(".") else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }
}
