import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// An attempt under its supervisor, followed through its files: the record says how far it got and how it
/// ended, the record's lock says whether its supervisor lives, the output file gives progress and the last line.
/// The same follower serves an attempt this engine started and one it adopted after a restart.
final class SupervisedExecution: Execution {
    let job: ExecutionJob
    let files: AttemptFiles
    /// The supervisor, when this process spawned it (and so must reap it).
    private var spawnedPID: pid_t?
    private var output: AttemptOutput
    private var ended: ExecutionStatus?

    init(job: ExecutionJob, files: AttemptFiles, spawnedPID: pid_t?) {
        self.job = job
        self.files = files
        self.spawnedPID = spawnedPID
        output = AttemptOutput(path: files.output(job.attemptID))
    }

    var reportedRoles: [String: ResourceRole]? { output.reportedRoles }

    func poll(now: Date) -> ExecutionStatus {
        if let ended { return ended }
        if let pid = spawnedPID {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { spawnedPID = nil }
        }
        output.refresh()
        let path = files.record(job.attemptID)
        if let record = AttemptRecord.read(path), let end = record.end { return finish(end, failedStep: record.failedStep) }
        if AttemptFiles.isLocked(path) { return .running(progress: output.progress, message: output.lastLine) }
        // Unlocked: the supervisor is gone. It writes its outcome before it exits, so read once more.
        let record = AttemptRecord.read(path)
        if let end = record?.end { return finish(end, failedStep: record?.failedStep) }
        let status: ExecutionStatus = record?.execAt == nil ? .neverStarted : .lost
        ended = status
        return status
    }

    /// A hook's name in messages: "health check", "switchover", "precheck".
    static func stepName(_ step: String) -> String { step == "healthcheck" ? "health check" : step }

    private func finish(_ end: AttemptRecord.End, failedStep: String?) -> ExecutionStatus {
        output.refresh()
        let last = output.unfinishedLine.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? output.lastLine
        let status: ExecutionStatus
        switch end {
        case .exited(_, .cancelled(let by)), .signalled(_, .cancelled(let by)):
            status = .cancelled(by: by)
        case .held(let how):
            status = .held(reason: "precheck: \(last ?? how)")
        case .exited(_, .timeout(let seconds)), .signalled(_, .timeout(let seconds)):
            let step = failedStep.map { "\(Self.stepName($0)) " } ?? ""
            status = .finished(success: false, message: "\(step)timed out after \(DurationText.format(seconds)); process group stopped")
        case .exited(let code, nil) where failedStep != nil:
            status = .finished(success: false, message: "\(Self.stepName(failedStep!)) failed: \(last ?? "exit status \(code)")")
        case .signalled(let signal, nil) where failedStep != nil:
            status = .finished(success: false, message: "\(Self.stepName(failedStep!)) failed: killed by signal \(signal)")
        case .exited(0, nil):
            status = .finished(success: true, message: last ?? "exit status 0")
        case .exited(let code, nil):
            status = .finished(success: false, message: last.map { "exit status \(code): \($0)" } ?? "exit status \(code)")
        case .signalled(let signal, nil):
            status = .finished(success: false, message: last.map { "killed by signal \(signal): \($0)" } ?? "killed by signal \(signal)")
        case .refused(let reason):
            status = .finished(success: false, message: "not started: \(reason)")
        }
        ended = status
        return status
    }
}
