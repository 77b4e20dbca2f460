public import Foundation

/// What happened, in the audit log's words. A string-backed struct, so that a store written by a
/// newer version with kinds this one does not know still opens and lists them.
public struct EventKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The kind as written in the store and in JSON, e.g. `attempt-failed`.
    public let rawValue: String
    /// A kind by its stored name, known to this version or not.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The stored name.
    public var description: String { rawValue }

    /// Tasks were added by an import.
    public static let imported = EventKind(rawValue: "imported")
    /// A resource was reserved.
    public static let reserved = EventKind(rawValue: "reserved")
    /// A reservation moved to another time.
    public static let rescheduled = EventKind(rawValue: "rescheduled")
    /// A reservation was dropped; the resource is pending again.
    public static let cleared = EventKind(rawValue: "cleared")
    /// A resource was taken out of its task.
    public static let excluded = EventKind(rawValue: "excluded")
    /// An excluded resource was brought back.
    public static let included = EventKind(rawValue: "included")
    /// A failed resource was reserved again.
    public static let retried = EventKind(rawValue: "retried")
    /// An execution began; the event's sequence number is its first attempt's id.
    public static let started = EventKind(rawValue: "started")
    /// An attempt's progress changed (not logged by this version; read from older stores).
    public static let progress = EventKind(rawValue: "progress")
    /// An attempt failed and another follows; the event's sequence number is the next attempt's id.
    public static let attemptFailed = EventKind(rawValue: "attempt-failed")
    /// A resource's execution succeeded.
    public static let completed = EventKind(rawValue: "completed")
    /// A resource's execution failed after its last attempt.
    public static let failed = EventKind(rawValue: "failed")
    /// A reservation was found after its start window and went back to pending.
    public static let missed = EventKind(rawValue: "missed")
    /// The engine reserved a mandatory task's pending resource before its deadline.
    public static let autoReserved = EventKind(rawValue: "auto-reserved")
    /// A notification was sent; its key makes it happen once.
    public static let notified = EventKind(rawValue: "notified")
    /// A resource failed three times and cannot be reserved for a while.
    public static let lockedOut = EventKind(rawValue: "locked-out")
    /// The store's policy changed.
    public static let policyChanged = EventKind(rawValue: "policy-changed")
    /// A task reached its maxFailures; nothing more of it starts until resumed.
    public static let halted = EventKind(rawValue: "halted")
    /// An operator let a halted task go on.
    public static let resumed = EventKind(rawValue: "resumed")
    /// The notify command failed for a notification.
    public static let notifyFailed = EventKind(rawValue: "notify-failed")
    /// An engine took over an attempt another engine started, which went on running meanwhile.
    public static let adopted = EventKind(rawValue: "adopted")
    /// An attempt whose command never started (its engine stopped first) was started again.
    public static let restarted = EventKind(rawValue: "restarted")
    /// An operator stopped a running attempt; the resource failed and is not retried.
    public static let cancelled = EventKind(rawValue: "cancelled")
    /// A reservation found inside a freeze period at its start time (the freeze came later): pending again.
    public static let frozen = EventKind(rawValue: "frozen")
    /// A precheck said no just before an attempt: the resource is reserved again and checked each minute.
    public static let precheckFailed = EventKind(rawValue: "precheck-failed")
    /// A reservation the engine held (a primary waiting for its replicas…) past its start window: pending again.
    public static let held = EventKind(rawValue: "held")
    /// The supervisor of an attempt died after starting the command: nobody knows how it ended.
    public static let outcomeUnknown = EventKind(rawValue: "outcome-unknown")
    /// A dry run of the resource's precheck and executor (`pitstop rehearse`); the message starts with the
    /// verdict: `ready`, `refused`, `unreachable` or `failed`.
    public static let rehearsed = EventKind(rawValue: "rehearsed")
    /// The true outcome of an attempt recorded as outcome unknown arrived from its host, and replaced it.
    public static let outcomeRecovered = EventKind(rawValue: "outcome-recovered")
    /// The cluster manager (Patroni) reports a resource in another role than its task says, or the same again.
    public static let roleChanged = EventKind(rawValue: "role-changed")
    /// The store's owner sealed commands already in the store (`pitstop store seal`), so that the engine of a
    /// team store runs them.
    public static let sealed = EventKind(rawValue: "sealed")

    /// Kinds shown in red: something went wrong.
    public var isFailure: Bool {
        self == .failed || self == .attemptFailed || self == .missed || self == .lockedOut || self == .halted || self == .notifyFailed
            || self == .cancelled || self == .outcomeUnknown || self == .held || self == .frozen
    }
}

/// One entry of the audit log. Events are appended, never rewritten.
public struct Event: Sendable, Equatable {
    /// Position in the log, from 1.
    public var sequence: UInt64
    /// When it happened.
    public var time: Date
    /// `user@host (cli)`, `user@host (tui)` or `engine`.
    public var actor: String
    /// The task it is about, if any.
    public var taskID: String?
    /// The resource it is about, if any.
    public var resourceID: String?
    /// What happened.
    public var kind: EventKind
    /// A sentence for people, naming the things involved.
    public var message: String
    /// A stable identity for events that must happen once (a notification), so a restart does not repeat them.
    public var key: String?
    /// The attempt the event is about (see `Resource.attemptID`), so its output can be found.
    public var attemptID: UInt64?

    /// An event; the planner gives it its sequence number.
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
