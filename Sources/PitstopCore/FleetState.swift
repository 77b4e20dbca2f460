import Foundation

/// Everything a store holds: tasks, policy and the audit log, with indexes for fast lookups.
/// Changes reach it only through `commit`, which the store calls for both new and replayed changes.
public struct FleetState: Sendable {
    public private(set) var tasks: [MaintenanceTask] = []
    public private(set) var policy = Policy()
    public private(set) var events: [Event] = []
    private var taskIndexByID: [String: Int] = [:]
    /// Machine (resource id) → indexes of the tasks that contain it, for the cross-task conflict rule.
    private var taskIndexesByMachine: [String: [Int]] = [:]

    public init() {}

    /// Builds a state from decoded parts (a snapshot), rebuilding the indexes.
    public init(tasks: [MaintenanceTask], policy: Policy, events: [Event]) {
        self.policy = policy
        self.events = events
        self.tasks.reserveCapacity(tasks.count)
        taskIndexByID.reserveCapacity(tasks.count)
        taskIndexesByMachine.reserveCapacity(tasks.reduce(0) { $0 + $1.resources.count } / 2)
        for task in tasks { insert(task) }
    }

    /// The task with this id.
    public func task(id: String) -> MaintenanceTask? {
        taskIndexByID[id].map { tasks[$0] }
    }

    /// Every (task, resource) pair of this machine across tasks.
    public func placements(ofMachine machineID: String) -> [(task: MaintenanceTask, resource: Resource)] {
        (taskIndexesByMachine[machineID] ?? []).compactMap { index in
            let task = tasks[index]
            return task.resourceIndex(of: machineID).map { (task, task.resources[$0]) }
        }
    }

    /// Sequence number the next event gets.
    public var nextEventSequence: UInt64 { (events.last?.sequence ?? 0) + 1 }

    /// Applies changes and appends events, without validation: they were validated when planned.
    public mutating func commit(_ changes: [Change], events newEvents: [Event]) {
        for change in changes {
            switch change {
            case .addTask(let task):
                if let index = taskIndexByID[task.id] {
                    tasks[index] = task
                } else {
                    insert(task)
                }
            case .updateResource(let taskID, let resource):
                guard let taskIndex = taskIndexByID[taskID] else { continue }
                if let resourceIndex = tasks[taskIndex].resourceIndex(of: resource.id) {
                    tasks[taskIndex].resources[resourceIndex] = resource
                } else {
                    tasks[taskIndex].resources.append(resource)
                    taskIndexesByMachine[resource.id, default: []].append(taskIndex)
                }
            case .setPolicy(let policy):
                self.policy = policy
            case .setHalted(let taskID, let halted):
                if let index = taskIndexByID[taskID] { tasks[index].halted = halted }
            }
        }
        events.append(contentsOf: newEvents)
    }

    /// Validates and applies in one step; the convenience the tests and simple callers use.
    @discardableResult
    public mutating func apply(_ mutation: Mutation, context: MutationContext) throws(MutationError) -> Plan {
        let plan = try self.plan(mutation, context: context)
        commit(plan.changes, events: plan.events)
        return plan
    }

    private mutating func insert(_ task: MaintenanceTask) {
        let index = tasks.count
        tasks.append(task)
        taskIndexByID[task.id] = index
        for resource in task.resources {
            taskIndexesByMachine[resource.id, default: []].append(index)
        }
    }
}
