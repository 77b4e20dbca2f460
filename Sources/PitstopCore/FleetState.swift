import Foundation
import Synchronization

/// Everything a store holds: tasks, policy and the audit log, with indexes for fast lookups.
/// Changes reach it only through `commit`, which the store calls for both new and replayed changes.
public struct FleetState: Sendable {
    /// Every task, in import order.
    public private(set) var tasks = TaskList()
    /// The store's policy.
    public private(set) var policy = Policy()
    /// The audit log, oldest first: on disk up to the last snapshot, in memory since.
    public private(set) var events = EventLog()
    /// Changes whenever what a task can be found by changes: a task added or replaced, a resource added or
    /// renamed, and for every state built from a snapshot (a reload). Status, schedule and progress changes
    /// leave it alone, so a search index keyed by it survives a running engine.
    public private(set) var catalogVersion = CatalogVersion()
    private var index = FleetIndex()

    /// An empty fleet with the default policy.
    public init() {}

    /// Builds a state from decoded parts, its log held in memory.
    public init(tasks: [MaintenanceTask], policy: Policy, events: [Event]) {
        self.init(tasks: tasks, policy: policy, log: EventLog(events))
    }

    /// Builds a state whose log may be read from disk on demand (a snapshot of the current format).
    public init(tasks: [MaintenanceTask], policy: Policy, log: EventLog) {
        self.init(tasks: TaskList(tasks), policy: policy, log: log)
    }

    /// Builds a state whose tasks may be decoded on demand (a snapshot of the current format).
    public init(tasks: TaskList, policy: Policy, log: EventLog) {
        self.policy = policy
        self.events = log
        self.tasks = tasks
        self.index = FleetIndex(tasks: tasks)
    }

    /// Decodes every task a lazily loaded fleet has not decoded yet (on two threads) and makes its task list an
    /// array again (`TaskList.adoptDecoded`).
    public mutating func decodeAllTasks() {
        tasks.decodeAll()
        tasks.adoptDecoded()
    }

    /// Makes the task list an array again if every task is decoded (by `decodeAll` on another thread, or by
    /// reads); cheap when there is nothing to do.
    public mutating func adoptDecodedTasks() {
        if tasks.source != nil { tasks.adoptDecoded() }
    }

    /// The task with this id.
    public func task(id: String) -> MaintenanceTask? {
        index.taskIndexByID[id].map { tasks[$0] }
    }

    /// Every (task, resource) pair of this machine across tasks.
    public func placements(ofMachine machineID: String) -> [(task: MaintenanceTask, resource: Resource)] {
        index.taskIndexes(ofMachine: machineID, in: tasks).compactMap { index in
            let task = tasks[index]
            return task.resourceIndex(of: machineID).map { (task, task.resources[$0]) }
        }
    }

    /// Sequence number the next event gets.
    public var nextEventSequence: UInt64 { events.lastSequence + 1 }

    /// Applies changes and appends events, without validation: they were validated when planned.
    public mutating func commit(_ changes: [Change], events newEvents: [Event]) {
        for change in changes {
            switch change {
            case .addTask(let task):
                catalogVersion = CatalogVersion()
                if let position = index.taskIndexByID[task.id] {
                    tasks[position] = task
                } else {
                    index.insert(task, at: tasks.count)
                    tasks.append(task)
                }
            case .updateResource(let taskID, let resource):
                guard let taskIndex = index.taskIndexByID[taskID] else { continue }
                if let resourceIndex = tasks[taskIndex].resourceIndex(of: resource.id) {
                    if tasks[taskIndex].resources[resourceIndex].name != resource.name { catalogVersion = CatalogVersion() }
                    tasks[taskIndex].resources[resourceIndex] = resource
                } else {
                    catalogVersion = CatalogVersion()
                    tasks[taskIndex].resources.append(resource)
                    index.add(machine: resource.id, task: taskIndex)
                }
            case .setPolicy(let policy):
                self.policy = policy
            case .setHalted(let taskID, let halted):
                if let position = index.taskIndexByID[taskID] { tasks[position].halted = halted }
            case .setHold(let taskID, let resourceID, let reason):
                guard let position = index.taskIndexByID[taskID], let slot = tasks[position].resourceIndex(of: resourceID) else { continue }
                tasks[position].resources[slot].heldReason = reason
            }
        }
        events.append(contentsOf: newEvents)
    }

    /// The same fleet with its log replaced by `log`, which holds the same events (kept elsewhere): a store
    /// swaps in the on-disk archive it has just written.
    public mutating func replaceLog(with log: EventLog) {
        precondition(log.count == events.count && log.lastSequence == events.lastSequence, "a log swapped for one with other events")
        events = log
    }

    /// Validates and applies in one step; the convenience the tests and simple callers use.
    @discardableResult
    public mutating func apply(_ mutation: Mutation, context: MutationContext) throws(MutationError) -> Plan {
        let plan = try self.plan(mutation, context: context)
        commit(plan.changes, events: plan.events)
        return plan
    }
}

/// The lookups a fleet keeps beside its tasks: task by id, and machine (resource id) → the tasks that
/// contain it, for the cross-task conflict rule. Built from the tasks alone; the machine map only when first
/// asked for, since opening a store to read it (the watch, the command line) never needs it.
public struct FleetIndex: Sendable {
    var taskIndexByID: [String: Int] = [:]
    private var machines = MachineIndex()

    /// An index of no tasks.
    public init() {}

    /// For tasks loaded from a snapshot: the machines of tasks written since (the snapshot's own index knows
    /// the rest), so that finding a machine's tasks decodes only those that may hold it.
    private var machinesSinceLoad: [String: [Int]]?

    /// The index of these tasks, in this order; ids of tasks loaded lazily are read without decoding them.
    public init(tasks: TaskList) {
        taskIndexByID.reserveCapacity(tasks.count)
        for position in tasks.indices { taskIndexByID[tasks.id(at: position)] = position }
        if tasks.source != nil { machinesSinceLoad = [:] }
    }

    mutating func insert(_ task: MaintenanceTask, at position: Int) {
        taskIndexByID[task.id] = position
        if machinesSinceLoad != nil {
            for resource in task.resources { machinesSinceLoad![resource.id, default: []].append(position) }
        }
        updateMachines { MachineIndex.add(task, at: position, to: &$0) }
    }

    mutating func add(machine id: String, task position: Int) {
        machinesSinceLoad?[id, default: []].append(position)
        updateMachines { $0[id, default: []].append(position) }
    }

    /// Positions in `tasks` (the tasks this index was made for) of the tasks that may contain the machine: all
    /// that do, and for tasks loaded lazily perhaps some that do not (callers check each).
    func taskIndexes(ofMachine id: String, in tasks: TaskList) -> [Int] {
        if let source = tasks.source, let since = machinesSinceLoad {
            let loaded = source.positions(mayHoldMachine: id)
            guard let added = since[id] else { return loaded }
            return Array(Set(loaded).union(added)).sorted()
        }
        return machines.map(of: tasks)[id] ?? []
    }

    /// Applies a change to the machine map if it was built; a map shared with a copy of the fleet is copied
    /// first, so that the copy keeps the map of its own tasks.
    private mutating func updateMachines(_ change: (inout [String: [Int]]) -> Void) {
        if !isKnownUniquelyReferenced(&machines) { machines = machines.copy() }
        machines.update(change)
    }
}

/// The machine → tasks map of `FleetIndex`, built on first use and shared by copies of the fleet until one
/// of them changes which machines its tasks hold.
final class MachineIndex: Sendable {
    private let built = Mutex<[String: [Int]]?>(nil)

    init(_ map: [String: [Int]]? = nil) { built.withLock { $0 = map } }

    /// The map, built from `tasks` the first time.
    func map(of tasks: TaskList) -> [String: [Int]] {
        if let map = built.withLock({ $0 }) { return map }
        var map: [String: [Int]] = [:]
        map.reserveCapacity(tasks.resourceCount / 2)
        for position in tasks.indices { Self.add(tasks[position], at: position, to: &map) }
        return built.withLock { stored in
            if stored == nil { stored = map }
            return stored!
        }
    }

    /// Adds the machines of the task at `position`.
    static func add(_ task: MaintenanceTask, at position: Int, to map: inout [String: [Int]]) {
        // By index: iterating would copy (and retain) every resource for its id alone.
        let resources = task.resources
        for index in resources.indices { map[resources[index].id, default: []].append(position) }
    }

    func copy() -> MachineIndex { MachineIndex(built.withLock { $0 }) }

    func update(_ change: (inout [String: [Int]]) -> Void) {
        built.withLock { stored in
            if stored != nil { change(&stored!) }
        }
    }
}

/// One version of a fleet's catalog (its tasks' ids, titles, services, types and resource names), equal only
/// to itself: a counter would start again at zero in every state read from a snapshot, and a reloaded fleet
/// with other tasks could then pass for the one an index was built from.
public final class CatalogVersion: Equatable, Sendable {
    /// A version no other is equal to.
    public init() {}

    public static func == (a: CatalogVersion, b: CatalogVersion) -> Bool { a === b }
}
