import CPitstopSpawn
import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// Why a command could not be started.
public struct ExecutionStartError: Error, CustomStringConvertible {
    public var description: String
}

/// One attempt as a real child process: argv without a shell, the resource's values only in `PITSTOP_*`
/// environment variables, its own process group so that a timeout stops the whole tree.
public final class CommandExecution: Execution {
    /// Time between SIGTERM and SIGKILL when an attempt times out or is cancelled.
    public static let killGrace: TimeInterval = 5

    public let job: ExecutionJob
    let pid: pid_t
    let start: Date
    let timeout: TimeInterval
    private let output: OutputCollector
    private var terminatedAt: Date?
    private var terminationReason: String?
    private var outcome: ExecutionStatus?

    init(job: ExecutionJob, spec: CommandExecutor, start: Date, outputDirectory: String?) throws {
        self.job = job
        self.start = start
        self.timeout = spec.timeoutSeconds
        var environment = ProcessInfo.processInfo.environment
        environment["PITSTOP_TASK_ID"] = job.taskID
        environment["PITSTOP_RESOURCE_ID"] = job.resourceID
        environment["PITSTOP_RESOURCE_NAME"] = job.resourceName
        environment["PITSTOP_TASK_TYPE"] = job.taskType.rawValue
        environment["PITSTOP_SERVICE"] = job.service.rawValue
        environment["PITSTOP_ATTEMPT"] = String(job.attempt)

        var fds: [Int32] = [0, 0]
        guard pitstop_pipe_cloexec(&fds) == 0 else {
            throw ExecutionStartError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        var logPath: String?
        if let outputDirectory {
            logPath = "\(outputDirectory)/" + ExecutionJob.outputFileName(taskID: job.taskID, resourceID: job.resourceID, attempt: job.attempt)
        }
        var childPID: pid_t = 0
        let result = Self.spawn(argv: spec.argv, environment: environment.map { "\($0.key)=\($0.value)" }, cwd: spec.workingDirectory, outputFD: fds[1], pid: &childPID)
        close(fds[1])
        guard result == 0 else {
            close(fds[0])
            throw ExecutionStartError(description: "cannot start \(spec.argv[0]): \(String(cString: strerror(result)))")
        }
        pid = childPID
        output = OutputCollector(readFD: fds[0], logPath: logPath)
    }

    private static func spawn(argv: [String], environment: [String], cwd: String?, outputFD: Int32, pid: inout pid_t) -> Int32 {
        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup($0) } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        return cArgv.map { UnsafePointer($0) }.withUnsafeBufferPointer { argvBuffer in
            cEnv.map { UnsafePointer($0) }.withUnsafeBufferPointer { envBuffer in
                if let cwd {
                    return cwd.withCString { pitstop_spawn(argvBuffer.baseAddress, envBuffer.baseAddress, $0, outputFD, &pid) }
                }
                return pitstop_spawn(argvBuffer.baseAddress, envBuffer.baseAddress, nil, outputFD, &pid)
            }
        }
    }

    public func poll(now: Date) -> ExecutionStatus {
        if let outcome { return outcome }
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid {
            // Give the reader a moment to drain the pipe; a grandchild holding it open must not stall us.
            let deadline = Date().addingTimeInterval(0.2)
            while !output.isFinished && Date() < deadline { usleep(2000) }
            let finished = finish(status: status)
            outcome = finished
            return finished
        }
        if terminatedAt == nil, now.timeIntervalSince(start) >= timeout {
            terminate(now: now, reason: "timed out after \(DurationText.format(timeout)); process group stopped")
        } else if let terminatedAt, now.timeIntervalSince(terminatedAt) >= Self.killGrace {
            kill(-pid, SIGKILL)
        }
        return .running(progress: output.progress, message: output.lastLine)
    }

    private func finish(status: Int32) -> ExecutionStatus {
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        let signal = status & 0x7F
        if let terminationReason {
            kill(-pid, SIGKILL)  // whatever of the group is still there
            return .finished(success: false, message: terminationReason)
        }
        if exited && code == 0 {
            return .finished(success: true, message: output.lastLine ?? "exit status 0")
        }
        let how = exited ? "exit status \(code)" : "killed by signal \(signal)"
        return .finished(success: false, message: output.lastLine.map { "\(how): \($0)" } ?? how)
    }

    private func terminate(now: Date, reason: String) {
        terminatedAt = now
        terminationReason = reason
        kill(-pid, SIGTERM)
    }

    public func cancel(now: Date) {
        if terminatedAt == nil && outcome == nil { terminate(now: now, reason: "interrupted: the engine shut down during the attempt") }
    }

    public var outputTail: [String] { output.tail }
}
