public import Foundation

/// One target machine inside a task. The same `id` in two tasks is the same machine.
public struct Resource: Sendable, Equatable, Identifiable {
    /// Unique in its task; the same id in two tasks is the same machine.
    public var id: String
    /// Its display name.
    public var name: String
    /// The reserved instant, or nil (shown as `-`).
    public var scheduledAt: Date?
    /// Where it stands in the state machine.
    public var status: ResourceStatus
    /// Attempts of the current execution (1 while the first attempt runs).
    public var attempts: Int
    /// Failed executions so far; three or more lock the resource out for a while.
    public var failures: Int
    /// 0–100 while in progress.
    public var progress: Int
    /// Last line of output or error.
    public var lastMessage: String
    /// When the last execution failed, for the lockout rule.
    public var lastFailureAt: Date?
    /// The attempt running now, or the last one: the sequence number of the event that began it, unique in
    /// the store. It names the attempt's record and output files (`attempts/N.attempt`, `outputs/N.log`).
    public var attemptID: UInt64?
    /// When its last execution ended (completed or failed), for the soak between waves.
    public var finishedAt: Date?
    /// Cluster, role, endpoint, labels and hold, kept behind one reference: most resources have none of them,
    /// and a resource is copied wherever the fleet is scanned, so it stays small (nil: none set).
    private var extras: ResourceExtras?

    /// Sets cluster, role, endpoint, labels and hold at once (one allocation, for decoders of many resources).
    package mutating func setExtras(cluster: String?, role: ResourceRole, endpoint: String?, labels: [String: String], heldReason: String?) {
        extras = .make(cluster: cluster, role: role, endpoint: endpoint, labels: labels, heldReason: heldReason)
    }

    /// Whether any of cluster, role, endpoint, labels or hold is set.
    public var hasExtras: Bool { extras != nil }

    /// The database cluster the machine belongs to, if any (e.g. `orders`).
    public var cluster: String? {
        get { extras?.cluster }
        set { extras = .make(cluster: newValue, role: role, endpoint: endpoint, labels: labels, heldReason: heldReason) }
    }
    /// Its role in the cluster.
    public var role: ResourceRole {
        get { extras?.role ?? .standalone }
        set { extras = .make(cluster: cluster, role: newValue, endpoint: endpoint, labels: labels, heldReason: heldReason) }
    }
    /// Where the automation reaches it, e.g. `10.0.3.7:5432`.
    public var endpoint: String? {
        get { extras?.endpoint }
        set { extras = .make(cluster: cluster, role: role, endpoint: newValue, labels: labels, heldReason: heldReason) }
    }
    /// Free-form labels, passed to the command as `PITSTOP_LABEL_<KEY>`.
    public var labels: [String: String] {
        get { extras?.labels ?? [:] }
        set { extras = .make(cluster: cluster, role: role, endpoint: endpoint, labels: newValue, heldReason: heldReason) }
    }
    /// Why the engine holds this reservation at its start time (e.g. "waiting for replica orders-db-2"), or nil.
    public var heldReason: String? {
        get { extras?.heldReason }
        set {
            guard newValue != extras?.heldReason else { return }
            extras = .make(cluster: cluster, role: role, endpoint: endpoint, labels: labels, heldReason: newValue)
        }
    }

    /// A resource; pending, never run, unless said otherwise.
    public init(
        id: String, name: String, scheduledAt: Date? = nil, status: ResourceStatus = .pending,
        attempts: Int = 0, failures: Int = 0, progress: Int = 0, lastMessage: String = "",
        lastFailureAt: Date? = nil, attemptID: UInt64? = nil, cluster: String? = nil, role: ResourceRole = .standalone,
        endpoint: String? = nil, labels: [String: String] = [:], finishedAt: Date? = nil, heldReason: String? = nil
    ) {
        self.id = id
        self.name = name
        self.scheduledAt = scheduledAt
        self.status = status
        self.attempts = attempts
        self.failures = failures
        self.progress = progress
        self.lastMessage = lastMessage
        self.lastFailureAt = lastFailureAt
        self.attemptID = attemptID
        self.finishedAt = finishedAt
        extras = .make(cluster: cluster, role: role, endpoint: endpoint, labels: labels, heldReason: heldReason)
    }
}
