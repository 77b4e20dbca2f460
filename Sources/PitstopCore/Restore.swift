public import Foundation

/// A resource as it was before a change, to put back by an undo: the part of its state an operator's change
/// moves (status and reservation, and the attempt count and progress that a retry resets).
public struct RestoredResource: Sendable, Equatable {
    public var resourceID: String
    public var status: ResourceStatus
    public var scheduledAt: Date?
    public var attempts: Int
    public var progress: Int

    public init(resourceID: String, status: ResourceStatus, scheduledAt: Date?, attempts: Int, progress: Int) {
        self.resourceID = resourceID
        self.status = status
        self.scheduledAt = scheduledAt
        self.attempts = attempts
        self.progress = progress
    }

    /// `resource` as it is now, to restore later.
    public init(_ resource: Resource) {
        self.init(resourceID: resource.id, status: resource.status, scheduledAt: resource.scheduledAt, attempts: resource.attempts, progress: resource.progress)
    }
}

extension Planner {
    /// Puts resources of a task back as they were before an operator's change (`Mutation.restore`). Whoever
    /// writes it says which state it undoes (`expecting`); here the restored state itself is checked as any
    /// write of it would be: a reservation put back must pass every scheduling rule now (lead time, deadline,
    /// freeze, conflict, replicas first), and only the states an operator's change leaves can be restored.
    mutating func restore(task: MaintenanceTask, _ wanted: [RestoredResource], undoing sequence: UInt64, what: String) throws(MutationError) {
        guard !wanted.isEmpty else { throw .invalid("nothing to undo") }
        let targets = try resources(wanted.map(\.resourceID), of: task)
        var refusals: [Refusal] = []
        var reservations: [(Resource, Date)] = []
        for (resource, before) in zip(targets, wanted) {
            if let refusal = stateRefusal(task, resource, allowed: [.pending, .reserved, .failed, .excluded], action: "put back") {
                refusals.append(refusal)
                continue
            }
            guard [.pending, .reserved, .failed, .excluded].contains(before.status) else {
                refusals.append(refusal(task, resource, .state, "cannot be put back to \(before.status.rawValue)"))
                continue
            }
            if before.status == .reserved {
                guard let at = before.scheduledAt else { throw .invalid("a reservation to restore needs its time") }
                reservations.append((resource, at))
            }
        }
        // The lockout was the original writer's to force; the other rules hold as for any reservation.
        let (planned, refused) = vet(task, reservations, force: true)
        refusals += refused
        guard refusals.isEmpty else { throw .refused(refusals) }
        let topology = topologyRefusals(task, planned: planned)
        guard topology.isEmpty else { throw .refused(topology) }
        for (resource, before) in zip(targets, wanted) {
            var updated = resource
            updated.status = before.status
            updated.scheduledAt = before.scheduledAt
            updated.attempts = before.attempts
            updated.progress = before.progress
            updated.heldReason = nil
            update(task, updated)
            let now = before.status == .reserved ? "reserved for \(before.scheduledAt.map(time) ?? "-")" : before.status.rawValue
            log(.undone, taskID: task.id, resourceID: resource.id, "undo of #\(sequence) (\(what)): \(resource.name) \(resource.status.rawValue) → \(now)")
        }
    }
}

extension EventKind {
    /// An operator's change put back by an undo; the message names the event it undoes (`undo of #N`).
    public static let undone = EventKind(rawValue: "undone")
}
