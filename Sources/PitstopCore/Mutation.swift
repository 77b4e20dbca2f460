import Foundation

/// Which resources of a task an action is for.
public enum ResourceSelection: Sendable, Equatable {
    /// These resources, in this order (the order decides stagger slots).
    case ids([String])
    /// Every resource that is pending when the mutation is validated.
    case allPending
}

/// One resource of one task.
public struct ResourceRef: Sendable, Hashable, Comparable {
    public var taskID: String
    public var resourceID: String

    public init(taskID: String, resourceID: String) {
        self.taskID = taskID
        self.resourceID = resourceID
    }

    public static func < (a: ResourceRef, b: ResourceRef) -> Bool { (a.taskID, a.resourceID) < (b.taskID, b.resourceID) }
}

/// Spreads a bulk reservation over time so that replicas are not all down at once.
public struct Stagger: Sendable, Equatable {
    /// Time between one slot and the next.
    public var spacing: TimeInterval
    /// How many resources start in each slot.
    public var perSlot: Int

    public init(spacing: TimeInterval, perSlot: Int = 1) {
        self.spacing = spacing
        self.perSlot = perSlot
    }

    /// The reserved instant of the `position`-th resource when the first slot is `start`.
    public func instant(forPosition position: Int, start: Date) -> Date {
        start.addingTimeInterval(Double(position / max(perSlot, 1)) * spacing)
    }
}

/// Every change to a fleet, from a person (CLI, TUI) or the engine, is one of these.
/// Each is validated against the latest state by `FleetState.plan` and either yields changes or is refused whole.
public enum Mutation: Sendable, Equatable {
    case importTasks([MaintenanceTask])
    /// Reserve (or reschedule) resources at `at`, staggered when asked; `force` overrides the lockout rule only.
    case reserve(taskID: String, selection: ResourceSelection, at: Date, stagger: Stagger?, force: Bool)
    case clear(taskID: String, resourceIDs: [String])
    case exclude(taskID: String, resourceIDs: [String])
    case include(taskID: String, resourceIDs: [String])
    /// Reserve failed resources again, at `at` or else at the earliest time the lead-time rule allows.
    case retry(taskID: String, resourceIDs: [String], at: Date?, force: Bool)
    case setPolicy(Policy)
    /// Sets one policy key from its text form, parsed against the latest stored policy so concurrent sets of different keys both stay.
    case setPolicyValue(key: String, value: String)

    // The engine's actions.
    case start(taskID: String, resourceID: String)
    /// Several starts in one durable write; refused whole if any one is (the engine then starts them one by one).
    case startAll([ResourceRef])
    // The outcomes of an attempt name it (`attempt`, see `Resource.attemptID`) when known: a report about an
    // attempt that is no longer the resource's current one is refused, so no outcome is ever recorded twice.
    case reportProgress(taskID: String, resourceID: String, progress: Int, message: String?, attempt: UInt64? = nil)
    /// An attempt failed and another follows: the resource stays in progress with the next attempt number.
    case failAttempt(taskID: String, resourceID: String, message: String, attempt: UInt64? = nil)
    case complete(taskID: String, resourceID: String, message: String, attempt: UInt64? = nil)
    /// The last attempt failed: the execution has failed.
    case fail(taskID: String, resourceID: String, message: String, attempt: UInt64? = nil)
    /// An engine took over a running attempt (`adopted`) or started again one whose command never ran (`restarted`).
    case recordAttempt(taskID: String, resourceID: String, attempt: UInt64, kind: EventKind, message: String)
    /// An operator stopped the attempt: the resource fails and is not retried.
    case cancelAttempt(taskID: String, resourceID: String, attempt: UInt64, by: String)
    /// The attempt's supervisor died after the command started: failed, never retried automatically.
    case outcomeUnknown(taskID: String, resourceID: String, attempt: UInt64)
    /// The reservation was found too late to start: back to pending.
    case miss(taskID: String, resourceID: String)
    /// The engine reserves pending resources of a mandatory task before its deadline.
    case autoReserve(taskID: String, resourceIDs: [String], at: Date, stagger: Stagger?)
    /// Events with no change of state, e.g. notifications sent; one write however many there are.
    case recordEvents([EventDraft])
    /// The engine stops starting resources of a task whose failures reached its `maxFailures`.
    case halt(taskID: String, reason: String)
    /// An operator lets a halted task go on.
    case resume(taskID: String)
}

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

/// One effect on the stored state. The journal stores these, not mutations, so that replay never re-validates.
public enum Change: Sendable, Equatable {
    case addTask(MaintenanceTask)
    case updateResource(taskID: String, resource: Resource)
    case setPolicy(Policy)
    case setHalted(taskID: String, halted: Bool)
}

/// What a validated mutation does: the changes to apply and the events to log.
public struct Plan: Sendable, Equatable {
    public var changes: [Change]
    public var events: [Event]

    public init(changes: [Change] = [], events: [Event] = []) {
        self.changes = changes
        self.events = events
    }
}

/// Who acts, when, and in which zone times are written in messages.
public struct MutationContext: Sendable {
    public var now: Date
    public var actor: String
    public var timeZone: TimeZone

    public init(now: Date, actor: String, timeZone: TimeZone = .current) {
        self.now = now
        self.actor = actor
        self.timeZone = timeZone
    }
}
