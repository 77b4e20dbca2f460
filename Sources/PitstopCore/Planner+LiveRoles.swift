import Foundation

extension Planner {
    /// Records the roles Patroni reported for `cluster`'s members on every resource of that cluster and member,
    /// in every task: the live role is kept only where it differs from the stored one, and each change is an
    /// event ("now primary in Patroni", "replica again, as its task says"). Nothing changes when all agree.
    mutating func observeRoles(cluster: String, roles: [String: ResourceRole]) {
        for (task, resource, live) in state.liveRoleChanges(cluster: cluster, roles: roles) {
            var updated = resource
            updated.liveRole = live
            update(task, updated)
            let message = live.map { "\(resource.name) is now \($0.rawValue) in Patroni (its task says \(resource.role.rawValue))" }
                ?? "\(resource.name) is \(resource.role.rawValue) again in Patroni, as its task says"
            log(.roleChanged, taskID: task.id, resourceID: resource.id, message)
        }
    }
}

extension FleetState {
    /// Whether recording `roles` for `cluster` (`Mutation.observeRoles`) would change any resource: the
    /// engine asks before writing, so an attempt that keeps reporting the same roles writes nothing.
    public func liveRolesDiffer(cluster: String, roles: [String: ResourceRole]) -> Bool {
        !liveRoleChanges(cluster: cluster, roles: roles, first: true).isEmpty
    }

    /// Each resource of `cluster` (in every task) whose live role `roles` would change, with the live role it
    /// would have: nil when Patroni agrees with the task. With `first`, the first such resource only.
    func liveRoleChanges(cluster: String, roles: [String: ResourceRole], first: Bool = false)
        -> [(task: MaintenanceTask, resource: Resource, live: ResourceRole?)] {
        var changes: [(MaintenanceTask, Resource, ResourceRole?)] = []
        for task in tasks {
            for resource in task.resources where resource.cluster == cluster {
                guard let member = resource.labels[PatroniCluster.memberLabel], let reported = roles[member] else { continue }
                let live: ResourceRole? = reported == resource.role ? nil : reported
                guard live != resource.liveRole else { continue }
                changes.append((task, resource, live))
                if first { return changes }
            }
        }
        return changes
    }
}
