import Foundation

/// An event to log, before the planner gives it a sequence number, time and actor.
public struct EventDraft: Sendable, Equatable {
    public var kind: EventKind
    public var taskID: String?
    public var resourceID: String?
    public var message: String
    /// Identifies events that must happen once (a notification), so a restart does not repeat them.
    public var key: String?
    /// The attempt the event is about, if any.
    public var attemptID: UInt64?

    public init(kind: EventKind, taskID: String? = nil, resourceID: String? = nil, message: String, key: String? = nil, attemptID: UInt64? = nil) {
        self.kind = kind
        self.taskID = taskID
        self.resourceID = resourceID
        self.message = message
        self.key = key
        self.attemptID = attemptID
    }
}
