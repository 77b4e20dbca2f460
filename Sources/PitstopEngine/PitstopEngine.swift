// PitstopEngine: runs reservations when their time comes. The scheduler, executors, notifier and
// poller arrive with the engine issue; for now this module holds the clock every part of it takes.
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
