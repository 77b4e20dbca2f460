import Foundation
public import PitstopStore
#if canImport(Glibc)
import Glibc
#endif

/// Where a store keeps its attempts: `attempts/N.attempt` (the record a supervisor writes and locks),
/// `attempts/N.attempt.cancel` (who asked to cancel), `outputs/N.log` (the command's output) and
/// `attempts/machines/ID.lock` (held by the supervisor of whichever attempt runs on that machine).
public struct AttemptFiles: Sendable {
    /// The store these files belong to.
    public let storeDirectory: String

    /// Where the records, outputs and machine locks are: the store itself, or `STORE/rehearsals`.
    let root: String

    /// The attempt files of a store.
    public init(storeDirectory: String) {
        self.storeDirectory = storeDirectory
        root = storeDirectory
    }

    private init(storeDirectory: String, root: String) {
        self.storeDirectory = storeDirectory
        self.root = root
    }

    /// The files of rehearsals (`pitstop rehearse`): records, outputs and machine locks of their own under
    /// `STORE/rehearsals`, so that a dry run never holds the lock a real attempt of the same machine needs.
    public static func rehearsals(storeDirectory: String) -> AttemptFiles {
        AttemptFiles(storeDirectory: storeDirectory, root: storeDirectory + "/rehearsals")
    }

    /// Whose the store is, read from its directory when a file is about to be made (so a store shared while an
    /// engine runs gets the new modes): the modes of the files and directories made here follow it.
    public var sharing: StoreSharing { StoreSharing.of(directory: storeDirectory) }

    /// `STORE/attempts`: the records.
    public var attemptsDirectory: String { root + "/attempts" }
    /// `STORE/outputs`: what the commands wrote.
    public var outputsDirectory: String { root + "/outputs" }
    /// `STORE/attempts/machines`: one lock file per machine.
    public var machinesDirectory: String { attemptsDirectory + "/machines" }

    /// The record of an attempt.
    public func record(_ attemptID: UInt64) -> String { "\(attemptsDirectory)/\(attemptID).attempt" }
    /// Where a cancellation is asked for, beside the record.
    public func cancelRequest(_ attemptID: UInt64) -> String { record(attemptID) + ".cancel" }
    /// The output of an attempt.
    public func output(_ attemptID: UInt64) -> String { "\(outputsDirectory)/\(attemptID).log" }

    /// The lock file of a machine (a resource id, the same in every task). Letters, digits, `.`, `_` and `-`
    /// are kept and everything else is written as `%XX`, so two ids never share a file.
    public func machineLock(_ resourceID: String) -> String {
        var name = ""
        for byte in resourceID.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || c == "-" || c == "_" || (c == "." && !name.isEmpty)) {
                name.append(c)
            } else {
                name += String(format: "%%%02X", byte)
            }
        }
        if name.utf8.count > 200 {
            // Too long for a file name: a prefix and a hash of the whole id.
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in resourceID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            name = String(name.prefix(180)) + "~" + String(hash, radix: 16)
        }
        return "\(machinesDirectory)/\(name).lock"
    }

    /// Creates the three directories (mode 0700, or 2770 in a team store) when missing.
    public func prepare() throws(AttemptError) {
        let sharing = sharing
        for directory in (root == storeDirectory ? [] : [root]) + [attemptsDirectory, machinesDirectory, outputsDirectory] {
            if !sharing.makeDirectory(directory) {
                let code = errno
                let operation = code == ELOOP ? "use a symbolic link (never followed under the store) as" : code == EPERM ? "use a directory others can write as" : "create"
                throw .io(path: directory, operation: operation, errno: code)
            }
        }
    }

    /// Whether some process holds the lock of the file at `path` (an attempt's supervisor, for a record).
    public static func isLocked(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// Opens (creating it 0600, or 0660 in a team store, when missing) and locks `path` exclusively without waiting; nil when another
    /// process holds it. The descriptor is close-on-exec: only a deliberate hand-over passes it on.
    func lockExclusively(_ path: String, truncate: Bool = false) throws(AttemptError) -> Int32? {
        let fd = sharing.create(path, O_RDWR | O_APPEND)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { return nil }
            throw .io(path: path, operation: "lock", errno: code)
        }
        if truncate && ftruncate(fd, 0) != 0 {
            let code = errno
            close(fd)
            throw .io(path: path, operation: "truncate", errno: code)
        }
        return fd
    }
}

/// Why an attempt could not be started, followed or cancelled.
public enum AttemptError: Error, Equatable, CustomStringConvertible {
    /// Another attempt of the same machine runs now (its supervisor holds the machine's lock).
    case machineBusy(resourceID: String)
    /// The supervisor program is not installed beside `pitstop`.
    case supervisorMissing(path: String)
    case io(path: String, operation: String, errno: Int32)
    case spawn(program: String, errno: Int32)
    /// A task names a runbook that is missing or that someone other than the store's owner could have changed.
    case runbookRefused(name: String, reason: String)
    /// A team store's task runs a command without a valid seal of the store's owner (SPEC §29).
    case unsealed(taskID: String, reason: String)
    /// The values the command would get are unsafe to hand it (a forged endpoint, colliding keys).
    case unsafeTarget(resourceID: String, reason: String)

    /// The problem in one sentence.
    public var description: String {
        switch self {
        case .machineBusy(let id): return "another attempt on \(id) is still running"
        case .supervisorMissing(let path): return "the attempt supervisor \(path) is missing; install pitstop-supervisor beside pitstop"
        case .io(let path, let operation, let code): return "cannot \(operation) \(path): \(String(cString: strerror(code)))"
        case .spawn(let program, let code): return "cannot start \(program): \(String(cString: strerror(code)))"
        case .runbookRefused(let name, let reason): return "runbook \(name) was not run: \(reason)"
        case .unsealed(let taskID, let reason): return "the command of \(taskID) was not run: \(reason)"
        case .unsafeTarget(let resourceID, let reason): return "nothing was run for \(resourceID): \(reason)"
        }
    }
}
