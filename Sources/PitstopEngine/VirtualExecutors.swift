public import Foundation
import PitstopCore

/// Attempts run inside the engine's process on its clock: simulated executors only. For tests and the plan
/// preview, which run hours of schedule in milliseconds. A real engine uses `SupervisedExecutors`.
public struct VirtualExecutors: ExecutorFactory {
    /// In-process simulated attempts.
    public init() {}

    /// Starts a simulated attempt on the engine's clock; a command executor cannot run in-process.
    public func start(_ job: ExecutionJob, now: Date, stillWanted: () -> Bool) throws(AttemptError) -> (any Execution)? {
        guard stillWanted() else { return nil }
        guard case .simulated(let spec) = job.executor else {
            throw .spawn(program: "command executors", errno: ENOTSUP)
        }
        return SimulatedExecution(job: job, outcome: SimulatedOutcome(job: job, spec: spec), start: now)
    }

    /// Nothing to follow: an in-process attempt died with its engine.
    public func follow(_ job: ExecutionJob, now: Date) -> (any Execution)? { nil }
}
