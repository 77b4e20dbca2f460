import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Slow effects off the console's loop (bubbletea's `Cmd`): work runs on another thread and its result comes
/// back as a message the loop hands to the reducer on its next turn. A byte on a pipe wakes the loop at once.
final class BackgroundWork: Sendable {
    /// Results waiting for the loop, shared with the workers (a class, so that all hold the same one).
    private final class Results: Sendable {
        let messages = Mutex<[AppMessage]>([])
    }

    private let results = Results()
    private let pipeEnds: [Int32]

    init() {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        pipeEnds = fds
    }

    deinit {
        close(pipeEnds[0])
        close(pipeEnds[1])
    }

    /// Readable when a result waits: the loop adds it to what it waits on.
    var descriptor: Int32 { pipeEnds[0] }

    /// Runs `work` on another thread; its message reaches the loop's next turn.
    func run(_ work: @escaping @Sendable () -> AppMessage) {
        let results = self.results
        let writeEnd = pipeEnds[1]
        DispatchQueue.global(qos: .userInitiated).async {
            let message = work()
            results.messages.withLock { $0.append(message) }
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }
    }

    /// The results that arrived, in order, taken.
    func drain() -> [AppMessage] {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(pipeEnds[0], &buffer, buffer.count) > 0 {}
        return results.messages.withLock { messages in
            defer { messages = [] }
            return messages
        }
    }
}
