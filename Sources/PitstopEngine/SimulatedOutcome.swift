import Foundation
import PitstopCore

/// How a simulated attempt goes, decided by the task's seed, the resource and the attempt, so that a demo
/// or a test replays exactly.
struct SimulatedOutcome {
    let duration: TimeInterval
    let succeeds: Bool
    let label: String

    init(job: ExecutionJob, spec: SimulatedExecutor) {
        var seed = spec.seed ^ UInt64(job.attempt) &* 0x9E37_79B9
        for byte in job.resourceID.utf8 { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var rng = SeededGenerator(seed: seed)
        let jitter = spec.jitter > 0 ? Double.random(in: -spec.jitter...spec.jitter, using: &rng) : 0
        duration = max(0, spec.durationSeconds * (1 + jitter))
        succeeds = Double.random(in: 0..<1, using: &rng) >= spec.failureRate
        label = job.taskType.label
    }

    var finalMessage: String {
        succeeds ? "SIM: \(label) finished in \(Int(duration))s" : "SIM: simulated failure after \(Int(duration))s"
    }

    func progressMessage(_ percent: Int) -> String { "SIM: \(label) \(percent)%" }
}
