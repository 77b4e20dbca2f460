import Dispatch
import Foundation
import Synchronization

/// Slow effects off the console's loop (bubbletea's `Cmd`): work runs on another thread and its result comes
/// back as a message the loop hands to the reducer on its next turn. A byte on a pipe wakes the loop at once.
final class BackgroundWork: Sendable {
    /// Results waiting for the loop, shared with the workers (a class, so that all hold the same one).
    private final class Results: Sendable {
        let messages = Mutex<[AppMessage]>([])
    }

    private let results = Results()
    private let pipe = WakePipe()

    /// Readable when a result waits: the loop adds it to what it waits on.
    var descriptor: Int32 { pipe.descriptor }

    /// Runs `work` on another thread; its message reaches the loop's next turn.
    func run(_ work: @escaping @Sendable () -> AppMessage) {
        run(qos: .userInitiated) { Optional(work()) }
    }

    /// Runs `work` on another thread; its message, if it has one, reaches the loop's next turn.
    func run(qos: DispatchQoS.QoSClass, _ work: @escaping @Sendable () -> AppMessage?) {
        let (results, pipe) = (self.results, self.pipe)
        DispatchQueue.global(qos: qos).async {
            guard let message = work() else { return }
            results.messages.withLock { $0.append(message) }
            pipe.wake()
        }
    }

    /// The results that arrived, in order, taken.
    func drain() -> [AppMessage] {
        pipe.drain()
        return results.messages.withLock { messages in
            defer { messages = [] }
            return messages
        }
    }
}
