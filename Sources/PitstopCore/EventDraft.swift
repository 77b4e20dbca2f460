import Foundation

/// An event to log, before the planner gives it a sequence number, time and actor.
public struct EventDraft: Sendable, Equatable {
    /// What happened.
    public var kind: EventKind
    /// The task it is about, if any.
    public var taskID: String?
    /// The resource it is about, if any.
    public var resourceID: String?
    /// A sentence for people.
    public var message: String
    /// Identifies events that must happen once (a notification), so a restart does not repeat them.
    public var key: String?
    /// The attempt the event is about, if any.
    public var attemptID: UInt64?

    /// A draft of an event.
    public init(kind: EventKind, taskID: String? = nil, resourceID: String? = nil, message: String, key: String? = nil, attemptID: UInt64? = nil) {
        self.kind = kind
        self.taskID = taskID
        self.resourceID = resourceID
        self.message = message
        self.key = key
        self.attemptID = attemptID
    }
}
