public import Foundation

/// Every change to a fleet, from a person (CLI, TUI) or the engine, is one of these.
/// Each is validated against the latest state by `FleetState.plan` and either yields changes or is refused whole.
public enum Mutation: Sendable, Equatable {
    case importTasks([MaintenanceTask])
    /// Reserve (or reschedule) resources at `at`, staggered when asked; `force` overrides the lockout rule only.
    case reserve(taskID: String, selection: ResourceSelection, at: Date, stagger: Stagger?, force: Bool)
    /// Reserve resources wave by wave from `at` (the task's waves and soak), staggered within each wave.
    case reserveInWaves(taskID: String, selection: ResourceSelection, at: Date, stagger: Stagger?, force: Bool)
    case clear(taskID: String, resourceIDs: [String])
    case exclude(taskID: String, resourceIDs: [String])
    case include(taskID: String, resourceIDs: [String])
    /// Reserve failed resources again, at `at` or else at the earliest time the lead-time rule allows.
    case retry(taskID: String, resourceIDs: [String], at: Date?, force: Bool)
    /// An undo: resources of a task put back as they were before the change whose first event is `undoing`
    /// (`what` says what it was, for the log). The writer passes the versions that change left as `expecting`.
    case restore(taskID: String, resources: [RestoredResource], undoing: UInt64, what: String)
    case setPolicy(Policy)
    /// Adds a freeze period; its name must be new.
    case addFreeze(FreezeWindow)
    /// Removes the freeze period of that name.
    case removeFreeze(name: String)
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
    /// The reservation was found too late to start (or held past its window): back to pending.
    case miss(taskID: String, resourceID: String)
    /// The precheck of a first attempt said no: the resource is reserved again, held for `reason`.
    case precheckHeld(taskID: String, resourceID: String, attempt: UInt64, reason: String)
    /// A due reservation would run into a freeze added after it was made: back to pending.
    case frozenOut(taskID: String, resourceID: String, freeze: String)
    /// The engine holds a due reservation for `reason` (nil: no longer held).
    case hold(taskID: String, resourceID: String, reason: String?)
    /// Several holds in one durable write; refused whole if any one is (the engine then writes them one by one).
    case holdAll([ResourceRef], reasons: [String])
    /// The engine reserves pending resources of a mandatory task before its deadline.
    case autoReserve(taskID: String, resourceIDs: [String], at: Date, stagger: Stagger?)
    /// Events with no change of state, e.g. notifications sent; one write however many there are.
    case recordEvents([EventDraft])
    /// The engine stops starting resources of a task whose failures reached its `maxFailures`.
    case halt(taskID: String, reason: String)
    /// An operator lets a halted task go on.
    case resume(taskID: String)
    /// The true outcome of an attempt recorded as outcome unknown, arrived from the host that ran it (its engine
    /// came back): a success completes the resource and takes back the failure it counted; a failure keeps it
    /// failed with the attempt's own last line.
    case recoverOutcome(taskID: String, resourceID: String, attempt: UInt64, success: Bool, message: String)
    /// What Patroni said each member of `cluster` is (by member name, the `patroni_member` label): every
    /// resource of that cluster and member, in every task, takes it as its live role (SPEC §16).
    case observeRoles(cluster: String, roles: [String: ResourceRole])
    /// The store's owner vouches for the commands these tasks run as they stand (and for `notifyCommand`), so
    /// that the engine of a team store runs them: the store seals them (SPEC §29). For commands that reached the
    /// store before seals existed, or that the engine refused as unsealed and the owner has checked.
    case sealCommands(taskIDs: [String], notifyCommand: Bool)
}
