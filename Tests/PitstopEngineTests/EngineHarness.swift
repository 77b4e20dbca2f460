import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import PitstopTestSupport

/// A store, an engine and a manual clock: hours of schedule in milliseconds.
final class EngineHarness {
    static let start = Date(timeIntervalSince1970: 1_795_608_000)
    let dir = ScratchDirectory("pitstop-engine")
    let clock = ManualClock(EngineHarness.start)
    let store: Store
    var engine: Engine
    var log: [String] = []

    init(tasks: [MaintenanceTask], policy: (inout Policy) -> Void = { _ in }) throws {
        store = try Store.open(dir.file("store"))
        var p = Policy()
        p.minLeadTime = 60
        p.notifyLeadTimes = []
        policy(&p)
        try store.mutate(.setPolicy(p), context: Self.context(Self.start))
        try store.mutate(.importTasks(tasks), context: Self.context(Self.start))
        engine = Engine(store: store, clock: clock, executors: VirtualExecutors(), zone: TimeZone(identifier: "UTC")!)
        try engine.start()
    }

    static func context(_ now: Date) -> MutationContext { MutationContext(now: now, actor: "ops (test)", timeZone: TimeZone(identifier: "UTC")!) }

    /// A fresh engine on the same store, as after a restart.
    func restartEngine() throws {
        engine = Engine(store: try Store.open(dir.file("store")), clock: clock, executors: VirtualExecutors(), zone: TimeZone(identifier: "UTC")!)
        try engine.start()
    }

    func reserve(_ task: String, _ ids: [String], inSeconds: TimeInterval, force: Bool = false) throws {
        try store.mutate(.reserve(taskID: task, selection: .ids(ids), at: clock.now.addingTimeInterval(inSeconds), stagger: nil, force: force), context: Self.context(clock.now))
    }

    /// Advances the clock in steps, ticking the engine after each.
    func run(seconds: TimeInterval, step: TimeInterval = 1) throws {
        var elapsed: TimeInterval = 0
        while elapsed < seconds {
            clock.advance(by: step)
            elapsed += step
            try engine.tick()
        }
    }

    var state: FleetState {
        _ = try? store.poll()
        return store.state
    }

    func resource(_ task: String, _ id: String) -> Resource { state.task(id: task)!.resources.first { $0.id == id }! }

    func events(_ kind: EventKind) -> [Event] { state.events.filter { $0.kind == kind } }

    /// The order in which resources started, as "task/resource".
    var startOrder: [String] { events(.started).map { "\($0.taskID!)/\($0.resourceID!)" } }

    static func task(
        _ id: String, priority: Priority = .medium, machines: [String], duration: Double = 10, failureRate: Double = 0,
        retries: Int = 0, maxConcurrency: Int? = nil, maxFailures: Int? = nil, deadlineIn: TimeInterval? = nil
    ) -> MaintenanceTask {
        MaintenanceTask(
            id: id, title: "task \(id)", service: .mysql, requirement: deadlineIn == nil ? .recommended : .mandatory,
            recommendedAt: start, deadline: deadlineIn.map { start.addingTimeInterval($0) }, priority: priority,
            type: .engineUpgrade, executor: .simulated(SimulatedExecutor(durationSeconds: duration, jitter: 0, failureRate: failureRate, seed: 1)),
            retries: retries, maxConcurrency: maxConcurrency, maxFailures: maxFailures,
            resources: machines.map { Resource(id: $0, name: "name-\($0)") })
    }
}
