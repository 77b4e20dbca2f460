public import Foundation

/// What a person saw of a resource when they began a change: its status and its reservation. A write made on
/// that view is refused if either moved meanwhile (optimistic concurrency), so that two consoles never
/// overwrite each other silently.
public struct ResourceVersion: Equatable, Hashable, Sendable {
    /// The resource's task.
    public var taskID: String
    /// The resource.
    public var resourceID: String
    /// Its status then.
    public var status: ResourceStatus
    /// Its reservation then.
    public var scheduledAt: Date?

    /// The version of `resource` of `taskID` as it is now.
    public init(_ resource: Resource, of taskID: String) {
        self.taskID = taskID
        resourceID = resource.id
        status = resource.status
        scheduledAt = resource.scheduledAt
    }

    /// The versions of these resources of a task as `fleet` holds them now (unknown ones are left out).
    public static func current(_ resourceIDs: [String], of taskID: String, in fleet: FleetState) -> [ResourceVersion] {
        guard let task = fleet.task(id: taskID) else { return [] }
        return resourceIDs.compactMap { id in task.resource(id: id).map { ResourceVersion($0, of: taskID) } }
    }

    /// Whether `fleet` still holds the resource as this version saw it.
    public func holds(in fleet: FleetState) -> Bool {
        guard let resource = fleet.task(id: taskID)?.resource(id: resourceID) else { return false }
        return resource.status == status && resource.scheduledAt == scheduledAt
    }

    /// The same resources as `fleet` holds them now (unknown ones are left out).
    public static func refreshed(_ versions: [ResourceVersion], in fleet: FleetState) -> [ResourceVersion] {
        versions.compactMap { version in
            fleet.task(id: version.taskID)?.resource(id: version.resourceID).map { ResourceVersion($0, of: version.taskID) }
        }
    }

    /// The versions among `versions` that `fleet` no longer holds.
    public static func moved(_ versions: [ResourceVersion], in fleet: FleetState) -> [ResourceVersion] {
        versions.filter { !$0.holds(in: fleet) }
    }
}
