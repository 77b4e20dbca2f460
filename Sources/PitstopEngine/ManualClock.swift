public import Foundation
import Synchronization

/// A clock that moves only when told to, for tests and simulations.
public final class ManualClock: TimeSource {
    private let current: Mutex<Date>

    /// A clock standing at `start`.
    public init(_ start: Date) { current = Mutex(start) }

    /// The clock's time.
    public var now: Date { current.withLock { $0 } }

    /// Moves the clock on.
    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    /// Sets the clock.
    public func set(_ date: Date) { current.withLock { $0 = date } }
}
