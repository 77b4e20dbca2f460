import Foundation
import PitstopCore

/// A stand-in attempt whose duration and outcome follow from the task's seed, the resource and the attempt,
/// so that a demo or a test replays exactly. Progress is a function of the clock: no thread, no timer.
public final class SimulatedExecution: Execution {
    public let job: ExecutionJob
    let start: Date
    let duration: TimeInterval
    let succeeds: Bool
    private var cancelled = false

    init(job: ExecutionJob, spec: SimulatedExecutor, start: Date) {
        self.job = job
        self.start = start
        var seed = spec.seed ^ UInt64(job.attempt) &* 0x9E37_79B9
        for byte in job.resourceID.utf8 { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var rng = SeededGenerator(seed: seed)
        let jitter = spec.jitter > 0 ? Double.random(in: -spec.jitter...spec.jitter, using: &rng) : 0
        duration = max(0, spec.durationSeconds * (1 + jitter))
        succeeds = Double.random(in: 0..<1, using: &rng) >= spec.failureRate
    }

    public func poll(now: Date) -> ExecutionStatus {
        if cancelled { return .finished(success: false, message: "interrupted: the engine shut down during the attempt") }
        let elapsed = now.timeIntervalSince(start)
        if elapsed >= duration {
            return succeeds
                ? .finished(success: true, message: "SIM: \(job.taskType.label) finished in \(Int(duration))s")
                : .finished(success: false, message: "SIM: simulated failure after \(Int(duration))s")
        }
        let progress = duration > 0 ? Int(elapsed / duration * 100) : 100
        return .running(progress: progress, message: "SIM: \(job.taskType.label) \(progress)%")
    }

    public func cancel(now: Date) { cancelled = true }

    public var outputTail: [String] { ["SIM: simulated \(job.taskType.label) of \(job.resourceName), attempt \(job.attempt)"] }
}
