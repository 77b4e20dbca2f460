import Foundation
import PitstopCore
import PitstopStore

/// Runs reservations. One serial loop: call `tick()` on an interval (or after advancing a manual clock);
/// each tick reads the store, decides with `Scheduler`, and writes every decision back as a mutation.
/// The engine owns its own store handle; it never shares one with a viewer.
public final class Engine {
    /// An attempt the engine runs, or waits to run again after a failed attempt.
    struct Running {
        var job: ExecutionJob
        var execution: (any Execution)?
        var retryAt: Date?
        var lastProgress = 0
        var lastProgressWrite: Date
    }

    public static let actor = "engine"
    /// A progress update is written when it moved this much, or after `progressInterval`.
    static let progressStep = 10
    static let progressInterval: TimeInterval = 5

    /// Exponential backoff before attempt n+1: 30 s, 60 s, 120 s, …
    public static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        30 * pow(2, Double(max(0, attempt - 1)))
    }

    public let store: Store
    let clock: any Clock
    let executors: any ExecutorFactory
    let hook: NotifyHook
    let log: (String) -> Void
    let zone: TimeZone
    /// Only reservations up to this instant start (`daemon --once`).
    public var startCutoff: Date?
    /// False once a shutdown began: nothing new starts.
    public private(set) var accepting = true

    var running: [Placement: Running] = [:]
    var notified: Set<String> = []
    var autoReserveGaveUp: Set<String> = []

    public init(
        store: Store, clock: any Clock = SystemClock(), executors: any ExecutorFactory = StandardExecutors(),
        hook: NotifyHook = NotifyHook(), zone: TimeZone = .current, log: @escaping (String) -> Void = { _ in }
    ) {
        self.store = store
        self.clock = clock
        self.executors = executors
        self.hook = hook
        self.zone = zone
        self.log = log
    }

    /// Nothing running and no attempt waiting for its retry.
    public var isIdle: Bool { running.isEmpty }
    public var runningCount: Int { running.values.filter { $0.execution != nil }.count }

    /// The output tail of the running attempt of a resource, if the engine runs it.
    public func outputTail(taskID: String, resourceID: String) -> [String]? {
        running[Placement(taskID: taskID, resourceID: resourceID)]?.execution?.outputTail
    }

    /// Takes over the store: resources left in progress by an engine that died are recorded as failed
    /// (nobody runs them), and notifications already sent are remembered so none is sent twice.
    public func start() throws {
        _ = try store.poll()
        notified = Set(store.state.events.compactMap { $0.kind == .notified ? $0.key : nil })
        let orphans = store.state.tasks.flatMap { task in
            task.resources.filter { $0.status == .inProgress }.map { Placement(taskID: task.id, resourceID: $0.id) }
        }
        for orphan in orphans {
            try write(.fail(taskID: orphan.taskID, resourceID: orphan.resourceID, message: "interrupted: the engine stopped while this attempt ran"))
        }
    }

    var now: Date { clock.now }

    /// Whether a loop may keep ticking after `error`: a write the disk refused (full, I/O error, a lock held
    /// too long) is retried by the next tick, and nothing is lost meanwhile, since finished executions stay
    /// in hand until their outcome is written. A failed fsync or a damaged store needs the handle reopened.
    public static func canRetry(after error: any Error) -> Bool {
        switch error as? StoreError {
        case .io, .lockTimeout: true
        default: false
        }
    }

    /// One round of the loop. Throws only for store failures; a refused mutation (a race with an operator)
    /// is logged and skipped.
    public func tick() throws {
        for batch in try newBatches() {
            for event in batch.events { log(EventText.line(event, zone: zone)) }
        }
        for (event, problem) in hook.takeFailures() {
            try write(.recordEvents([EventDraft(kind: .notifyFailed, taskID: event.taskID, resourceID: event.resourceID,
                                                message: "notification \(event.key ?? "") not delivered: \(problem)")]))
        }
        try pollExecutions()
        guard accepting else { return }
        try startRetries()
        try handleMissed()
        try autoReserve()
        try startDue()
        try sendPriorNotifications()
    }

    private func newBatches() throws -> [JournalBatch] {
        switch try store.poll() {
        case .unchanged, .reloaded: return []
        case .changes(let batches): return batches
        }
    }

    /// Writes a mutation as the engine; a refusal is logged and returns nil.
    @discardableResult
    func write(_ mutation: Mutation) throws -> Commit? {
        do {
            return try store.mutate(mutation, context: MutationContext(now: now, actor: Self.actor, timeZone: zone))
        } catch let error as MutationError {
            log("engine: skipped \(mutation.summary): \(error)")
            return nil
        }
    }

    // MARK: Shutdown

    /// Stops starting new work; running attempts go on until `interruptRunning`.
    public func stopAccepting() { accepting = false }

    /// Cancels whatever still runs and records those executions as failed with the reason.
    public func interruptRunning() throws {
        for (_, entry) in running {
            entry.execution?.cancel(now: now)
            try write(.fail(taskID: entry.job.taskID, resourceID: entry.job.resourceID, message: "interrupted: the engine shut down during attempt \(entry.job.attempt)"))
        }
        running.removeAll()
    }
}

extension Mutation {
    /// A few words for logs.
    var summary: String {
        switch self {
        case .start(let t, let r): return "start \(t)/\(r)"
        case .reportProgress(let t, let r, _, _): return "progress \(t)/\(r)"
        case .complete(let t, let r, _): return "complete \(t)/\(r)"
        case .fail(let t, let r, _): return "fail \(t)/\(r)"
        case .failAttempt(let t, let r, _): return "retry \(t)/\(r)"
        case .miss(let t, let r): return "miss \(t)/\(r)"
        case .autoReserve(let t, let ids, _, _): return "auto-reserve \(t) (\(ids.count))"
        case .halt(let t, _): return "halt \(t)"
        default: return "change"
        }
    }
}
