import Foundation

/// The rule a refused action broke; its raw value is what messages show in brackets.
public enum SchedulingRule: String, Sendable, Equatable {
    case leadTime = "minLeadTime"
    case deadline
    case conflict = "conflictWindow"
    case lockout
    case state
    /// Replicas of a cluster are maintained before its primary.
    case topology
    /// Nothing runs in a freeze period; `--force` does not override it.
    case freeze
}
