public import Foundation
import PitstopCore

/// Starts and follows attempts; the engine takes one so that tests and the plan preview can run attempts
/// in-process on a virtual clock.
public protocol ExecutorFactory {
    /// Starts `job` (its start is already written to the store). `stillWanted` is asked once the machine is
    /// locked for it, so that an attempt an operator cancelled meanwhile never runs.
    func start(_ job: ExecutionJob, now: Date, stillWanted: () -> Bool) throws(AttemptError) -> (any Execution)?
    /// Follows an attempt a previous engine started, or nil when this factory cannot (in-process attempts die
    /// with their engine: they never ran as far as the machine is concerned).
    func follow(_ job: ExecutionJob, now: Date) -> (any Execution)?
    /// Starts several jobs (a tick's due batch), each as `start` would, with `stillWanted` asked per job;
    /// the results come in the jobs' order. A factory may start them side by side.
    func startAll(_ jobs: [ExecutionJob], now: Date, stillWanted: (ExecutionJob) -> Bool) -> [Result<(any Execution)?, AttemptError>]
}

extension ExecutorFactory {
    /// One after the other.
    public func startAll(_ jobs: [ExecutionJob], now: Date, stillWanted: (ExecutionJob) -> Bool) -> [Result<(any Execution)?, AttemptError>] {
        jobs.map { job in Result { () throws(AttemptError) in try start(job, now: now) { stillWanted(job) } } }
    }
}
