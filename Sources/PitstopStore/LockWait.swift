import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A blocking `flock` on a thread of its own, so that the wait can time out. Waiting in the kernel rather
/// than retrying with pauses matters under a busy writer (a daemon recording dozens of results a tick):
/// a retrier only sees the lock in the microseconds between two writes, and timed out; a blocked waiter is
/// woken at each release.
final class LockWait: Sendable {
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
