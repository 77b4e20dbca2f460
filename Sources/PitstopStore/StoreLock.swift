import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An `flock` on the store's dedicated lock file, which is never renamed or replaced (a lock on a file that
/// gets renamed over is silently lost). Writers take it exclusively for check-and-write only; readers take it
/// shared while they load, so that they never see a snapshot and journal from two different moments.
final class StoreLock {
    let path: String
    private let fd: Int32
    let timeout: TimeInterval

    /// Opens (creating if need be) the lock file. Readers open it read-only; a lock file is not store data,
    /// so a reader may create it, and in a directory it may not write it uses the existing one.
    init(path: String, writable: Bool, timeout: TimeInterval) throws(StoreError) {
        self.path = path
        self.timeout = timeout
        do {
            fd = try FileIO.open(path, (writable ? O_RDWR : O_RDONLY) | O_CREAT)
        } catch {
            guard !writable else { throw error }
            fd = try FileIO.open(path, O_RDONLY)
        }
    }

    deinit { close(fd) }

    /// Runs `body` holding the lock, waiting up to `timeout` for other holders.
    func withLock<T>(exclusive: Bool, _ body: () throws -> T) throws -> T {
        try acquire(exclusive: exclusive)
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private func acquire(exclusive: Bool) throws(StoreError) {
        let operation = (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB
        let deadline = Date().addingTimeInterval(timeout)
        var pause: useconds_t = 200
        while flock(fd, operation) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw FileIO.fail("locking", path) }
            guard Date() < deadline else { throw .lockTimeout(path: path, seconds: timeout) }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }
}
