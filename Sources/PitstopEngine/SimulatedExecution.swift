import Foundation
import PitstopCore

/// Attempts run inside the engine's process on its clock: simulated executors only. For tests and the plan
/// preview, which run hours of schedule in milliseconds. A real engine uses `SupervisedExecutors`.
public struct VirtualExecutors: ExecutorFactory {
    public init() {}

    public func start(_ job: ExecutionJob, now: Date, stillWanted: () -> Bool) throws(AttemptError) -> (any Execution)? {
        guard stillWanted() else { return nil }
        guard case .simulated(let spec) = job.executor else {
            throw .spawn(program: "command executors", errno: ENOTSUP)
        }
        return SimulatedExecution(job: job, outcome: SimulatedOutcome(job: job, spec: spec), start: now)
    }

    public func follow(_ job: ExecutionJob, now: Date) -> (any Execution)? { nil }
}

/// An in-process simulated attempt: progress is a function of the clock, no thread, no timer.
final class SimulatedExecution: Execution {
    let job: ExecutionJob
    let outcome: SimulatedOutcome
    let start: Date

    init(job: ExecutionJob, outcome: SimulatedOutcome, start: Date) {
        self.job = job
        self.outcome = outcome
        self.start = start
    }

    func poll(now: Date) -> ExecutionStatus {
        let elapsed = now.timeIntervalSince(start)
        if elapsed >= outcome.duration { return .finished(success: outcome.succeeds, message: outcome.finalMessage) }
        let progress = outcome.duration > 0 ? Int(elapsed / outcome.duration * 100) : 100
        return .running(progress: progress, message: outcome.progressMessage(progress))
    }
}
