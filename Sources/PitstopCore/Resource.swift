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

    /// The database cluster the machine belongs to, if any (e.g. `orders`).
    public var cluster: String? {
        get { extras?.value.cluster }
        set { change { $0.cluster = newValue } }
    }
    /// Its role in the cluster.
    public var role: ResourceRole {
        get { extras?.value.role ?? .standalone }
        set { change { $0.role = newValue } }
    }
    /// Where the automation reaches it, e.g. `10.0.3.7:5432`.
    public var endpoint: String? {
        get { extras?.value.endpoint }
        set { change { $0.endpoint = newValue } }
    }
    /// Free-form labels, passed to the command as `PITSTOP_LABEL_<KEY>`.
    public var labels: [String: String] {
        get { extras?.value.labels ?? [:] }
        set { change { $0.labels = newValue } }
    }
    /// Why the engine holds this reservation at its start time (e.g. "waiting for replica orders-db-2"), or nil.
    public var heldReason: String? {
        get { extras?.value.heldReason }
        set { change { $0.heldReason = newValue } }
    }

    private mutating func change(_ body: (inout ResourceExtras.Value) -> Void) {
        var value = extras?.value ?? ResourceExtras.Value()
        body(&value)
        extras = value == ResourceExtras.Value() ? nil : ResourceExtras(value)
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
        let extras = ResourceExtras.Value(cluster: cluster, role: role, endpoint: endpoint, labels: labels, heldReason: heldReason)
        self.extras = extras == ResourceExtras.Value() ? nil : ResourceExtras(extras)
    }
}
