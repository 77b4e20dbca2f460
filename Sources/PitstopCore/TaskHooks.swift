import Foundation

/// Commands a task runs around each attempt, inside the attempt's supervisor, with the executor's environment.
public struct TaskHooks: Sendable, Equatable {
    /// Runs before each attempt; a non-zero exit holds the resource (not a failure) and it is checked again
    /// every minute until its start window ends.
    public var precheck: [String]?
    /// Runs after a successful attempt; a non-zero exit makes the attempt fail ("health check failed: …").
    public var healthcheck: [String]?
    /// Runs before a primary's attempt (e.g. a switchover to a replica); a non-zero exit fails the attempt.
    public var switchover: [String]?

    /// Hooks as given; none by default.
    public init(precheck: [String]? = nil, healthcheck: [String]? = nil, switchover: [String]? = nil) {
        self.precheck = precheck
        self.healthcheck = healthcheck
        self.switchover = switchover
    }

    /// Whether the task has any hook.
    public var isEmpty: Bool { precheck == nil && healthcheck == nil && switchover == nil }
}
