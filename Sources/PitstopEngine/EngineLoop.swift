public import Foundation
import PitstopStore

/// The one engine loop, run by `pitstop daemon` on its main thread and by the console on a thread of its own:
/// take the store over (adopting attempts that still run), tick on an interval, ride out writes the disk
/// refuses, and return promptly — within `checkInterval` — once `shouldStop` says so, in every state.
/// Leaving changes nothing: attempts run on under their supervisors for the next engine to follow.
public final class EngineLoop {
    /// What the loop is doing, for a header or a log.
    public enum Status: Sendable, Equatable {
        /// `standby`: sharing a fleet, another engine leads; this one follows its own attempts only.
        case running(attempts: Int, standby: Bool = false)
        /// The store refuses writes (full disk, I/O error); attempts go on and their outcomes wait.
        case waiting(attempts: Int, reason: String)
    }

    /// How often a stop request is looked at while the loop waits.
    public static let checkInterval: TimeInterval = 0.05

    /// The engine it runs.
    public let engine: Engine
    let interval: TimeInterval
    /// Leave once nothing runs any more (`daemon --once`).
    let untilIdle: Bool

    /// A loop ticking every `interval` seconds.
    public init(engine: Engine, interval: TimeInterval, untilIdle: Bool = false) {
        self.engine = engine
        self.interval = interval
        self.untilIdle = untilIdle
    }

    /// Runs until `shouldStop` returns true (or, with `untilIdle`, until nothing runs). `report` hears of every
    /// change of status; store failures that a retry cannot mend (a failed fsync, a damaged store) are thrown.
    /// `afterTick` runs after every tick that went through (the daemon publishes its metrics there).
    public func run(shouldStop: () -> Bool, afterTick: () -> Void = {}, report: (Status) -> Void) throws {
        var started = false
        var last: Status?
        // Leaving gives the fleet's leadership back at once, so that a standby need not wait out the lease.
        defer { engine.coordination?.stop() }
        func say(_ status: Status) {
            if status != last { report(status) }
            last = status
        }
        while !shouldStop() {
            do {
                if !started {
                    try engine.start()
                    started = true
                }
                try engine.tick()
                engine.store.returnFreedMemory()
                say(.running(attempts: engine.runningCount, standby: engine.isStandby))
                afterTick()
            } catch where Engine.canRetry(after: error) {
                say(.waiting(attempts: engine.runningCount, reason: (error as? StoreError)?.cause ?? "\(error)"))
                pause(max(interval, 1), shouldStop)
                continue
            }
            if untilIdle && started && engine.isIdle && !engine.hook.isBusy { return }
            pause(interval, shouldStop)
        }
    }

    /// Sleeps `seconds` in short steps, waking early when asked to stop.
    private func pause(_ seconds: TimeInterval, _ shouldStop: () -> Bool) {
        let end = Date().addingTimeInterval(seconds)
        while !shouldStop() {
            let left = end.timeIntervalSinceNow
            if left <= 0 { return }
            Thread.sleep(forTimeInterval: min(left, Self.checkInterval))
        }
    }
}
