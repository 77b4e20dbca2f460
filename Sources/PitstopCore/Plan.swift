import Foundation

/// What a validated mutation does: the changes to apply and the events to log.
public struct Plan: Sendable, Equatable {
    /// The changes to apply, in order.
    public var changes: [Change]
    /// The events to log, numbered.
    public var events: [Event]

    /// A plan.
    public init(changes: [Change] = [], events: [Event] = []) {
        self.changes = changes
        self.events = events
    }
}
