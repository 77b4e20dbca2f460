import Foundation

/// Commands a task runs around each attempt, inside the attempt's supervisor, with the executor's environment.
public struct TaskHooks: Sendable, Equatable {
    /// Runs before each attempt; a non-zero exit holds the resource (not a failure) and it is checked again
    /// every minute until its start window ends.
    public var precheck: HookCommand?
    /// Runs after a successful attempt; a non-zero exit makes the attempt fail ("health check failed: …").
    public var healthcheck: HookCommand?
    /// Runs before a primary's attempt (e.g. a switchover to a replica); a non-zero exit fails the attempt.
    public var switchover: HookCommand?

    /// Hooks as given; none by default.
    public init(precheck: HookCommand? = nil, healthcheck: HookCommand? = nil, switchover: HookCommand? = nil) {
        self.precheck = precheck
        self.healthcheck = healthcheck
        self.switchover = switchover
    }

    /// Whether the task has any hook.
    public var isEmpty: Bool { precheck == nil && healthcheck == nil && switchover == nil }

    /// The hooks by name, in the order they run around an attempt.
    public var named: [(name: String, command: HookCommand?)] {
        [("precheck", precheck), ("switchover", switchover), ("healthcheck", healthcheck)]
    }

    /// Whether any hook carries a raw argv, which only a store's owner may give (SPEC §13).
    public var carriesArgv: Bool { named.contains { $0.command?.argv != nil } }
}

/// What a hook runs: a raw argv (the store's owner alone may give one) or a runbook the owner installed in
/// `STORE/runbooks/`, named so that any member of a team store may use it.
public enum HookCommand: Sendable, Equatable {
    /// A program and its arguments, run without a shell.
    case argv([String])
    /// A runbook's name, resolved in `STORE/runbooks/` just before it runs.
    case runbook(String)

    /// The argv, or nil for a runbook.
    public var argv: [String]? {
        if case .argv(let argv) = self { return argv }
        return nil
    }

}
