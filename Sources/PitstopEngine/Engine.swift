// PitstopEngine: runs reservations when their time comes. One serial loop (`EngineLoop`, `Engine.tick`) reads
// the store, starts due attempts under their supervisors within the concurrency limits, follows them through
// their files, retries with backoff, auto-reserves before deadlines and notifies, writing every decision back.
public import Foundation
import PitstopCore
public import PitstopStore

/// Runs reservations. One serial loop: call `tick()` on an interval (or after advancing a manual clock);
/// each tick reads the store, decides with `Scheduler`, and writes every decision back as a mutation.
/// The engine owns its own store handle; it never shares one with a viewer. Attempts are not the engine's:
/// they run under supervisors, and whichever engine runs follows them and records how they end.
public final class Engine {
    /// An attempt the engine follows, or waits to (re)start.
    struct Running {
        var job: ExecutionJob
        var execution: (any Execution)?
        /// When to start the attempt: after a retry's backoff, or when its machine is free again.
        var retryAt: Date?
        var lastProgress = 0
        var lastProgressWrite: Date
        /// Starts of this attempt whose command never ran; a few in a row mean something is broken.
        var restarts = 0
        /// The last start found the machine busy with another attempt (said once in the log).
        var waitingForMachine = false
        /// When a retry's precheck first said no.
        var heldSince: Date?
    }

    /// The actor the engine's events name.
    public static let actor = "engine"
    /// A progress update is written when it moved this much, or after `progressInterval`.
    static let progressStep = 10
    static let progressInterval: TimeInterval = 5
    /// How often an attempt is started again when its command never ran before it counts as failed.
    static let restartLimit = 3
    /// How long a start waits when the machine is busy with another attempt.
    static let machineBusyPause: TimeInterval = 5
    /// How often old attempt records and outputs are pruned.
    static let retentionInterval: TimeInterval = 86400
    /// Holds recorded in one tick at most (see `recordHolds`).
    public static let holdsPerTick = 1000

    /// Exponential backoff before attempt n+1: 30 s, 60 s, 120 s, …
    public static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        30 * pow(2, Double(max(0, attempt - 1)))
    }

    /// The engine's own store handle.
    public let store: Store
    let clock: any TimeSource
    let executors: any ExecutorFactory
    let hook: NotifyHook
    let log: (String) -> Void
    let zone: TimeZone
    /// Only reservations up to this instant start (`daemon --once`).
    public var startCutoff: Date?
    /// False once a shutdown began: nothing new starts.
    public private(set) var accepting = true

    var running: [ResourceRef: Running] = [:]
    /// Notifications sent, while they can come up again.
    var sent = SentNotices()
    var autoReserveGaveUp: Set<String> = []
    /// The notification command (and its seal) last refused for want of the owner's seal, said once.
    var refusedNotifyCommand: [String]?
    var lastPrune: Date?
    /// Resources whose precheck said no, and when to check them again.
    var precheckWait: [ResourceRef: Date] = [:]
    /// How long a held precheck waits before it is run again.
    static let precheckInterval: TimeInterval = 60

    /// How this engine shares the fleet with engines on other hosts: set for a store bound to etcd (one
    /// leads; see `EngineCoordination`), nil when it is alone on its store.
    public let coordination: (any EngineCoordination)?
    /// When the leader last looked for attempts whose host is gone.
    var lastOrphanSweep: Date?
    /// When the leader last looked whether the fleet's log in etcd wants trimming: every `trimInterval`, a
    /// snapshot once `trimEvery` changes followed the last one, keeping the last `trimKeep` changes as records.
    var lastTrim: Date?
    static let trimInterval: TimeInterval = 60
    static let trimEvery: UInt64 = 5000
    static let trimKeep: UInt64 = 1000
    /// Sharing a fleet, whether another engine leads (as of the last tick).
    public var isStandby: Bool { coordination != nil && wasLeading != true }
    /// Whether the last tick led (nil: not asked yet), to log each change once.
    var wasLeading: Bool?
    static let orphanSweepInterval: TimeInterval = 2

    /// An engine whose attempts run under supervisors in the store's `attempts/` (the real thing), unless
    /// `executors` says otherwise (tests and the plan preview run them in-process).
    public init(
        store: Store, clock: any TimeSource = SystemClock(), executors: (any ExecutorFactory)? = nil,
        hook: NotifyHook = NotifyHook(), zone: TimeZone = .current, log: @escaping (String) -> Void = { _ in }
    ) {
        self.store = store
        self.clock = clock
        self.executors = executors ?? SupervisedExecutors(storeDirectory: store.directory)
        self.hook = hook
        self.zone = zone
        self.log = log
        coordination = (store.replica as? EtcdReplica).map { EtcdLeadership(replica: $0) }
    }

    /// Nothing running and no attempt waiting for its retry.
    public var isIdle: Bool { running.isEmpty }
    /// Attempts running now (not counting those waiting for a retry).
    public var runningCount: Int { running.values.filter { $0.execution != nil }.count }

    /// Takes over the store: every resource left in progress is followed again. Its attempt is adopted when it
    /// still runs, recorded when it ended meanwhile, started again when its command never ran, and failed as
    /// "outcome unknown" when its supervisor died after starting it. Notifications already sent are remembered.
    public func start() throws {
        try (executors as? SupervisedExecutors)?.checkSupervisor()
        try coordination?.start()
        _ = try store.poll()
        // A store opens without decoding its tasks; an engine reads every one each tick, so it decodes them
        // all now, on two threads, before its first.
        store.decodeAllTasks()
        // The notifications still ahead that were sent, through the log's index by kind.
        sent = SentNotices(log: store.state.events, now: now, horizon: NotificationPlanner.longestLead(store.state.policy))
        // The day's housekeeping now, so that the first tick starts what is due without waiting for it.
        pruneOldAttempts()
        var found: [(ResourceRef, ExecutionJob)] = []
        for task in store.state.tasks {
            for resource in task.resources where resource.status == .inProgress {
                found.append((ResourceRef(taskID: task.id, resourceID: resource.id), ExecutionJob(task: task, resource: resource)))
            }
        }
        // Sharing the fleet, an engine follows only the attempts its own host started: their records are here, or
        // (stopped before the supervisor wrote one) they are claimed for this host; the leader settles the others.
        let ownClaims = try coordination?.ownClaims() ?? []
        for (key, job) in found where running[key] == nil {
            if coordination != nil, AttemptRecord.read(AttemptFiles(storeDirectory: store.directory).record(job.attemptID)) == nil,
               !ownClaims.contains(job.attemptID) { continue }
            guard job.attemptID != 0 else {
                // Started by a Pitstop from before attempt records: nothing tells whether it ran.
                try write(.fail(taskID: job.taskID, resourceID: job.resourceID,
                                message: "outcome unknown: started by an earlier Pitstop without an attempt record; check \(job.resourceName) before retrying"))
                continue
            }
            guard let execution = executors.follow(job, now: now) else {
                try write(.recordAttempt(taskID: job.taskID, resourceID: job.resourceID, attempt: job.attemptID, kind: .restarted,
                                         message: "attempt \(job.attempt) ran inside an engine that stopped; started again"))
                try launch(job, key: key)
                continue
            }
            running[key] = Running(job: job, execution: execution, lastProgressWrite: now)
            // Claimed again on this engine's lease: the claim of the engine that started it ends with its lease.
            try coordination?.claim(attempt: job.attemptID)
            if case .running = execution.poll(now: now) {
                let pid = AttemptRecord.read(AttemptFiles(storeDirectory: store.directory).record(job.attemptID))?.supervisorPID
                try write(.recordAttempt(taskID: job.taskID, resourceID: job.resourceID, attempt: job.attemptID, kind: .adopted,
                                         message: "attempt \(job.attempt) (id \(job.attemptID)\(pid.map { ", supervisor pid \($0)" } ?? "")) still running; followed by this engine"))
            }
        }
        try pollExecutions()
    }

    var now: Date { clock.now }

    /// Whether a loop may keep ticking after `error`: a write the disk refused (full, I/O error, a lock held
    /// too long) is retried by the next tick, and nothing is lost meanwhile, since finished attempts stay in
    /// their records until their outcome is written. A failed fsync or a damaged store needs the handle reopened.
    /// Sharing a fleet, etcd out of reach (or without quorum) is waited out the same way.
    public static func canRetry(after error: any Error) -> Bool {
        if error is EtcdError { return true }
        switch error as? StoreError {
        case .io, .lockTimeout, .replicaBusy: return true
        default: return false
        }
    }

    /// This engine's ticks and dropped notifications, for `/metrics`.
    public private(set) var counters = EngineCounters()

    /// One round of the loop. Throws only for store failures; a refused mutation (a race with an operator)
    /// is logged and skipped.
    public func tick() throws {
        let began = Date()
        defer {
            counters.record(Date().timeIntervalSince(began))
            counters.notificationsDropped = hook.dropped
        }
        for batch in try newBatches() {
            for event in batch.events { log(EventText.line(event, zone: zone)) }
        }
        hook.pump(now: Date())
        for (event, problem) in hook.takeFailures() {
            try write(.recordEvents([EventDraft(kind: .notifyFailed, taskID: event.taskID, resourceID: event.resourceID,
                                                message: "notification \(event.key ?? "") not delivered: \(problem)")]))
        }
        try pollExecutions()
        pruneOldAttempts()
        if coordination != nil { try recoverOutcomes() }
        guard accepting else { return }
        try startRetries()
        // The rest is the leader's alone, while its lease is fresh.
        if let coordination {
            let leads = coordination.mayLead()
            if leads != wasLeading {
                wasLeading = leads
                log(leads ? "engine: leading the fleet" : "engine: standby (\(coordination.status)); starts nothing, follows its own attempts")
            }
            guard leads else { return }
            try settleOrphans(coordination)
            if lastTrim.map({ now.timeIntervalSince($0) >= Self.trimInterval }) ?? true {
                lastTrim = now
                if try store.trimReplica(every: Self.trimEvery, keep: Self.trimKeep, now: now) {
                    log("engine: published the fleet's snapshot at change \(store.sequence) in etcd; changes up to \(store.sequence - Self.trimKeep) trimmed")
                }
            }
        }
        try handleMissed()
        try handleFrozen()
        try autoReserve()
        try startDue()
        try sendPriorNotifications()
    }

    private func newBatches() throws -> [JournalBatch] {
        switch try store.poll() {
        case .unchanged: return []
        case .reloaded:
            // Another writer's compaction: the fleet read again is decoded on demand, and a tick reads it all.
            store.decodeAllTasks()
            return []
        case .changes(let batches): return batches
        }
    }

    /// Writes a mutation as the engine; a refusal is logged and returns nil.
    @discardableResult
    /// Sharing a fleet, the leader's decisions are fenced by its leadership (a deposed leader's late write is
    /// refused); the outcomes of this host's own attempts are not (each names its attempt, so none is recorded twice).
    func write(_ mutation: Mutation, fenced: Bool? = nil) throws -> Commit? {
        let fence = (fenced ?? mutation.isLeadersDecision) ? coordination?.fence : nil
        do {
            return try store.mutate(mutation, context: MutationContext(now: now, actor: Self.actor, timeZone: zone), fence: fence)
        } catch let error as MutationError {
            log("engine: skipped \(mutation.summary): \(error)")
            return nil
        } catch StoreError.fenced(_, let reason) {
            log("engine: not the leader any more (\(reason)); \(mutation.summary) not written, nothing more starts here")
            coordination?.lostLeadership()
            return nil
        }
    }

    /// When this engine last looked for true outcomes of its host's attempts recorded as unknown.
    var lastRecoveryLook: Date?

    /// Sharing a fleet, an attempt of this host may have been settled as outcome unknown while its engine was
    /// away (its lease expired); its supervisor went on and wrote the true outcome here. That outcome replaces
    /// the unknown one (`outcome-recovered`), once the supervisor has ended.
    func recoverOutcomes() throws {
        if let last = lastRecoveryLook, now.timeIntervalSince(last) < Self.orphanSweepInterval { return }
        lastRecoveryLook = now
        let files = AttemptFiles(storeDirectory: store.directory)
        var found: [(ExecutionJob, ExecutionStatus)] = []
        for task in store.state.tasks {
            for resource in task.resources where resource.status == .failed && resource.lastMessage.hasPrefix("outcome unknown") {
                guard let attempt = resource.attemptID, AttemptRecord.read(files.record(attempt))?.end != nil else { continue }
                let job = ExecutionJob(task: task, resource: resource)
                found.append((job, SupervisedExecution(job: job, files: files, spawnedPID: nil).poll(now: now)))
            }
        }
        for (job, status) in found {
            guard case .finished(let success, let message) = status else { continue }
            try write(.recoverOutcome(taskID: job.taskID, resourceID: job.resourceID, attempt: job.attemptID, success: success, message: message))
        }
    }

    /// The leader's sweep: an attempt in progress that no engine follows here and no live host claims ran on a
    /// host whose engine is gone (its lease expired): its outcome is unknown.
    func settleOrphans(_ coordination: any EngineCoordination) throws {
        if let last = lastOrphanSweep, now.timeIntervalSince(last) < Self.orphanSweepInterval { return }
        lastOrphanSweep = now
        var orphans: [(String, String, UInt64)] = []
        for task in store.state.tasks {
            for resource in task.resources where resource.status == .inProgress {
                guard let attempt = resource.attemptID, running[ResourceRef(taskID: task.id, resourceID: resource.id)] == nil else { continue }
                orphans.append((task.id, resource.id, attempt))
            }
        }
        guard !orphans.isEmpty else { return }
        let claimed = try coordination.claimedAttempts()
        for (taskID, resourceID, attempt) in orphans where !claimed.contains(attempt) {
            guard try write(.outcomeUnknown(taskID: taskID, resourceID: resourceID, attempt: attempt), fenced: true) != nil else { continue }
            try notify(Notice(key: "outcome-unknown:\(attempt)", taskID: taskID, resourceID: resourceID,
                              message: "\(resourceID) (\(taskID)) OUTCOME UNKNOWN: the host running attempt \(attempt) lost its engine (its lease in etcd expired); check it before retrying"))
        }
    }

    /// Stops starting new work. Running attempts are not touched: they belong to their supervisors, and the
    /// next engine on this store follows them.
    public func stopAccepting() { accepting = false }

    /// Removes attempt records and outputs older than the policy's `outputRetention`, once a day.
    func pruneOldAttempts() {
        let current = now
        if let lastPrune, current.timeIntervalSince(lastPrune) < Self.retentionInterval { return }
        lastPrune = current
        guard executors is SupervisedExecutors else { return }
        let removed = AttemptRetention.prune(storeDirectory: store.directory, state: store.state, now: current)
        if removed > 0 { log("engine: removed \(removed) attempt file(s) older than \(DurationText.format(store.state.policy.outputRetention))") }
    }
}

extension Mutation {
    /// What only the leading engine writes (fenced by its leadership when engines share a fleet).
    var isLeadersDecision: Bool {
        switch self {
        case .start, .startAll, .hold, .holdAll, .miss, .frozenOut, .autoReserve, .halt: true
        default: false
        }
    }

    /// A few words for logs.
    var summary: String {
        switch self {
        case .start(let t, let r): return "start \(t)/\(r)"
        case .reportProgress(let t, let r, _, _, _): return "progress \(t)/\(r)"
        case .complete(let t, let r, _, _): return "complete \(t)/\(r)"
        case .fail(let t, let r, _, _): return "fail \(t)/\(r)"
        case .failAttempt(let t, let r, _, _): return "retry \(t)/\(r)"
        case .recordAttempt(let t, let r, let a, let kind, _): return "\(kind) \(t)/\(r) attempt \(a)"
        case .cancelAttempt(let t, let r, let a, _): return "cancel \(t)/\(r) attempt \(a)"
        case .outcomeUnknown(let t, let r, let a): return "outcome unknown \(t)/\(r) attempt \(a)"
        case .miss(let t, let r): return "miss \(t)/\(r)"
        case .autoReserve(let t, let ids, _, _): return "auto-reserve \(t) (\(ids.count))"
        case .halt(let t, _): return "halt \(t)"
        default: return "change"
        }
    }
}
