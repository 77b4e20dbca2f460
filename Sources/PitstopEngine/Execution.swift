import Foundation
import PitstopCore

/// What one attempt runs against: the resource and how.
public struct ExecutionJob: Sendable, Equatable {
    public var taskID: String
    public var resourceID: String
    public var resourceName: String
    public var taskType: TaskType
    public var service: Service
    /// 1 for the first attempt.
    public var attempt: Int
    /// The attempt's id in the store (`Resource.attemptID`): it names the record and output files.
    public var attemptID: UInt64
    public var executor: ExecutorSpec

    public init(
        taskID: String, resourceID: String, resourceName: String, taskType: TaskType, service: Service, attempt: Int,
        attemptID: UInt64, executor: ExecutorSpec
    ) {
        self.taskID = taskID
        self.resourceID = resourceID
        self.resourceName = resourceName
        self.taskType = taskType
        self.service = service
        self.attempt = attempt
        self.attemptID = attemptID
        self.executor = executor
    }

    /// The job of the current attempt of `resource`.
    public init(task: MaintenanceTask, resource: Resource) {
        self.init(
            taskID: task.id, resourceID: resource.id, resourceName: resource.name, taskType: task.type, service: task.service,
            attempt: max(resource.attempts, 1), attemptID: resource.attemptID ?? 0, executor: task.executor)
    }

    /// The variables the command finds in its environment; values reach it only this way, never in its argv.
    public var environment: [String: String] {
        [
            "PITSTOP_TASK_ID": taskID, "PITSTOP_RESOURCE_ID": resourceID, "PITSTOP_RESOURCE_NAME": resourceName,
            "PITSTOP_TASK_TYPE": taskType.rawValue, "PITSTOP_SERVICE": service.rawValue, "PITSTOP_ATTEMPT": String(attempt),
            "PITSTOP_ATTEMPT_ID": String(attemptID),
        ]
    }
}

/// Where an attempt stands.
public enum ExecutionStatus: Sendable, Equatable {
    case running(progress: Int?, message: String?)
    case finished(success: Bool, message: String)
    /// An operator stopped it; the execution fails and is not retried.
    case cancelled(by: String)
    /// The command never started (its supervisor died first, or was never spawned): start it again.
    case neverStarted
    /// The supervisor died after starting the command: how it ended is unknown.
    case lost
}

/// One attempt, followed by the engine's loop without ever blocking it.
public protocol Execution: AnyObject {
    var job: ExecutionJob { get }
    /// The attempt's state at `now`; once it has ended, it stays so.
    func poll(now: Date) -> ExecutionStatus
}

/// Starts and follows attempts; the engine takes one so that tests and the plan preview can run attempts
/// in-process on a virtual clock.
public protocol ExecutorFactory {
    /// Starts `job` (its start is already written to the store). `stillWanted` is asked once the machine is
    /// locked for it, so that an attempt an operator cancelled meanwhile never runs.
    func start(_ job: ExecutionJob, now: Date, stillWanted: () -> Bool) throws(AttemptError) -> (any Execution)?
    /// Follows an attempt a previous engine started, or nil when this factory cannot (in-process attempts die
    /// with their engine: they never ran as far as the machine is concerned).
    func follow(_ job: ExecutionJob, now: Date) -> (any Execution)?
}

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
