import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pipe that wakes the console's loop: another thread writes a byte, the loop's `poll` sees the read end
/// readable. Both ends are non-blocking and closed on exec (a runbook started meanwhile inherits neither).
final class WakePipe: Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        (readEnd, writeEnd) = (fds[0], fds[1])
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// What the loop waits on.
    var descriptor: Int32 { readEnd }

    /// Wakes the loop (safe from any thread).
    func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Takes every waiting byte, so the next wait sleeps until the next `wake`.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }
}
