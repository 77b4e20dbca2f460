public import Foundation

/// A realistic, seeded fleet for `pitstop demo` and the benchmarks: MySQL and PostgreSQL tasks of every type,
/// mandatory and recommended, Korean and ASCII names, resources in every state, a history of executions,
/// and reservations a few seconds to minutes ahead so that an engine has work at once.
///
/// Everything is built through `FleetState.apply`, the same door the CLI and the engine use, so the demo
/// can never hold a state the rules would not allow.
public struct DemoFleet {
    /// Tasks in the fleet.
    public var taskCount: Int
    /// Resources across all tasks.
    public var resourceCount: Int
    /// The seed that makes the same fleet every time.
    public var seed: UInt64

    /// A demo of this size and seed.
    public init(taskCount: Int = 16, resourceCount: Int = 240, seed: UInt64 = 42) {
        self.taskCount = max(1, taskCount)
        self.resourceCount = max(self.taskCount, resourceCount)
        self.seed = seed
    }

    /// The demo's policy: near-term reservations are allowed so a new user can reserve and watch at once.
    public static var policy: Policy {
        var policy = Policy()
        policy.minLeadTime = 60
        policy.conflictWindow = 30 * 60
        return policy
    }

    private static let clusters = [
        "orders", "payments", "members", "inventory", "search", "billing", "analytics", "catalog",
        "주문", "결제", "회원", "배송", "정산", "카트🛒",
    ]

    private struct Template {
        var service: Service
        var type: TaskType
        var title: String
        var downtime: Bool
        /// The runbook of `examples/runbooks/` a real task of this kind would name, and its parameters.
        var runbook: String
        var parameters: [String: String] = [:]
    }

    /// The parameter by which a demo task says which runbook a real one would name (the demo only simulates).
    public static let realRunbookParameter = "real_runbook"

    private static let templates: [Template] = [
        Template(service: .mysql, type: .engineUpgrade, title: "MySQL 8.0.39 engine upgrade", downtime: true,
                 runbook: "mariadb-minor-upgrade", parameters: ["target_version": "10.11.19"]),
        Template(service: .postgresql, type: .kernelUpgrade, title: "Kernel 6.1.112 security patch", downtime: true, runbook: "kernel-upgrade"),
        Template(service: .mysql, type: .configChange, title: "innodb_buffer_pool_size to 75% of memory", downtime: false,
                 runbook: "mysql-config-change", parameters: ["setting": "innodb_buffer_pool_size"]),
        Template(service: .postgresql, type: .engineUpgrade, title: "PostgreSQL 16.4 minor upgrade", downtime: true,
                 runbook: "pg-minor-upgrade", parameters: ["target_version": "16.4"]),
        Template(service: .mysql, type: .osUpdate, title: "Debian 12.7 OS update", downtime: false, runbook: "os-update"),
        Template(service: .postgresql, type: .configChange, title: "work_mem 64MB 설정 변경", downtime: false,
                 runbook: "pg-config-change", parameters: ["setting": "work_mem", "value": "64MB"]),
        Template(service: .mysql, type: .kernelUpgrade, title: "커널 보안 패치 (CVE-2024-1086)", downtime: true, runbook: "kernel-upgrade"),
        Template(service: .postgresql, type: .osUpdate, title: "OpenSSL 3.0.15 OS package update", downtime: false, runbook: "os-update"),
    ]

    /// The fleet at `now`, its audit log padded with history events up to `minimumEvents` (the benchmark fleet).
    public func build(now: Date, minimumEvents: Int) -> FleetState {
        var fleet = build(now: now)
        let missing = max(0, minimumEvents - fleet.events.count)
        guard missing > 0 else { return fleet }
        let drafts = (0..<missing).map { n -> EventDraft in
            let task = fleet.tasks[n % fleet.tasks.count]
            return EventDraft(kind: .notified, taskID: task.id, resourceID: task.resources.first?.id, message: "history event \(n) for \(task.title)")
        }
        let context = MutationContext(now: now.addingTimeInterval(-3600), actor: "history", timeZone: TimeZone(identifier: "UTC")!)
        _ = try? fleet.apply(.recordEvents(drafts), context: context)
        return fleet
    }

    /// Builds the fleet as it stands at `now`.
    public func build(now: Date) -> FleetState {
        var rng = SeededGenerator(seed: seed)
        var state = FleetState()
        let setup = MutationContext(now: now.addingTimeInterval(-30 * 86400), actor: "demo", timeZone: TimeZone(identifier: "UTC")!)
        _ = try? state.apply(.setPolicy(Self.policy), context: setup)
        // A quarter-end freeze five days out, for the calendar, the editor and the plan preview.
        let freezeStart = now.addingTimeInterval(5 * 86400).roundedUpToMinute
        _ = try? state.apply(.addFreeze(FreezeWindow(
            name: "quarter-end", recurrence: .once(from: freezeStart, to: freezeStart.addingTimeInterval(86400)), zone: TimeZone(identifier: "UTC")!)), context: setup)
        let tasks = makeTasks(now: now, rng: &rng)
        _ = try? state.apply(.importTasks(tasks), context: setup)
        for (index, task) in tasks.enumerated() {
            DemoScenario(index: index, taskCount: taskCount, now: now).play(task, on: &state, rng: &rng)
        }
        return state
    }

    private func makeTasks(now: Date, rng: inout SeededGenerator) -> [MaintenanceTask] {
        let poolSize = max(resourceCount / taskCount * 3, resourceCount / 4)
        var tasks: [MaintenanceTask] = []
        for index in 0..<taskCount {
            let template = Self.templates[index % Self.templates.count]
            let mandatory = index % 3 != 2
            let count = resourceCount / taskCount + (index < resourceCount % taskCount ? 1 : 0)
            let prefix = template.service == .mysql ? "my" : "pg"
            let start = Int.random(in: 0..<poolSize, using: &rng)
            let resources = (0..<count).map { offset -> Resource in
                // Clusters of three consecutive machines: two replicas, then their primary.
                let machine = (start + offset) % poolSize
                let group = machine / 3
                let cluster = String(format: "%@-%@-%02d", Self.clusters[group % Self.clusters.count], prefix == "my" ? "mysql" : "pg", group / Self.clusters.count + 1)
                let role: ResourceRole = machine % 3 == 2 ? .primary : .replica
                return Resource(
                    id: String(format: "%@-%05d", prefix, machine), name: "\(cluster)-\(role.rawValue)\(role == .replica ? "\(machine % 3 + 1)" : "")",
                    cluster: cluster, role: role, endpoint: String(format: "db-%05d:%d", machine, prefix == "my" ? 3306 : 5432))
            }
            let recommended = now.addingTimeInterval(Double(Int.random(in: -2...10, using: &rng)) * 86400)
            let generation = index / Self.templates.count
            tasks.append(
                MaintenanceTask(
                    id: String(format: "MT-%04d", index + 1),
                    title: generation == 0 ? template.title : "\(template.title) (wave \(generation + 1))",
                    service: template.service, requirement: mandatory ? .mandatory : .recommended,
                    recommendedAt: recommended,
                    deadline: mandatory ? now.addingTimeInterval(Double(Int.random(in: 3...21, using: &rng)) * 86400) : nil,
                    priority: [Priority.high, .medium, .low][index % 3 == 0 ? 0 : Int.random(in: 0...2, using: &rng)],
                    type: template.type, downtime: template.downtime,
                    executor: .simulated(
                        SimulatedExecutor(
                            durationSeconds: Double(Int.random(in: 8...30, using: &rng)), jitter: 0.3,
                            failureRate: index % 8 == 6 ? 0.35 : [0.0, 0.05, 0.15][index % 3], seed: UInt64(index + 1) &* 7919)),
                    retries: index % 4 == 1 ? 0 : 1,
                    maxConcurrency: index % 5 == 0 ? 2 : nil,
                    maxFailures: index % 8 == 6 ? 2 : nil,
                    resources: resources))
            tasks[tasks.count - 1].parameters = template.parameters.merging([Self.realRunbookParameter: template.runbook]) { $1 }
            if index % 8 == 4 {
                // A rollout in waves: one canary, a quarter, then the rest, two minutes of soak between them.
                tasks[tasks.count - 1].waves = [.count(1), .percent(25), .percent(100)]
                tasks[tasks.count - 1].soak = 120
            }
        }
        return tasks
    }
}
