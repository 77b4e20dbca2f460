public import Foundation

/// The system's wall clock.
public struct SystemClock: TimeSource {
    public init() {}
    public var now: Date { Date() }
}
