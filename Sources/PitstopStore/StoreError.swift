public import Foundation

/// Why the store could not be opened, read or written. Every message names the file and what to do.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// No store at this path (and the caller may not create one).
    case notFound(path: String)
    /// A checksum or structure check failed: the store refuses to open rather than load damaged data.
    case corrupt(path: String, offset: Int, reason: String)

    /// What is damaged and where, without what became of the store (a record found damaged when read, after
    /// opening); other errors as `description`.
    public var damage: String {
        guard case .corrupt(let path, let offset, let reason) = self else { return description }
        return "\(path) is damaged at byte \(offset): \(reason)"
    }
    /// The file was written by a newer format than this build reads.
    case newerFormat(path: String, version: Int)
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// fsync failed: the change is not acknowledged, and this handle refuses further writes.
    case syncFailed(path: String, errno: Int32)
    /// Another process held the lock for too long.
    case lockTimeout(path: String, seconds: Double)
    /// A write through a handle opened read-only.
    case readOnly(path: String)
    /// A write after an earlier fsync failure on this handle.
    case unusable(path: String)
    /// The path exists but is not a directory, or has unsafe permissions or ownership.
    case badDirectory(path: String, reason: String)
    /// This user may read the store but not change it (another's store, or a team store of another group).
    case notWritable(path: String, reason: String)
    /// A member of a team store tried a change only its owner may make (one that gives the engine a program
    /// to run); nothing was written.
    case ownerOnly(path: String, owner: String, reason: String)
    /// The store is bound to a replica (etcd) that this program cannot open.
    case noReplica(path: String)
    /// The replica kept refusing this writer's number: other writers kept committing first.
    case replicaBusy(path: String, attempts: Int)
    /// The write was fenced by something its writer no longer holds (an engine deposed as leader).
    case fenced(path: String, reason: String)
    /// The replica no longer keeps the record this copy needs next (trimmed behind a snapshot).
    case replicaTrimmed(path: String, needed: UInt64)
    /// The replica's records do not follow this copy (a record missing or out of order).
    case replicaGap(path: String, reason: String)
    /// The owner's seal key (`STORE/owner.key`) is missing, or someone other than the store's owner could have
    /// made or read it: nothing is sealed or trusted with it.
    case sealKey(path: String, reason: String)

    /// The problem in one sentence; names no command (the command line adds what to do).
    public var description: String {
        switch self {
        case .notFound(let path):
            return "no store at \(path)"
        case .corrupt:
            return "\(damage); the store was not opened"
        case .newerFormat(let path, let version):
            return "\(path) uses store format \(version), newer than this Pitstop reads (\(FileHeader.currentVersion)); upgrade Pitstop"
        case .io(let operation, let path, let code):
            return "\(operation) \(path) failed: \(String(cString: strerror(code)))"
        case .syncFailed(let path, let code):
            return "fsync of \(path) failed (\(String(cString: strerror(code)))): the change was NOT saved. Check the disk, then reopen the store"
        case .lockTimeout(let path, let seconds):
            return "another process kept the store at \(path) locked for more than \(seconds < 10 ? String(format: "%.1f", seconds) : String(Int(seconds)))s; try again"
        case .readOnly(let path):
            return "the store at \(path) is open read-only"
        case .unusable(let path):
            return "an earlier write to \(path) failed to sync; reopen the store before writing again"
        case .badDirectory(let path, let reason), .notWritable(let path, let reason):
            return "\(path): \(reason)"
        case .noReplica(let path):
            return "the store at \(path) is bound to a replica (\(StoreReplicas.bindingPath(path))) that this program cannot reach"
        case .replicaBusy(let path, let attempts):
            return "other writers committed first \(attempts) times in a row to the fleet of \(path); nothing was changed, try again"
        case .fenced(let path, let reason):
            return "the write to the fleet of \(path) was refused: \(reason)"
        case .replicaTrimmed(let path, let needed):
            return "the fleet of \(path) no longer keeps change \(needed); this copy starts again from the fleet's snapshot"
        case .replicaGap(let path, let reason):
            return "the fleet's log does not follow this host's copy at \(path): \(reason)"
        case .sealKey(let path, let reason):
            return "the owner's seal key \(path) cannot be used: \(reason)"
        case .ownerOnly(let path, let owner, let reason):
            return "only the owner of the store at \(path) (\(owner)) may make this change: \(reason), and the engine would run it as its own user; nothing was changed"
        }
    }

    /// The problem in one sentence.
    public var errorDescription: String? { description }

    /// The cause in a few words, for a status bar: `No space left on device`.
    public var cause: String {
        switch self {
        case .io(_, _, let code), .syncFailed(_, let code): String(cString: strerror(code))
        case .lockTimeout(_, let seconds): "locked by another process for over \(Int(seconds))s"
        default: description
        }
    }
}
