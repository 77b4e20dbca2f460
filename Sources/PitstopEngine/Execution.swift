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
    public var executor: ExecutorSpec

    /// The file an attempt's output is kept in, inside the store's `outputs/` folder.
    public static func outputFileName(taskID: String, resourceID: String, attempt: Int) -> String {
        let safe = { (s: String) in String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }) }
        return "\(safe(taskID))--\(safe(resourceID))--attempt\(attempt).log"
    }
}

/// Where a running attempt stands.
public enum ExecutionStatus: Sendable, Equatable {
    case running(progress: Int?, message: String?)
    case finished(success: Bool, message: String)
}

/// One running attempt. Polled by the engine's loop, never blocking it.
public protocol Execution: AnyObject {
    var job: ExecutionJob { get }
    /// The attempt's state at `now`; once `.finished`, it stays so.
    func poll(now: Date) -> ExecutionStatus
    /// Stops the attempt (for a shutdown): SIGTERM, then SIGKILL after a grace period.
    func cancel(now: Date)
    /// The last lines of output, oldest first.
    var outputTail: [String] { get }
}

/// Starts executions; the engine takes one so tests can supply their own.
public protocol ExecutorFactory {
    func start(_ job: ExecutionJob, now: Date) throws -> any Execution
}

/// The executors of the spec: simulated and command.
public struct StandardExecutors: ExecutorFactory {
    /// Where command output is kept, one file per attempt; nil keeps only the in-memory tail.
    public var outputDirectory: String?

    public init(outputDirectory: String? = nil) { self.outputDirectory = outputDirectory }

    /// Where a store keeps execution output.
    public static func outputDirectory(storeDirectory: String) -> String { storeDirectory + "/outputs" }

    /// Executors keeping output in the store's `outputs/` folder (created 0700), where every viewer finds it.
    public init(storeDirectory: String) {
        let outputs = Self.outputDirectory(storeDirectory: storeDirectory)
        try? FileManager.default.createDirectory(atPath: outputs, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        self.outputDirectory = outputs
    }

    public func start(_ job: ExecutionJob, now: Date) throws -> any Execution {
        switch job.executor {
        case .simulated(let spec): return SimulatedExecution(job: job, spec: spec, start: now)
        case .command(let spec): return try CommandExecution(job: job, spec: spec, start: now, outputDirectory: outputDirectory)
        }
    }
}
