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
    private let pipe = WakePipe()
    /// Kept for the object's lifetime (a source stops when released); never touched after `init`.
    private let source: Mutex<any DispatchSourceSignal>

    /// Catches SIGTSTP from now on. Made before the terminal opens, so that ncurses does not install its own
    /// handler (it does only while the signal's disposition is the default).
    init() {
        signal(SIGTSTP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGTSTP, queue: .global())
        let (requested, pipe) = (self.requested, self.pipe)
        source.setEventHandler {
            requested.value.withLock { $0 = true }
            pipe.wake()
        }
        source.resume()
        self.source = Mutex(source)
    }

    /// Readable when a request waits: the loop adds it to what it waits on.
    var descriptor: Int32 { pipe.descriptor }

    /// Whether Ctrl-Z was pressed since the last call (the request is taken).
    func take() -> Bool {
        pipe.drain()
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
