import Foundation

/// What a validated mutation does: the changes to apply and the events to log.
public struct Plan: Sendable, Equatable {
    public var changes: [Change]
    public var events: [Event]

    public init(changes: [Change] = [], events: [Event] = []) {
        self.changes = changes
        self.events = events
    }
}
