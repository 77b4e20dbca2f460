public import Foundation

/// One target machine inside a task. The same `id` in two tasks is the same machine.
public struct Resource: Sendable, Equatable, Identifiable {
    /// Unique in its task; the same id in two tasks is the same machine.
    public var id: String
    /// Its display name.
    public var name: String
    /// Where it stands in the state machine.
    public var status: ResourceStatus
    /// Last line of output or error.
    public var lastMessage: String

    // Stored compactly: a fleet holds 100,000 resources and every scan copies them. Optional dates as the
    // bits of their interval (`noDate`: none), the attempt id with `noAttempt` for none, counters in 32 bits.
    private var scheduledBits = Resource.noDate
    private var lastFailureBits = Resource.noDate
    private var finishedBits = Resource.noDate
    private var attemptBits = Resource.noAttempt
    private var attemptCount: Int32 = 0
    private var failureCount: Int32 = 0
    private var progressValue: Int32 = 0

    /// The reserved instant, or nil (shown as `-`).
    public var scheduledAt: Date? {
        get { Self.date(scheduledBits) }
        set { scheduledBits = Self.bits(newValue) }
    }
    /// Attempts of the current execution (1 while the first attempt runs).
    public var attempts: Int {
        get { Int(attemptCount) }
        set { attemptCount = Int32(clamping: newValue) }
    }
    /// Failed executions so far; three or more lock the resource out for a while.
    public var failures: Int {
        get { Int(failureCount) }
        set { failureCount = Int32(clamping: newValue) }
    }
    /// 0–100 while in progress.
    public var progress: Int {
        get { Int(progressValue) }
        set { progressValue = Int32(clamping: newValue) }
    }
    /// When the last execution failed, for the lockout rule.
    public var lastFailureAt: Date? {
        get { Self.date(lastFailureBits) }
        set { lastFailureBits = Self.bits(newValue) }
    }
    /// The attempt running now, or the last one: the sequence number of the event that began it, unique in
    /// the store. It names the attempt's record and output files (`attempts/N.attempt`, `outputs/N.log`).
    public var attemptID: UInt64? {
        get { attemptBits == Self.noAttempt ? nil : attemptBits }
        set { attemptBits = newValue ?? Self.noAttempt }
    }
    /// When its last execution ended (completed or failed), for the soak between waves.
    public var finishedAt: Date? {
        get { Self.date(finishedBits) }
        set { finishedBits = Self.bits(newValue) }
    }

    /// A NaN no computation makes: the stored bits of "no date".
    private static let noDate: UInt64 = 0x7FF8_0000_DA7E_0000
    /// No event has this sequence number: the stored value of "no attempt".
    private static let noAttempt = UInt64.max

    private static func date(_ bits: UInt64) -> Date? {
        bits == noDate ? nil : Date(timeIntervalSinceReferenceDate: Double(bitPattern: bits))
    }

    private static func bits(_ date: Date?) -> UInt64 {
        guard let interval = date?.timeIntervalSinceReferenceDate else { return noDate }
        return (interval == 0 ? 0 : interval).bitPattern  // -0 and 0 are the same instant
    }

    /// Cluster, role, endpoint, host, labels, hold and live role, kept behind one reference: most resources have none of
    /// them, and a resource is copied wherever the fleet is scanned, so it stays small (nil: none set).
    private var extras: ResourceExtras?

    private var extraFields: ResourceExtraFields { extras?.fields ?? ResourceExtraFields() }

    private mutating func change(_ body: (inout ResourceExtraFields) -> Void) {
        let before = extraFields
        var fields = before
        body(&fields)
        if fields != before { extras = .make(fields) }
    }

    /// Whether any of cluster, role, endpoint, host, labels, hold or live role is set.
    public var hasExtras: Bool { extras != nil }

    /// The database cluster the machine belongs to, if any (e.g. `orders`).
    public var cluster: String? {
        get { extras?.cluster }
        set { change { $0.cluster = newValue } }
    }
    /// Its role in the cluster.
    public var role: ResourceRole {
        get { extras?.role ?? .standalone }
        set { change { $0.role = newValue } }
    }
    /// Where the automation reaches its database server, e.g. `10.0.3.7:5432`.
    public var endpoint: String? {
        get { extras?.endpoint }
        set { change { $0.endpoint = newValue } }
    }
    /// The SSH destination of the machine (`db-7`, `admin@10.0.3.7`), when it differs from the endpoint's host.
    public var host: String? {
        get { extras?.host }
        set { change { $0.host = newValue } }
    }
    /// Where runbooks reach the machine over SSH: `host`, or else the host part of `endpoint` (nil: neither).
    public var sshDestination: String? { host ?? endpoint.flatMap(Endpoint.hostPart) }
    /// Free-form labels, passed to the command as `PITSTOP_LABEL_<KEY>`.
    public var labels: [String: String] {
        get { extras?.labels ?? [:] }
        set { change { $0.labels = newValue } }
    }
    /// Why the engine holds this reservation at its start time (e.g. "waiting for replica orders-db-2"), or nil.
    public var heldReason: String? {
        get { extras?.heldReason }
        set { change { $0.heldReason = newValue } }
    }

    /// The role its cluster manager (Patroni) last reported for it, when that differs from `role`: after a
    /// switchover or failover the stored role is stale until the fleet is imported again (nil: none reported,
    /// or the same).
    public var liveRole: ResourceRole? {
        get { extras?.liveRole }
        set { change { $0.liveRole = newValue } }
    }
    /// The role the engine orders a cluster by: the live one when known, else the stored one.
    public var effectiveRole: ResourceRole { extras.map { $0.liveRole ?? $0.role } ?? .standalone }

    /// A resource; pending, never run, unless said otherwise.
    public init(
        id: String, name: String, scheduledAt: Date? = nil, status: ResourceStatus = .pending,
        attempts: Int = 0, failures: Int = 0, progress: Int = 0, lastMessage: String = "",
        lastFailureAt: Date? = nil, attemptID: UInt64? = nil, cluster: String? = nil, role: ResourceRole = .standalone,
        endpoint: String? = nil, host: String? = nil, labels: [String: String] = [:], finishedAt: Date? = nil,
        heldReason: String? = nil, liveRole: ResourceRole? = nil
    ) {
        // Straight into the stored fields: through the setters, each would copy the resource being made.
        self.id = id
        self.name = name
        self.status = status
        self.lastMessage = lastMessage
        scheduledBits = Self.bits(scheduledAt)
        attemptCount = Int32(clamping: attempts)
        failureCount = Int32(clamping: failures)
        progressValue = Int32(clamping: progress)
        lastFailureBits = Self.bits(lastFailureAt)
        attemptBits = attemptID ?? Self.noAttempt
        finishedBits = Self.bits(finishedAt)
        extras = .make(cluster: cluster, role: role, endpoint: endpoint, host: host, labels: labels, heldReason: heldReason, liveRole: liveRole)
    }
}
