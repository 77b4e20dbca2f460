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

    /// A resource; pending, never run, unless said otherwise.
    public init(
        id: String, name: String, scheduledAt: Date? = nil, status: ResourceStatus = .pending,
        attempts: Int = 0, failures: Int = 0, progress: Int = 0, lastMessage: String = "",
        lastFailureAt: Date? = nil, attemptID: UInt64? = nil
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
    }
}
