import Foundation

/// The rule a refused action broke; its raw value is what messages show in brackets.
public enum SchedulingRule: String, Sendable, Equatable {
    case leadTime = "minLeadTime"
    case deadline
    case conflict = "conflictWindow"
    case lockout
    case state
}

/// One resource that an action could not be applied to, and why.
public struct Refusal: Sendable, Equatable, CustomStringConvertible {
    public var taskID: String
    public var resourceID: String
    public var rule: SchedulingRule
    /// A sentence naming the resource and the rule, e.g. "orders-db-1: … is after the deadline of MT-0007 (…)".
    public var message: String

    public var description: String { "\(message) [\(rule.rawValue)]" }
}

/// Why a mutation was refused. The state is unchanged whenever one is thrown.
public enum MutationError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case unknownTask(String)
    case unknownResource(taskID: String, resourceID: String)
    case duplicateTask(String)
    /// The request itself is malformed (an empty selection, a stagger of zero per slot…).
    case invalid(String)
    /// One or more resources broke a rule; none was changed.
    case refused([Refusal])

    public var description: String {
        switch self {
        case .unknownTask(let id): return "no task \(id) in the store"
        case .unknownResource(let task, let resource): return "task \(task) has no resource \(resource)"
        case .duplicateTask(let id): return "task \(id) already exists in the store"
        case .invalid(let message): return message
        case .refused(let refusals):
            let shown = refusals.prefix(5).map(\.description).joined(separator: "; ")
            let more = refusals.count > 5 ? "; and \(refusals.count - 5) more" : ""
            return "refused, nothing changed: \(shown)\(more)"
        }
    }

    public var errorDescription: String? { description }
}
