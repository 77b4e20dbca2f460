import Foundation

/// Builds the plan of one mutation: checks every resource first, and only when none is refused
/// records the changes and events. Never mutates the state it reads.
struct Planner {
    let state: FleetState
    let context: MutationContext
    var plan = Plan()

    init(state: FleetState, context: MutationContext) {
        self.state = state
        self.context = context
    }

    var policy: Policy { state.policy }

    // MARK: Recording

    /// The sequence number the next logged event gets.
    var nextSequence: UInt64 { state.nextEventSequence + UInt64(plan.events.count) }

    mutating func log(_ kind: EventKind, taskID: String?, resourceID: String?, _ message: String, key: String? = nil, attemptID: UInt64? = nil) {
        plan.events.append(
            Event(
                sequence: nextSequence, time: context.now, actor: context.actor, taskID: taskID,
                resourceID: resourceID, kind: kind, message: message, key: key, attemptID: attemptID))
    }

    mutating func update(_ task: MaintenanceTask, _ resource: Resource) {
        plan.changes.append(.updateResource(taskID: task.id, resource: resource))
    }

    func time(_ date: Date) -> String { InstantText.short(date, in: context.timeZone) }

    // MARK: Lookups

    /// The resources named by `ids`, in that order; unknown or repeated ids are refused before any rule runs.
    func resources(_ ids: [String], of task: MaintenanceTask) throws(MutationError) -> [Resource] {
        guard !ids.isEmpty else { throw .invalid("no resources given for task \(task.id)") }
        var seen = Set<String>()
        var found: [Resource] = []
        for id in ids {
            guard let index = task.resourceIndex(of: id) else {
                throw .unknownResource(taskID: task.id, resourceID: id)
            }
            guard seen.insert(id).inserted else { throw .invalid("resource \(id) is named twice") }
            found.append(task.resources[index])
        }
        return found
    }

    func resource(_ id: String, of task: MaintenanceTask) throws(MutationError) -> Resource {
        guard let index = task.resourceIndex(of: id) else {
            throw .unknownResource(taskID: task.id, resourceID: id)
        }
        return task.resources[index]
    }

    func refusal(_ task: MaintenanceTask, _ resource: Resource, _ rule: SchedulingRule, _ message: String) -> Refusal {
        Refusal(taskID: task.id, resourceID: resource.id, rule: rule, message: "\(resource.name): \(message)", resourceName: resource.name)
    }

    /// Refuses when `resource` is not in one of `allowed`, with the reason the state machine gives.
    func stateRefusal(_ task: MaintenanceTask, _ resource: Resource, allowed: Set<ResourceStatus>, action: String) -> Refusal? {
        guard !allowed.contains(resource.status) else { return nil }
        let reason: String
        switch resource.status {
        case .inProgress: reason = "is in progress and cannot be \(action) until the execution ends"
        case .completed: reason = "is completed, which is final"
        default: reason = "is \(resource.status.rawValue) and cannot be \(action)"
        }
        return refusal(task, resource, .state, reason)
    }
}
