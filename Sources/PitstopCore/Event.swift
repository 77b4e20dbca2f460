public import Foundation

/// What happened, in the audit log's words. A string-backed struct, so that a store written by a
/// newer version with kinds this one does not know still opens and lists them.
public struct EventKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let imported = EventKind(rawValue: "imported")
    public static let reserved = EventKind(rawValue: "reserved")
    public static let rescheduled = EventKind(rawValue: "rescheduled")
    public static let cleared = EventKind(rawValue: "cleared")
    public static let excluded = EventKind(rawValue: "excluded")
    public static let included = EventKind(rawValue: "included")
    public static let retried = EventKind(rawValue: "retried")
    public static let started = EventKind(rawValue: "started")
    public static let progress = EventKind(rawValue: "progress")
    public static let attemptFailed = EventKind(rawValue: "attempt-failed")
    public static let completed = EventKind(rawValue: "completed")
    public static let failed = EventKind(rawValue: "failed")
    public static let missed = EventKind(rawValue: "missed")
    public static let autoReserved = EventKind(rawValue: "auto-reserved")
    public static let notified = EventKind(rawValue: "notified")
    public static let lockedOut = EventKind(rawValue: "locked-out")
    public static let policyChanged = EventKind(rawValue: "policy-changed")
    public static let halted = EventKind(rawValue: "halted")
    public static let resumed = EventKind(rawValue: "resumed")
    public static let notifyFailed = EventKind(rawValue: "notify-failed")
    /// An engine took over an attempt another engine started, which went on running meanwhile.
    public static let adopted = EventKind(rawValue: "adopted")
    /// An attempt whose command never started (its engine stopped first) was started again.
    public static let restarted = EventKind(rawValue: "restarted")
    /// An operator stopped a running attempt; the resource failed and is not retried.
    public static let cancelled = EventKind(rawValue: "cancelled")
    /// The supervisor of an attempt died after starting the command: nobody knows how it ended.
    public static let outcomeUnknown = EventKind(rawValue: "outcome-unknown")

    /// Kinds shown in red: something went wrong.
    public var isFailure: Bool {
        self == .failed || self == .attemptFailed || self == .missed || self == .lockedOut || self == .halted || self == .notifyFailed
            || self == .cancelled || self == .outcomeUnknown
    }
}

/// One entry of the audit log. Events are appended, never rewritten.
public struct Event: Sendable, Equatable {
    /// Position in the log, from 1.
    public var sequence: UInt64
    public var time: Date
    /// `user@host (cli)`, `user@host (tui)` or `engine`.
    public var actor: String
    public var taskID: String?
    public var resourceID: String?
    public var kind: EventKind
    public var message: String
    /// A stable identity for events that must happen once (a notification), so a restart does not repeat them.
    public var key: String?
    /// The attempt the event is about (see `Resource.attemptID`), so its output can be found.
    public var attemptID: UInt64?

    public init(
        sequence: UInt64 = 0, time: Date, actor: String, taskID: String? = nil, resourceID: String? = nil,
        kind: EventKind, message: String, key: String? = nil, attemptID: UInt64? = nil
    ) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.taskID = taskID
        self.resourceID = resourceID
        self.kind = kind
        self.message = message
        self.key = key
        self.attemptID = attemptID
    }
}
