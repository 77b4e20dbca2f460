import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An `flock` on the store's dedicated lock file, which is never renamed or replaced (a lock on a file that
/// gets renamed over is silently lost). Writers take it exclusively for check-and-write only; readers take it
/// shared while they load, so that they never see a snapshot and journal from two different moments.
final class StoreLock {
    let path: String
    let timeout: TimeInterval

    /// Makes sure the lock file exists (creating it if need be). Readers may create it, since a lock file is
    /// not store data; in a directory they may not write they use the existing one.
    init(path: String, writable: Bool, timeout: TimeInterval) throws(StoreError) {
        self.path = path
        self.timeout = timeout
        let fd: Int32
        do {
            fd = try FileIO.open(path, (writable ? O_RDWR : O_RDONLY) | O_CREAT)
        } catch {
            guard !writable else { throw error }
            fd = try FileIO.open(path, O_RDONLY)
        }
        close(fd)
    }

    /// Runs `body` holding the lock, waiting up to `timeout` for other holders.
    func withLock<T>(exclusive: Bool, _ body: () throws -> T) throws -> T {
        let held = try acquire(exclusive: exclusive)
        defer {
            flock(held, LOCK_UN)
            close(held)
        }
        return try body()
    }

    /// Each acquisition locks a descriptor of its own (an open file description of its own, for `flock`),
    /// so that a wait given up on can never release a lock taken later.
    private func acquire(exclusive: Bool) throws(StoreError) -> Int32 {
        let fd = try FileIO.open(path, O_RDONLY)
        let operation = exclusive ? LOCK_EX : LOCK_SH
        if flock(fd, operation | LOCK_NB) == 0 { return fd }
        guard errno == EWOULDBLOCK || errno == EINTR else {
            close(fd)
            throw FileIO.fail("locking", path)
        }
        return try LockWait(fd: fd, operation: operation).result(within: timeout, path: path)
    }
}
