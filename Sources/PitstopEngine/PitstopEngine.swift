// PitstopEngine: runs reservations when their time comes. A single serial loop (`Engine.tick`) reads the
// store, starts due executions within the concurrency limits, polls running ones, retries with backoff,
// auto-reserves before deadlines and sends notifications, writing every decision back as a mutation.
import Foundation

/// The source of "now", injected so that tests can run hours of schedule in milliseconds.
public protocol Clock: Sendable {
    var now: Date { get }
}

/// The system's wall clock.
public struct SystemClock: Clock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that moves only when told to, for tests and simulations.
public final class ManualClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public var now: Date { lock.withLock { current } }

    public func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }

    public func set(_ date: Date) { lock.withLock { current = date } }
}
