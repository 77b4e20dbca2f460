import Foundation
import PitstopEngine
import PitstopStore

/// The engine inside a TUI: its own thread and its own store handle, so the screen's loop never waits on it.
/// It talks to the screen only through the store (one-way flow) and a running count for the header.
final class EmbeddedEngine: @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0
    private var stopRequested = false
    private var lastError: String?
    /// Why the store refused the last tick's writes, while it does.
    private var refusal: String?
    private let finished = DispatchSemaphore(value: 0)
    private let engineLock: EngineLock

    /// Starts the engine, or throws `EngineLockError.heldBy` when another process runs one.
    init(storeDirectory: String, interval: TimeInterval = 0.25) throws {
        engineLock = try EngineLock(storeDirectory: storeDirectory)
        Thread.detachNewThread { [self] in
            do {
                let engine = Engine(store: try Store.open(storeDirectory, options: StoreOptions(create: false)), executors: StandardExecutors(storeDirectory: storeDirectory))
                try engine.start()
                while !lock.withLock({ stopRequested }) {
                    do {
                        try engine.tick()
                        engine.store.returnFreedMemory()
                        lock.withLock { running = engine.runningCount; refusal = nil }
                    } catch where Engine.canRetry(after: error) {
                        // Shown in the header while it lasts; the engine keeps its executions and retries.
                        lock.withLock { running = engine.runningCount; refusal = (error as? StoreError)?.cause ?? "\(error)" }
                    }
                    Thread.sleep(forTimeInterval: interval)
                }
                engine.stopAccepting()
                try engine.interruptRunning()
            } catch {
                lock.withLock { lastError = "\(error)" }
            }
            finished.signal()
        }
    }

    var status: EngineStatus {
        lock.withLock {
            if let lastError { return .none(reason: "stopped: \(lastError)") }
            if let refusal { return .waiting(running: running, reason: refusal) }
            return .embedded(running: running)
        }
    }

    /// Stops starting work, records running executions as interrupted, and waits for the thread.
    func stop() {
        lock.withLock { stopRequested = true }
        _ = finished.wait(timeout: .now() + 10)
        withExtendedLifetime(engineLock) {}
    }
}
