public import Foundation
public import PitstopCore
public import PitstopStore
#if canImport(Glibc)
import Glibc
#endif

/// Stops an attempt on an operator's word (`pitstop cancel`, `K` in the console). A running attempt is stopped by
/// its supervisor (SIGTERM to the command's process group, SIGKILL after the grace period), which writes
/// "cancelled by WHO" in its record for the engine to record. An attempt with no command running (waiting for
/// a retry, or for its machine) is recorded as cancelled at once, with its machine locked so that no engine
/// starts it meanwhile.
public enum AttemptCanceller {
    /// What a cancellation did.
    public enum Outcome: Sendable, Equatable {
        /// The supervisor was told; it stops the command and writes the outcome.
        case signalled(attemptID: UInt64, supervisorPID: Int32)
        /// Nothing ran; the resource was recorded as failed, cancelled.
        case recorded(attemptID: UInt64)
        /// The attempt had already ended; its outcome is recorded by the engine.
        case alreadyEnded(attemptID: UInt64)
    }

    /// Why a cancellation was refused.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case notInProgress(taskID: String, resourceID: String, status: ResourceStatus)
        case unknownResource(taskID: String, resourceID: String)
        case machineBusy(resourceID: String)
        case supervisorLost(attemptID: UInt64)
        case io(String)

        /// The refusal in one sentence.
        public var description: String {
            switch self {
            case .notInProgress(let task, let resource, let status): return "\(task)/\(resource) is \(status.rawValue); only an attempt in progress can be cancelled"
            case .unknownResource(let task, let resource): return "no resource \(resource) in task \(task)"
            case .machineBusy(let id): return "an attempt on \(id) is being started right now; try again in a moment"
            case .supervisorLost(let id): return "the supervisor of attempt \(id) is gone; the engine records its outcome as unknown"
            case .io(let text): return text
            }
        }
    }

    /// Cancels the current attempt of one resource as `actor`.
    public static func cancel(store: Store, taskID: String, resourceID: String, actor: String, now: Date, zone: TimeZone) throws -> Outcome {
        _ = try store.poll()
        guard let task = store.state.task(id: taskID), let resource = task.resource(id: resourceID) else {
            throw Refusal.unknownResource(taskID: taskID, resourceID: resourceID)
        }
        guard resource.status == .inProgress, let attemptID = resource.attemptID else {
            throw Refusal.notInProgress(taskID: taskID, resourceID: resourceID, status: resource.status)
        }
        let files = AttemptFiles(storeDirectory: store.directory)
        let recordPath = files.record(attemptID)
        if AttemptFiles.isLocked(recordPath) {
            return try signal(files: files, attemptID: attemptID, actor: actor)
        }
        if let record = AttemptRecord.read(recordPath) {
            if record.end != nil { return .alreadyEnded(attemptID: attemptID) }
            if record.execAt != nil { throw Refusal.supervisorLost(attemptID: attemptID) }
        }
        // No command runs: hold the machine so that no engine starts this attempt while it is recorded.
        let machine: Int32?
        do {
            try files.prepare()
            machine = try files.lockExclusively(files.machineLock(resourceID))
        } catch {
            throw Refusal.io("\(error)")
        }
        guard let machine else {
            // A supervisor holds the machine: this attempt may be starting. If so, it is signalled instead.
            if AttemptFiles.isLocked(recordPath) { return try signal(files: files, attemptID: attemptID, actor: actor) }
            throw Refusal.machineBusy(resourceID: resourceID)
        }
        defer { close(machine) }
        if AttemptFiles.isLocked(recordPath) { return try signal(files: files, attemptID: attemptID, actor: actor) }
        try store.mutate(.cancelAttempt(taskID: taskID, resourceID: resourceID, attempt: attemptID, by: actor),
                         context: MutationContext(now: now, actor: actor, timeZone: zone))
        return .recorded(attemptID: attemptID)
    }

    /// Leaves who asked beside the record (the supervisor looks for it four times a second), then wakes the
    /// supervisor with SIGUSR1 so that it looks at once.
    private static func signal(files: AttemptFiles, attemptID: UInt64, actor: String) throws -> Outcome {
        let requestPath = files.cancelRequest(attemptID)
        // Written aside and renamed, so the supervisor never reads half a name.
        let temporary = requestPath + ".tmp"
        let fd = files.sharing.create(temporary, O_WRONLY | O_TRUNC)
        guard fd >= 0 else { throw Refusal.io("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let text = Array((actor.replacingOccurrences(of: "\n", with: " ") + "\n").utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == text.count, rename(temporary, requestPath) == 0 else {
            unlink(temporary)
            throw Refusal.io("cannot write \(requestPath): \(String(cString: strerror(errno)))")
        }
        // The supervisor writes its pid first thing; a just-spawned one may not have yet.
        let deadline = Date().addingTimeInterval(2)
        var pid = AttemptRecord.read(files.record(attemptID))?.supervisorPID
        while pid == nil && Date() < deadline {
            usleep(20_000)
            pid = AttemptRecord.read(files.record(attemptID))?.supervisorPID
        }
        // The record is locked, so the pid written in it is its live supervisor's, not a recycled one.
        guard let pid, AttemptFiles.isLocked(files.record(attemptID)) else {
            if AttemptRecord.read(files.record(attemptID))?.end != nil { return .alreadyEnded(attemptID: attemptID) }
            throw Refusal.supervisorLost(attemptID: attemptID)
        }
        // Another user's supervisor cannot be signalled (EPERM); it finds the request on its own.
        _ = kill(pid, SIGUSR1)
        return .signalled(attemptID: attemptID, supervisorPID: pid)
    }
}
