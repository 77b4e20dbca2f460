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
            // A time already gone is said to be gone: "less than 1m from now" would read as soon.
            let why = at <= context.now
                ? "\(time(at)) is in the past (\(DurationText.approximate(context.now.timeIntervalSince(at))) ago)"
                : "\(time(at)) is less than \(DurationText.format(policy.minLeadTime)) from now"
            return refusal(task, resource, .leadTime, "\(why); the earliest allowed is \(time(earliest))")
        }
        if task.requirement == .mandatory, let deadline = task.deadline, at >= deadline {
            return refusal(task, resource, .deadline, "\(time(at)) is not before the deadline of \(task.id) (\(time(deadline)))")
        }
        let end = at.addingTimeInterval(task.executor.expectedLength)
        if let (freeze, occurrence) = policy.freeze(overlapping: at, end, service: task.service) {
            let inside = occurrence.start <= at
            return refusal(
                task, resource, .freeze,
                inside
                    ? "\(time(at)) is inside the freeze \(freeze.name) (\(time(occurrence.start)) to \(time(occurrence.end)))"
                    : "a run from \(time(at)) (up to \(DurationText.format(task.executor.expectedLength))) runs into the freeze \(freeze.name) from \(time(occurrence.start))")
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
        task: MaintenanceTask, resourceIDs: [String], at start: Date, stagger: Stagger?, force: Bool, kind: EventKind, inWaves: Bool = false
    ) throws(MutationError) {
        if let stagger, stagger.perSlot < 1 || !(stagger.spacing > 0 && stagger.spacing <= Stagger.longestSpacing) {
            throw .invalid("a stagger needs a spacing above 0 and at most a week (10080 minutes), and at least 1 resource per slot")
        }
        var targets = try resources(resourceIDs, of: task)
        if stagger != nil || inWaves {
            // Replicas take the first slots and primaries the last, so that a cluster keeps its primary up longest.
            targets = targets.enumerated().sorted { ($0.element.effectiveRole.order, $0.offset) < ($1.element.effectiveRole.order, $1.offset) }.map(\.element)
        }
        let instants = inWaves ? waveLayout(task, targets.map(\.id), start: start, stagger: stagger) : [:]
        let wanted = targets.enumerated().map { position, resource in
            (resource, instants[resource.id] ?? stagger?.instant(forPosition: position, start: start) ?? start)
        }
        // Before any rule words a date: an instant past the year 9999 has no calendar date to show.
        if wanted.contains(where: { !($0.1 <= Stagger.latestInstant) }) {
            throw .invalid("these slots would run past the year 9999; reserve nearer, or with a narrower stagger")
        }
        let (planned, refusals) = vet(task, wanted, force: force)
        guard refusals.isEmpty else { throw .refused(refusals) }
        let topology = topologyRefusals(task, planned: planned)
        guard topology.isEmpty else { throw .refused(topology) }
        for (resource, at) in planned {
            var updated = resource
            let previous = resource.status
            updated.status = .reserved
            updated.scheduledAt = at
            updated.heldReason = nil
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

    /// Each wanted reservation, allowed by every rule (planned) or not (its refusal).
    func vet(_ task: MaintenanceTask, _ wanted: [(Resource, Date)], force: Bool) -> (planned: [(Resource, Date)], refusals: [Refusal]) {
        var planned: [(Resource, Date)] = []
        var refusals: [Refusal] = []
        for (resource, at) in wanted {
            if let refusal = reservationRefusal(task, resource, at: at, force: force) {
                refusals.append(refusal)
            } else {
                planned.append((resource, at))
            }
        }
        return (planned, refusals)
    }

    /// Reservations laid out wave by wave: each wave's resources in its own slots (`stagger`, or all at once),
    /// the next wave from the end of the previous one's last slot (a whole run) plus the task's soak.
    func waveLayout(_ task: MaintenanceTask, _ ordered: [String], start: Date, stagger: Stagger?) -> [String: Date] {
        let waves = Waves(ordered: ordered, sizes: task.waves.isEmpty ? [.percent(100)] : task.waves)
        var instants: [String: Date] = [:]
        var waveStart = start
        for members in waves.members {
            var last = waveStart
            for (position, id) in members.enumerated() {
                let at = stagger?.instant(forPosition: position, start: waveStart) ?? waveStart
                instants[id] = at
                last = max(last, at)
            }
            waveStart = last.addingTimeInterval(task.executor.expectedLength + task.soak).roundedUpToMinute
        }
        return instants
    }

    /// The replicas-first rule over the task's reservations as they would be after this write: a primary's
    /// reservation must be later than every reservation of a replica of its cluster in the task. Names the replica.
    func topologyRefusals(_ task: MaintenanceTask, planned: [(Resource, Date)]) -> [Refusal] {
        let touched = Set(planned.compactMap { $0.0.cluster })
        guard !touched.isEmpty else { return [] }
        var at: [String: Date] = [:]
        for resource in task.resources where resource.status == .reserved { at[resource.id] = resource.scheduledAt }
        for (resource, date) in planned { at[resource.id] = date }
        let plannedIDs = Set(planned.map { $0.0.id })
        var refusals: [Refusal] = []
        for cluster in touched.sorted() {
            guard let primary = task.resources.first(where: { $0.cluster == cluster && $0.effectiveRole == .primary }),
                let primaryAt = at[primary.id]
            else { continue }
            for replica in task.replicas(of: cluster) {
                guard let replicaAt = at[replica.id], replicaAt >= primaryAt else { continue }
                // Refused on the resource this write moves: the primary, or else the replica.
                let subject = plannedIDs.contains(primary.id) ? primary : replica
                refusals.append(refusal(
                    task, subject, .topology,
                    "primary \(primary.name) at \(time(primaryAt)) must come after replica \(replica.name) at \(time(replicaAt)) in cluster \(cluster); replicas go first"))
            }
        }
        return refusals
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
