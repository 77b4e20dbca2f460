public import Foundation

/// How the engine executes one resource of a task.
public enum ExecutorSpec: Sendable, Equatable {
    /// A stand-in execution for demos and tests: takes a while, fails at a rate, reports progress.
    case simulated(SimulatedExecutor)
    /// A real child process the operator supplies (Ansible, an SSH script, a cloud CLI).
    case command(CommandExecutor)

    /// Short name used in files and on screen: `simulated`, `command` or `runbook`.
    public var kind: String {
        switch self {
        case .simulated: return "simulated"
        case .command(let c): return c.runbook == nil ? "command" : "runbook"
        }
    }

    /// How long one attempt may take: the simulated duration with its jitter, or the command's timeout. What
    /// freeze checks and the plan preview take a run to last.
    public var expectedLength: TimeInterval {
        switch self {
        case .simulated(let s): s.durationSeconds * (1 + s.jitter)
        case .command(let c): c.timeoutSeconds
        }
    }

    /// The default executor of a task imported without one.
    public static let defaultSimulated = ExecutorSpec.simulated(SimulatedExecutor())
}
