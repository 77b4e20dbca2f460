import Foundation

/// How the engine executes one resource of a task.
public enum ExecutorSpec: Sendable, Equatable {
    /// A stand-in execution for demos and tests: takes a while, fails at a rate, reports progress.
    case simulated(SimulatedExecutor)
    /// A real child process the operator supplies (Ansible, an SSH script, a cloud CLI).
    case command(CommandExecutor)

    /// Short name used in files and on screen: `simulated` or `command`.
    public var kind: String {
        switch self {
        case .simulated: return "simulated"
        case .command: return "command"
        }
    }

    /// The default executor of a task imported without one.
    public static let defaultSimulated = ExecutorSpec.simulated(SimulatedExecutor())
}

/// Parameters of the simulated executor.
public struct SimulatedExecutor: Sendable, Equatable {
    /// Allowed durations in seconds, for import and for every read of a stored task: up to a day.
    public static let durationRange: ClosedRange<Double> = 0...86_400
    /// Allowed jitter and failure rate.
    public static let fractionRange: ClosedRange<Double> = 0...1

    /// Mean duration of one attempt in seconds.
    public var durationSeconds: Double
    /// Fraction of the duration by which an attempt may vary, 0–1.
    public var jitter: Double
    /// Probability that an attempt fails, 0–1.
    public var failureRate: Double
    /// Seed of the generator that decides durations and failures, for reproducible demos.
    public var seed: UInt64

    public init(durationSeconds: Double = 5, jitter: Double = 0.2, failureRate: Double = 0, seed: UInt64 = 0) {
        self.durationSeconds = durationSeconds
        self.jitter = jitter
        self.failureRate = failureRate
        self.seed = seed
    }
}

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

    public init(argv: [String], workingDirectory: String? = nil, timeoutSeconds: Double = 1800) {
        self.argv = argv
        self.workingDirectory = workingDirectory
        self.timeoutSeconds = timeoutSeconds
    }
}
