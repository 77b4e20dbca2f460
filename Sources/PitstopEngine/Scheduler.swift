public import Foundation
public import PitstopCore

/// What is running now, for the concurrency limits.
public struct RunningSet: Sendable {
    /// Attempts running across the store.
    public private(set) var total = 0
    /// Attempts running per task id.
    public private(set) var perTask: [String: Int] = [:]
    /// Machines (resource ids) with an attempt running.
    public private(set) var machines: Set<String> = []
    /// Attempts running per cluster, across tasks.
    public private(set) var perCluster: [String: Int] = [:]

    /// Nothing running.
    public init() {}

    /// Counts one more running attempt, of a member of `cluster` when it has one.
    public mutating func add(_ placement: ResourceRef, cluster: String? = nil) {
        total += 1
        perTask[placement.taskID, default: 0] += 1
        machines.insert(placement.resourceID)
        if let cluster { perCluster[cluster, default: 0] += 1 }
    }
}

/// The engine's decisions as pure functions of the state and the time: what starts, what is missed,
/// what gets auto-reserved. No I/O, so every rule is tested on a virtual clock.
public enum Scheduler {
    /// Both in one pass over the fleet: the due reservations that may start, in start order (priority
    /// high→low, reserved time, task id, resource id), and those held with a reason other than the one they
    /// carry (what the engine must record). A resource of a later wave waits for the wave before it to finish
    /// and soak; a primary waits until every replica of its cluster in the task has completed (excluded
    /// replicas do not count). Resources are read in
    /// place (by index), not copied, and sorted as positions: this runs every tick over every resource.
    public static func dueAndHeld(in state: FleetState, now: Date, cutoff: Date? = nil) -> (due: [ResourceRef], held: [(ResourceRef, String)]) {
        /// A due reservation by position; ids are read only to break a tie of priority and time.
        struct Candidate {
            var rank: Int
            var at: Date
            var task: Int
            var resource: Int
        }
        let tasks = state.tasks.array
        var due: [Candidate] = []
        var held: [(ResourceRef, String)] = []
        let windowStart = now.addingTimeInterval(-state.policy.startWindow)
        for position in tasks.indices where !tasks[position].halted {
            let task = tasks[position]
            let resources = task.resources
            // Found once per task (and a wave's hold once per wave), not once per due resource.
            var waiting: [String: String]?
            var waves: (waves: Waves, byID: [String: Int])?
            var waveHolds: [Int: String?] = [:]
            for index in resources.indices where resources[index].status == .reserved {
                guard let at = resources[index].scheduledAt, at <= now, at >= windowStart else { continue }
                if let cutoff, at > cutoff { continue }
                var reason: String?
                if !task.waves.isEmpty {
                    if waves == nil {
                        let made = Waves(task)
                        waves = (made, made.waveByID())
                    }
                    if let wave = waves!.byID[resources[index].id], wave > 0 {
                        if waveHolds[wave] == nil { waveHolds[wave] = .some(waveHoldReason(ofWave: wave, waves: waves!.waves, in: task, now: now)) }
                        reason = waveHolds[wave]!
                    }
                }
                if reason == nil, resources[index].effectiveRole == .primary, let cluster = resources[index].cluster {
                    if waiting == nil { waiting = waitingReplicas(task) }
                    reason = waiting?[cluster].map(topologyHold)
                }
                if let reason {
                    if resources[index].heldReason != reason { held.append((ResourceRef(taskID: task.id, resourceID: resources[index].id), reason)) }
                    continue
                }
                due.append(Candidate(rank: task.priority.rank, at: at, task: position, resource: index))
            }
        }
        due.sort { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            if a.at != b.at { return a.at < b.at }
            if a.task != b.task { return tasks[a.task].id < tasks[b.task].id }
            return tasks[a.task].resources[a.resource].id < tasks[b.task].resources[b.resource].id
        }
        return (due.map { ResourceRef(taskID: tasks[$0.task].id, resourceID: tasks[$0.task].resources[$0.resource].id) }, held)
    }

    /// Due reservations whose run, starting now, would run into a freeze (one added after they were made).
    public static func frozen(in state: FleetState, now: Date, cutoff: Date? = nil) -> [(ResourceRef, String)] {
        guard !state.policy.freezes.isEmpty else { return [] }
        var frozen: [(ResourceRef, String)] = []
        let windowStart = now.addingTimeInterval(-state.policy.startWindow)
        for task in state.tasks where !task.halted {
            let end = now.addingTimeInterval(task.executor.expectedLength)
            guard let (freeze, _) = state.policy.freeze(overlapping: now, end, service: task.service) else { continue }
            let resources = task.resources
            for index in resources.indices where resources[index].status == .reserved {
                guard let at = resources[index].scheduledAt, at <= now, at >= windowStart else { continue }
                if let cutoff, at > cutoff { continue }
                frozen.append((ResourceRef(taskID: task.id, resourceID: resources[index].id), freeze.name))
            }
        }
        return frozen
    }

    /// The latest start in `[earliest, latest]` at or before `preferred` (else after it) whose run of `length`
    /// runs into no freeze for `service`; nil when there is none.
    public static func startOutsideFreezes(preferred: Date, earliest: Date, latest: Date, length: TimeInterval, service: Service, policy: Policy) -> Date? {
        var candidate = preferred
        for _ in 0..<64 {
            guard candidate >= earliest else { break }
            guard let (_, occurrence) = policy.freeze(overlapping: candidate, candidate.addingTimeInterval(length), service: service) else { return candidate }
            candidate = Date(timeIntervalSince1970: (occurrence.start.addingTimeInterval(-length).timeIntervalSince1970 / 60).rounded(.down) * 60)
        }
        candidate = preferred
        for _ in 0..<64 {
            guard candidate <= latest else { return nil }
            guard let (_, occurrence) = policy.freeze(overlapping: candidate, candidate.addingTimeInterval(length), service: service) else { return candidate }
            candidate = occurrence.end.roundedUpToMinute
        }
        return nil
    }

    /// The hold of a primary whose cluster still has `replica` to finish.
    static func topologyHold(waitingFor replica: String) -> String { "waiting for replica \(replica)" }

    /// For each cluster of `task`, the name of its first replica (in task order) that has not completed or been
    /// excluded: what the hold of the cluster's primary names.
    static func waitingReplicas(_ task: MaintenanceTask) -> [String: String] {
        var waiting: [String: String] = [:]
        let resources = task.resources
        for index in resources.indices where resources[index].effectiveRole == .replica {
            let status = resources[index].status
            guard status != .completed, status != .excluded, let cluster = resources[index].cluster, waiting[cluster] == nil else { continue }
            waiting[cluster] = resources[index].name
        }
        return waiting
    }

    /// Why the resources of `wave` (after the first) may not start yet, or nil.
    static func waveHoldReason(ofWave wave: Int, waves: Waves, in task: MaintenanceTask, now: Date) -> String? {
        let previous = waves.members[wave - 1].compactMap { id in task.resource(id: id) }
        let finished: Set<ResourceStatus> = [.completed, .failed, .excluded]
        if let waiting = previous.first(where: { !finished.contains($0.status) }) {
            return "wave \(wave + 1) of \(waves.members.count) waits for wave \(wave) (\(waiting.name))"
        }
        if task.soak > 0, let last = previous.compactMap(\.finishedAt).max(), now < last.addingTimeInterval(task.soak) {
            return "wave \(wave + 1) of \(waves.members.count) soaks until \(InstantText.iso8601UTC(last.addingTimeInterval(task.soak))) after wave \(wave)"
        }
        return nil
    }

    /// Of the due placements, those that may start now without breaking a limit: the global and per-task
    /// concurrency, `clusterConcurrency` members of one cluster, and never two executions of one machine at once.
    public static func startable(_ due: [ResourceRef], in state: FleetState, running: RunningSet) -> [ResourceRef] {
        var running = running
        var chosen: [ResourceRef] = []
        let global = state.policy.maxConcurrency
        for placement in due {
            guard running.total < global else { break }
            guard !running.machines.contains(placement.resourceID), let task = state.task(id: placement.taskID) else { continue }
            if let limit = task.maxConcurrency, running.perTask[task.id, default: 0] >= limit { continue }
            let cluster = task.resource(id: placement.resourceID)?.cluster
            if let cluster, running.perCluster[cluster, default: 0] >= state.policy.clusterConcurrency { continue }
            running.add(placement, cluster: cluster)
            chosen.append(placement)
        }
        return chosen
    }

    /// Reserved resources whose start window has passed without a start: the engine was not running.
    public static func missed(in state: FleetState, now: Date) -> [ResourceRef] {
        let windowStart = now.addingTimeInterval(-state.policy.startWindow)
        var missed: [ResourceRef] = []
        for task in state.tasks {
            // Read in place, by index: a resource copy retains each of its strings, and this runs every tick.
            let resources = task.resources
            for index in resources.indices where resources[index].status == .reserved {
                if let at = resources[index].scheduledAt, at < windowStart {
                    missed.append(ResourceRef(taskID: task.id, resourceID: resources[index].id))
                }
            }
        }
        return missed
    }

    /// An auto-reservation the engine should make for a mandatory task before its deadline.
    public struct AutoReservation: Sendable, Equatable {
        /// The mandatory task.
        public var taskID: String
        /// Its pending resources, in order.
        public var resourceIDs: [String]
        /// The first slot.
        public var at: Date
        /// How the slots follow.
        public var stagger: Stagger
        /// The freeze that leaves no time to run before the deadline, when that is so (nothing is reserved).
        public var blockedBy: String?
    }

    /// Mandatory tasks with pending resources whose `deadline − autoApplyMargin` is only `minLeadTime` away.
    public static func autoReservations(in state: FleetState, now: Date) -> [AutoReservation] {
        let policy = state.policy
        guard policy.autoApply else { return [] }
        var result: [AutoReservation] = []
        for task in state.tasks where task.requirement == .mandatory && !task.halted {
            guard let deadline = task.deadline else { continue }
            let resources = task.resources
            let pending = resources.indices.filter { resources[$0].status == .pending }.map { resources[$0].id }
            guard !pending.isEmpty else { continue }
            let target = deadline.addingTimeInterval(-policy.autoApplyMargin)
            let earliest = now.addingTimeInterval(policy.minLeadTime)
            guard earliest >= target else { continue }
            var at = max(target, earliest).roundedUpToMinute
            let length = task.executor.expectedLength
            if let (freeze, _) = policy.freeze(overlapping: at, at.addingTimeInterval(length), service: task.service) {
                // The latest time before the deadline outside every freeze, else none: said loudly.
                guard let outside = startOutsideFreezes(
                    preferred: at, earliest: earliest, latest: deadline.addingTimeInterval(-length), length: length, service: task.service, policy: policy)
                else {
                    result.append(AutoReservation(taskID: task.id, resourceIDs: pending, at: at, stagger: Stagger(spacing: 60), blockedBy: freeze.name))
                    continue
                }
                at = outside
            }
            guard at < deadline else { continue }
            let perSlot = max(1, min(task.maxConcurrency ?? policy.maxConcurrency, policy.maxConcurrency))
            result.append(AutoReservation(taskID: task.id, resourceIDs: pending, at: at, stagger: Stagger(spacing: slotLength(task), perSlot: perSlot)))
        }
        return result
    }

    /// Time one slot of a staggered rollout needs: a whole execution with its retries, at least 5 minutes.
    static func slotLength(_ task: MaintenanceTask) -> TimeInterval {
        let attempt: TimeInterval
        switch task.executor {
        case .simulated(let s): attempt = s.durationSeconds * (1 + s.jitter)
        case .command(let c): attempt = min(c.timeoutSeconds, 1800)
        }
        let backoff = (0..<task.retries).reduce(0.0) { $0 + Engine.backoff(afterAttempt: $1 + 1) }
        let total = attempt * Double(task.retries + 1) + backoff
        return max(300, (total / 60).rounded(.up) * 60)
    }
}
