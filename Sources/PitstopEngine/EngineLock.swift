import Foundation
import PitstopStore
#if canImport(Glibc)
import Glibc
#endif

/// Why an engine could not take a store.
public enum EngineLockError: Error, Equatable, CustomStringConvertible {
    case heldBy(pid: Int32?, path: String)
    case io(path: String, errno: Int32)
    /// A team store's engine runs as its owner only: the one whose seal key it reads, and whom its commands
    /// run as (SPEC §29).
    case notOwner(owner: String, path: String)

    /// The problem in one sentence (the command line adds what to do).
    public var description: String {
        switch self {
        case .heldBy(let pid, let path):
            return "another engine already runs on this store\(pid.map { " (process \($0))" } ?? "") (lock \(path))"
        case .io(let path, let code):
            return "cannot use the engine lock \(path): \(String(cString: strerror(code)))"
        case .notOwner(let owner, let path):
            return "the team store \(path) has its engine run by its owner, \(owner), not by its members"
        }
    }
}

/// One engine per store: an `flock` on `engine.lock` in the store directory, held for the engine's life,
/// with the holder's pid written inside so that a second engine can say who holds it.
public final class EngineLock: Sendable {
    /// The lock file, `STORE/engine.lock`.
    public let path: String
    private let fd: Int32

    /// Takes the lock, or throws naming the process that holds it. On a team store only its owner (or root)
    /// may: the lock is the owner's alone (0600, a member's file in its place is replaced), so that no member
    /// can hold it against the engine, and the pid is also written to `engine.pid`, which members read.
    public init(storeDirectory: String) throws {
        path = storeDirectory + "/engine.lock"
        let sharing = StoreSharing.of(directory: storeDirectory)
        var directory = stat()
        if case .group = sharing, stat(storeDirectory, &directory) == 0, geteuid() != directory.st_uid, geteuid() != 0 {
            throw EngineLockError.notOwner(owner: OwnerKey.userName(directory.st_uid), path: storeDirectory)
        }
        if case .group = sharing { try Self.takeBack(path, owner: directory.st_uid, lock: true) }
        fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw EngineLockError.io(path: path, errno: errno) }
        if case .group = sharing { _ = fchmod(fd, 0o600) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPID(fd)
            close(fd)
            throw EngineLockError.heldBy(pid: holder, path: path)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        if case .group = sharing {
            let pidFile = storeDirectory + "/engine.pid"
            try? Self.takeBack(pidFile, owner: directory.st_uid, lock: false)
            let pid = sharing.create(pidFile, O_WRONLY | O_TRUNC)
            if pid >= 0 {
                _ = fchmod(pid, 0o640)
                _ = text.withUnsafeBytes { write(pid, $0.baseAddress, $0.count) }
                close(pid)
            }
        }
    }

    /// Removes `path` unless it is a regular file of `owner` that only its owner may open: what a member made
    /// or could open there (an older Pitstop's 0660 lock, or a file of theirs) goes, as the owner of the sticky
    /// directory may, and is made anew. A lock that an engine of the owner's (or root's) holds is left alone:
    /// that engine runs, and this one must not start beside it.
    private static func takeBack(_ path: String, owner: uid_t, lock: Bool) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let regular = info.st_mode & S_IFMT == S_IFREG
        guard !regular || info.st_uid != owner || info.st_mode & 0o077 != 0 else { return }
        if lock, regular {
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            if fd >= 0 {
                defer { close(fd) }
                if flock(fd, LOCK_SH | LOCK_NB) != 0, errno == EWOULDBLOCK, let pid = readPID(fd) {
                    var process = stat()
                    if stat("/proc/\(pid)", &process) == 0, process.st_uid == owner || process.st_uid == 0 {
                        throw EngineLockError.heldBy(pid: pid, path: path)
                    }
                }
            }
        }
        unlink(path)
    }

    /// The pid of the engine holding the lock of a store, or nil when none runs. A member of a team store, who
    /// may not open the owner's lock, reads `engine.pid` and asks whether that process lives.
    public static func holder(storeDirectory: String) -> Int32? {
        let fd = Glibc.open(storeDirectory + "/engine.lock", O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            guard errno == EACCES else { return nil }
            let pidFile = Glibc.open(storeDirectory + "/engine.pid", O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard pidFile >= 0 else { return nil }
            defer { close(pidFile) }
            guard let pid = readPID(pidFile), pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return nil }
            return pid
        }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return readPID(fd)
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Gives the lock up now, before this object goes (whoever still holds a reference to it). Only for an
    /// engine that has stopped.
    public func release() {
        flock(fd, LOCK_UN)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
