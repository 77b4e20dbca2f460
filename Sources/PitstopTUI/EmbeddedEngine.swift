import Foundation
import Synchronization
import PitstopEngine
import PitstopStore

/// The engine inside a console: the same `EngineLoop` as `pitstop daemon`, on its own thread with its own store
/// handle, so the screen's loop never waits on it. It talks to the screen only through the store (one-way flow)
/// and its status for the header. Stopping it leaves attempts running under their supervisors.
final class EmbeddedEngine: Sendable {
    private struct Shared {
        var status = EngineStatus.embedded(running: 0)
        var stopRequested = false
    }

    private let shared = Mutex(Shared())
    private let finished = DispatchSemaphore(value: 0)
    private let engineLock: EngineLock

    /// Starts the engine, or throws `EngineLockError.heldBy` when another process runs one.
    init(storeDirectory: String, interval: TimeInterval = 0.25) throws {
        engineLock = try EngineLock(storeDirectory: storeDirectory)
        Thread.detachNewThread { [self] in
            do {
                let engine = Engine(store: try Store.open(storeDirectory, options: StoreOptions(create: false)))
                try EngineLoop(engine: engine, interval: interval).run(shouldStop: { shared.withLock { $0.stopRequested } }) { status in
                    shared.withLock {
                        switch status {
                        case .running(let attempts, let standby): $0.status = standby ? .standby(running: attempts) : .embedded(running: attempts)
                        case .waiting(let attempts, let reason): $0.status = .waiting(running: attempts, reason: reason)
                        }
                    }
                }
            } catch {
                shared.withLock { $0.status = .none(reason: "stopped: \(error)") }
            }
            finished.signal()
        }
    }

    var status: EngineStatus { shared.withLock { $0.status } }

    /// Stops the loop and waits for its thread (a tick at most), then gives the engine lock up at once: the
    /// thread's closure may keep this object alive a moment longer, and a console stopped by Ctrl-Z must not
    /// hold the store meanwhile. A loop that did not stop in time keeps its lock. Attempts keep running.
    func stop() {
        shared.withLock { $0.stopRequested = true }
        if finished.wait(timeout: .now() + 10) == .success { engineLock.release() }
    }
}
