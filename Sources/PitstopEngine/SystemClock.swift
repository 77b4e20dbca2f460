public import Foundation

/// The system's wall clock.
public struct SystemClock: TimeSource {
    /// The wall clock.
    public init() {}
    /// The current time.
    public var now: Date { Date() }
}
