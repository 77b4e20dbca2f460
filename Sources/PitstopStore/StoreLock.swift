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

    init(path: String, create: Bool, timeout: TimeInterval) throws(StoreError) {
        self.path = path
        self.timeout = timeout
        if create {
            fd = try FileIO.open(path, O_RDWR | O_CREAT)
        } else {
            do {
                fd = try FileIO.open(path, O_RDONLY)
            } catch .io(_, _, ENOENT) {
                throw StoreError.notFound(path: (path as NSString).deletingLastPathComponent)
            }
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
