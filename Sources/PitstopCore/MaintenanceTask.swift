public import Foundation

/// A unit of maintenance (an upgrade or a configuration change) over a group of resources.
public struct MaintenanceTask: Sendable, Equatable, Identifiable {
    /// Unique in the store, e.g. `MT-0001`.
    public var id: String
    /// What the task does, for people.
    public var title: String
    /// The database engine it applies to.
    public var service: Service
    /// Mandatory tasks have a deadline; recommended ones do not.
    public var requirement: Requirement
    /// The suggested schedule; recommended tasks may run later.
    public var recommendedAt: Date
    /// Mandatory tasks only: every resource that is not excluded must run before it.
    public var deadline: Date?
    /// Start order when more is due than may run.
    public var priority: Priority
    /// What kind of maintenance.
    public var type: TaskType
    /// Whether running the task interrupts service.
    public var downtime: Bool
    /// How each resource is executed.
    public var executor: ExecutorSpec
    /// Automatic retries of a failed attempt.
    public var retries: Int
    /// At most this many resources of the task run at once; nil means only the global limit applies.
    public var maxConcurrency: Int?
    /// Failed resources at which the engine stops starting more of this task (like SSM's MaxErrors); nil for no limit.
    public var maxFailures: Int?
    /// Set by the engine when `maxFailures` is reached; cleared by `resume`. A halted task starts nothing.
    public var halted: Bool = false
    /// The targets, in the task's order.
    public var resources: [Resource]
    /// Inputs for the executor, passed to the command as `PITSTOP_PARAM_<KEY>` (e.g. `setting`, `value`).
    public var parameters: [String: String] = [:]
    /// Precheck, health check and switchover commands around each attempt.
    public var hooks = TaskHooks()
    /// Cumulative waves in reservation order (empty: no waves).
    public var waves: [WaveSize] = []
    /// Time between the end of a wave and the start of the next.
    public var soak: TimeInterval = 0
    /// `maxFailures` as a share of the task's resources (e.g. 10 for "10%"), instead of a count.
    public var maxFailuresPercent: Double?
    /// The store owner's seal of the commands this task runs (`sealedContent`), as hex: what proves to the engine
    /// of a team store that its owner brought them in (SPEC §29). Written by the owner's `pitstop` when it stores
    /// the task, never read from an import file; nil for a task that runs no command of its own.
    public var ownerSeal: String?

    /// Failed resources at which the task halts: `maxFailures`, or the share of its non-excluded resources.
    public var failureLimit: Int? {
        if let maxFailures { return maxFailures }
        guard let percent = maxFailuresPercent else { return nil }
        let total = resources.filter { $0.status != .excluded }.count
        return max(1, Int((Double(total) * percent / 100).rounded(.up)))
    }

    /// A task; validated when it is imported, not here.
    public init(
        id: String, title: String, service: Service, requirement: Requirement, recommendedAt: Date,
        deadline: Date? = nil, priority: Priority = .medium, type: TaskType, downtime: Bool = false,
        executor: ExecutorSpec = .defaultSimulated, retries: Int = 1, maxConcurrency: Int? = nil,
        maxFailures: Int? = nil, resources: [Resource] = []
    ) {
        self.id = id
        self.title = title
        self.service = service
        self.requirement = requirement
        self.recommendedAt = recommendedAt
        self.deadline = deadline
        self.priority = priority
        self.type = type
        self.downtime = downtime
        self.executor = executor
        self.retries = retries
        self.maxConcurrency = maxConcurrency
        self.maxFailures = maxFailures
        self.resources = resources
    }

    /// Index of the resource with this id, if the task has one.
    public func resourceIndex(of id: String) -> Int? {
        resources.firstIndex { $0.id == id }
    }

    /// The resource with this id, if the task has it.
    public func resource(id: String) -> Resource? {
        resourceIndex(of: id).map { resources[$0] }
    }

    /// The replicas of `cluster` in this task.
    public func replicas(of cluster: String) -> [Resource] {
        resources.filter { $0.cluster == cluster && $0.effectiveRole == .replica }
    }

    /// The aggregate status, by the ordered rule table of the spec.
    public var status: TaskStatus { TaskStatus(aggregating: resources) }
}
