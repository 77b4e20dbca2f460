import Foundation
import PitstopCore

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
