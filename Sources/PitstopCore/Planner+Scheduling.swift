import Foundation

/// The scheduling rules of the spec, applied whenever a reservation is written.
extension Planner {
    static let reservable: Set<ResourceStatus> = [.pending, .reserved, .failed, .excluded]

    /// Why `resource` may not be reserved at `at`, or nil when every rule allows it.
    func reservationRefusal(_ task: MaintenanceTask, _ resource: Resource, at: Date, force: Bool, checkLockout: Bool = true) -> Refusal? {
        if let refusal = stateRefusal(task, resource, allowed: Self.reservable, action: "rescheduled") {
            return refusal
        }
        let earliest = context.now.addingTimeInterval(policy.minLeadTime)
        if at < earliest {
            return refusal(
                task, resource, .leadTime,
                "\(time(at)) is less than \(DurationText.format(policy.minLeadTime)) from now; the earliest allowed is \(time(earliest))")
        }
        if task.requirement == .mandatory, let deadline = task.deadline, at >= deadline {
            return refusal(task, resource, .deadline, "\(time(at)) is not before the deadline of \(task.id) (\(time(deadline)))")
        }
        if checkLockout, !force, let lockedUntil = lockedOutUntil(resource) {
            return refusal(
                task, resource, .lockout,
                "failed \(resource.failures) times and is locked out until \(time(lockedUntil)); force to reserve anyway")
        }
        if let other = conflictingPlacement(of: resource.id, outside: task.id, near: at) {
            return refusal(
                task, resource, .conflict,
                "\(task.id) at \(time(at)) is within \(DurationText.format(policy.conflictWindow)) of \(other.task.id) (\(other.task.title)) reserved at \(time(other.at)) on the same resource")
        }
        return nil
    }

    /// The end of the lockout of a resource that failed too often, if it is still locked out now.
    func lockedOutUntil(_ resource: Resource) -> Date? {
        guard resource.failures >= Policy.lockoutFailureCount, let lastFailure = resource.lastFailureAt else { return nil }
        let until = lastFailure.addingTimeInterval(policy.lockout)
        return until > context.now ? until : nil
    }

    /// Another task's reservation (or running execution) of the same machine closer than the conflict window.
    func conflictingPlacement(of machineID: String, outside taskID: String, near at: Date) -> (task: MaintenanceTask, at: Date)? {
        for placement in state.placements(ofMachine: machineID) where placement.task.id != taskID {
            let other = placement.resource
            guard other.status == .reserved || other.status == .inProgress, let otherAt = other.scheduledAt else { continue }
            if abs(otherAt.timeIntervalSince(at)) < policy.conflictWindow {
                return (placement.task, otherAt)
            }
        }
        return nil
    }

    /// Reserves each resource at its staggered instant; refuses all of them if any breaks a rule.
    mutating func reserve(
        task: MaintenanceTask, resourceIDs: [String], at start: Date, stagger: Stagger?, force: Bool, kind: EventKind
    ) throws(MutationError) {
        if let stagger, stagger.perSlot < 1 || stagger.spacing <= 0 {
            throw .invalid("a stagger needs a spacing above 0 and at least 1 resource per slot")
        }
        let targets = try resources(resourceIDs, of: task)
        var planned: [(Resource, Date)] = []
        var refusals: [Refusal] = []
        for (position, resource) in targets.enumerated() {
            let at = stagger?.instant(forPosition: position, start: start) ?? start
            if let refusal = reservationRefusal(task, resource, at: at, force: force) {
                refusals.append(refusal)
            } else {
                planned.append((resource, at))
            }
        }
        guard refusals.isEmpty else { throw .refused(refusals) }
        for (resource, at) in planned {
            var updated = resource
            let previous = resource.status
            updated.status = .reserved
            updated.scheduledAt = at
            if previous == .failed {
                updated.attempts = 0
                updated.progress = 0
            }
            update(task, updated)
            let when = time(at)
            switch (kind, previous) {
            case (.autoReserved, _):
                log(.autoReserved, taskID: task.id, resourceID: resource.id, "\(resource.name) auto-reserved for \(when), before the deadline")
            case (_, .reserved):
                log(.rescheduled, taskID: task.id, resourceID: resource.id, "\(resource.name) moved from \(resource.scheduledAt.map(time) ?? "-") to \(when)")
            case (_, .excluded):
                log(.reserved, taskID: task.id, resourceID: resource.id, "\(resource.name) included again and reserved for \(when)")
            default:
                log(kind, taskID: task.id, resourceID: resource.id, "\(resource.name) reserved for \(when)\(force && lockedOutUntil(resource) != nil ? " (lockout forced)" : "")")
            }
        }
    }

    /// Failed resources back to reserved, by default at the earliest instant the lead-time rule allows.
    mutating func retry(task: MaintenanceTask, resourceIDs: [String], at: Date?, force: Bool) throws(MutationError) {
        let targets = try resources(resourceIDs, of: task)
        let notFailed = targets.filter { $0.status != .failed }.map {
            refusal(task, $0, .state, "is \($0.status.rawValue); only failed resources can be retried")
        }
        guard notFailed.isEmpty else { throw .refused(notFailed) }
        let when = at ?? earliestReservation()
        try reserve(task: task, resourceIDs: resourceIDs, at: when, stagger: nil, force: force, kind: .retried)
    }

    func earliestReservation() -> Date { policy.earliestReservation(at: context.now) }
}
