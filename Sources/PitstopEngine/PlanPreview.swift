public import Foundation
public import PitstopCore
import PitstopStore

/// What the engine will do, worked out by running the engine itself on a copy of the fleet in a scratch
/// store, on a virtual clock: every attempt takes its expected length and succeeds. Concurrency limits,
/// topology holds, freezes, waves, misses and auto-reservations all come from the real scheduling code.
public struct PlanPreview: Sendable, Equatable {
    /// What happens to one resource.
    public enum Outcome: Sendable, Equatable {
        case runs
        /// Not started within its start window (the engine holds nothing: too much else runs).
        case missed
        /// Held past its start window, for this reason.
        case held(String)
        /// A freeze covers its time.
        case frozen
        /// Not reserved, and nothing reserves it before the horizon.
        case unscheduled
    }

    /// One resource's expected course.
    public struct Entry: Sendable, Equatable {
        /// The task.
        public var taskID: String
        /// The resource.
        public var resourceID: String
        /// Its display name.
        public var name: String
        /// Its reservation now (nil: none yet; auto-apply may make one).
        public var reservedAt: Date?
        /// When the engine would start it; nil when it would not.
        public var expectedStart: Date?
        /// When its attempt would end.
        public var expectedEnd: Date?
        /// What happens to it.
        public var outcome: Outcome
    }

    /// A mandatory task some of whose resources will not finish before its deadline.
    public struct DeadlineRisk: Sendable, Equatable {
        /// The mandatory task.
        public var taskID: String
        /// The task's deadline.
        public var deadline: Date
        /// The resources that will not finish in time, by id.
        public var resourceIDs: [String]
    }

    /// When the preview starts.
    public var now: Date
    /// Until when it looked.
    public var horizon: Date
    /// Every resource still to run, task by task.
    public var entries: [Entry]
    /// The mandatory tasks that will not finish in time.
    public var deadlineRisks: [DeadlineRisk]

    /// Runs the engine forward from `now` over `state` (or only `taskID`'s resources in the report) in a scratch
    /// directory under `scratch`, removed afterwards.
    public static func simulate(_ state: FleetState, now: Date, taskID: String? = nil, scratch: String = NSTemporaryDirectory()) throws -> PlanPreview {
        let directory = scratch + "/pitstop-plan-\(getpid())-\(UInt64(now.timeIntervalSince1970 * 1000))-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var copy = state
        var policy = copy.policy
        policy.notifyCommand = []  // a preview notifies nobody
        try copy.apply(.setPolicy(policy), context: MutationContext(now: now, actor: "plan"))
        let store = try Store.open(directory, options: StoreOptions(compactionThreshold: Int.max))
        try store.replaceAll(with: copy, now: now)
        let clock = ManualClock(now)
        let engine = Engine(store: store, clock: clock, executors: PlanExecutors())
        try engine.start()
        let horizon = horizon(of: state, now: now)
        let before = store.state.nextEventSequence
        while clock.now < horizon {
            try engine.tick()
            let next = nextMoment(store.state, after: clock.now)
            let reservedAhead = store.state.tasks.contains { task in !task.halted && task.resources.contains { $0.status == .reserved } }
            if engine.isIdle && !reservedAhead && next == nil { break }
            if engine.isIdle, let next, next > clock.now.addingTimeInterval(60) {
                clock.set(min(next, horizon))
            } else {
                clock.advance(by: 30)
            }
        }
        return report(store.state, original: state, from: before, now: now, horizon: horizon, taskID: taskID)
    }

    /// Far enough for every reservation (with its start window and a long run) and every deadline, at most 90 days.
    static func horizon(of state: FleetState, now: Date) -> Date {
        var latest = now
        for task in state.tasks {
            if let deadline = task.deadline { latest = max(latest, deadline) }
            for resource in task.resources { if let at = resource.scheduledAt { latest = max(latest, at) } }
        }
        return min(latest.addingTimeInterval(state.policy.startWindow + 2 * 86400), now.addingTimeInterval(90 * 86400))
    }

    /// The next moment the engine has something to do while nothing runs: a reservation's time, or the moment
    /// auto-apply reserves a mandatory task's pending resources (`deadline − autoApplyMargin − minLeadTime`).
    static func nextMoment(_ state: FleetState, after now: Date) -> Date? {
        var moments = state.tasks.lazy.filter { !$0.halted }.flatMap(\.resources).compactMap { $0.status == .reserved ? $0.scheduledAt : nil }.filter { $0 > now }.min()
        if state.policy.autoApply {
            for task in state.tasks where task.requirement == .mandatory && !task.halted && task.resources.contains(where: { $0.status == .pending }) {
                guard let deadline = task.deadline else { continue }
                let trigger = deadline.addingTimeInterval(-state.policy.autoApplyMargin - state.policy.minLeadTime)
                if trigger > now { moments = min(moments ?? trigger, trigger) }
            }
        }
        return moments
    }

    static func report(_ simulated: FleetState, original: FleetState, from first: UInt64, now: Date, horizon: Date, taskID: String?) -> PlanPreview {
        var starts: [ResourceRef: Date] = [:]
        var ends: [ResourceRef: Date] = [:]
        var outcomes: [ResourceRef: Outcome] = [:]
        // Only the simulated events: found from the end, since the log before them may be on disk.
        var start = simulated.events.endIndex
        while start > 0 && simulated.events[start - 1].sequence >= first { start -= 1 }
        for event in simulated.events[start...] {
            guard let task = event.taskID, let resource = event.resourceID else { continue }
            let key = ResourceRef(taskID: task, resourceID: resource)
            switch event.kind {
            case .started: if starts[key] == nil { starts[key] = event.time }
            case .completed, .failed: ends[key] = event.time
            case .missed: outcomes[key] = .missed
            case .frozen: outcomes[key] = .frozen
            case .held: outcomes[key] = .held(event.message)
            default: break
            }
        }
        var entries: [Entry] = []
        var risks: [DeadlineRisk] = []
        for task in original.tasks where taskID == nil || task.id == taskID {
            var late: [String] = []
            for resource in task.resources where resource.status != .excluded && resource.status != .completed && resource.status != .failed {
                let key = ResourceRef(taskID: task.id, resourceID: resource.id)
                // A resource already running counts from now: it started before the preview.
                let start = starts[key] ?? (resource.status == .inProgress ? now : nil)
                let end = ends[key]
                let outcome = outcomes[key] ?? (start != nil ? .runs : .unscheduled)
                entries.append(Entry(taskID: task.id, resourceID: resource.id, name: resource.name, reservedAt: resource.scheduledAt,
                                     expectedStart: start, expectedEnd: end, outcome: outcome))
                if task.requirement == .mandatory, let deadline = task.deadline, end.map({ $0 > deadline }) ?? true { late.append(resource.id) }
            }
            if let deadline = task.deadline, task.requirement == .mandatory, !late.isEmpty {
                risks.append(DeadlineRisk(taskID: task.id, deadline: deadline, resourceIDs: late))
            }
        }
        return PlanPreview(now: now, horizon: horizon, entries: entries, deadlineRisks: risks)
    }
}

/// Attempts for the preview: any executor, in-process, lasting its expected length and succeeding.
struct PlanExecutors: ExecutorFactory {
    func start(_ job: ExecutionJob, now: Date, stillWanted: () -> Bool) throws(AttemptError) -> (any Execution)? {
        guard stillWanted() else { return nil }
        return PlannedAttempt(job: job, end: now.addingTimeInterval(job.executor.expectedLength))
    }

    func follow(_ job: ExecutionJob, now: Date) -> (any Execution)? {
        // An attempt running now: it is taken to last its whole expected length from now.
        PlannedAttempt(job: job, end: now.addingTimeInterval(job.executor.expectedLength))
    }
}

final class PlannedAttempt: Execution {
    let job: ExecutionJob
    let end: Date

    init(job: ExecutionJob, end: Date) {
        self.job = job
        self.end = end
    }

    func poll(now: Date) -> ExecutionStatus {
        now >= end ? .finished(success: true, message: "planned") : .running(progress: nil, message: nil)
    }
}
