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

/// A blocking `flock` on a thread of its own, so that the wait can time out. Waiting in the kernel rather
/// than retrying with pauses matters under a busy writer (a daemon recording dozens of results a tick):
/// a retrier only sees the lock in the microseconds between two writes, and timed out; a blocked waiter is
/// woken at each release.
private final class LockWait: Sendable {
    private struct State {
        /// 0 once locked, or the errno of the failure.
        var outcome: Int32?
        var abandoned = false
    }

    private let fd: Int32
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    init(fd: Int32, operation: Int32) {
        self.fd = fd
        Thread.detachNewThread { [self] in
            var status: Int32
            repeat { status = flock(fd, operation) } while status != 0 && errno == EINTR
            let code = status == 0 ? 0 : errno
            state.withLock {
                if $0.abandoned {
                    // The caller gave up: whatever this wait got is released here, on its own descriptor.
                    close(fd)
                } else {
                    $0.outcome = code
                }
            }
            finished.signal()
        }
    }

    /// The locked descriptor, or an error once `timeout` has passed.
    func result(within timeout: TimeInterval, path: String) throws(StoreError) -> Int32 {
        _ = finished.wait(timeout: .now() + timeout)
        let code: Int32? = state.withLock {
            if $0.outcome == nil { $0.abandoned = true }
            return $0.outcome
        }
        guard let code else { throw .lockTimeout(path: path, seconds: timeout) }
        guard code == 0 else {
            close(fd)
            throw .io(operation: "locking", path: path, errno: code)
        }
        return fd
    }
}
