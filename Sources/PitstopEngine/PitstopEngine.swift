// PitstopEngine: runs reservations when their time comes. A single serial loop (`Engine.tick`) reads the
// store, starts due executions within the concurrency limits, polls running ones, retries with backoff,
// auto-reserves before deadlines and sends notifications, writing every decision back as a mutation.
import Foundation
import Synchronization

/// The source of "now", injected so that tests can run hours of schedule in milliseconds.
public protocol TimeSource: Sendable {
    var now: Date { get }
}

/// The system's wall clock.
public struct SystemClock: TimeSource {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that moves only when told to, for tests and simulations.
public final class ManualClock: TimeSource {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public var now: Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    public func set(_ date: Date) { current.withLock { $0 = date } }
}
