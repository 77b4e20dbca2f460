import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-Z, taken as a request rather than obeyed at once: the console first gives up what other processes may
/// need while it is stopped (the engine's lock) and its terminal, then stops itself. SIGTSTP is caught by a
/// Dispatch source (no signal handler runs), which writes a byte to a pipe so the loop wakes at once.
final class SuspendSignal: Sendable {
    /// The request, shared with the Dispatch handler (a class, so that both hold the same one).
    private final class Flag: Sendable {
        let value = Mutex(false)
    }

    private let requested = Flag()
    private let pipeEnds: [Int32]
    /// Kept for the object's lifetime (a source stops when released); never touched after `init`.
    private let source: Mutex<any DispatchSourceSignal>

    /// Catches SIGTSTP from now on. Made before the terminal opens, so that ncurses does not install its own
    /// handler (it does only while the signal's disposition is the default).
    init() {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        pipeEnds = fds
        signal(SIGTSTP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGTSTP, queue: .global())
        let requested = self.requested
        let writeEnd = fds[1]
        source.setEventHandler {
            requested.value.withLock { $0 = true }
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }
        source.resume()
        self.source = Mutex(source)
    }

    deinit {
        close(pipeEnds[0])
        close(pipeEnds[1])
    }

    /// Readable when a request waits: the loop adds it to what it waits on.
    var descriptor: Int32 { pipeEnds[0] }

    /// Whether Ctrl-Z was pressed since the last call (the request is taken).
    func take() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(pipeEnds[0], &buffer, buffer.count) > 0 {}
        return requested.value.withLock { value in
            defer { value = false }
            return value
        }
    }

    /// Stops this process as Ctrl-Z would have; returns when the shell continues it (`fg`, SIGCONT).
    func stopProcess() {
        kill(getpid(), SIGSTOP)
    }
}
