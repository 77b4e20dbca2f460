public import Foundation

/// Why a mutation was refused. The state is unchanged whenever one is thrown.
public enum MutationError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case unknownTask(String)
    case unknownResource(taskID: String, resourceID: String)
    case duplicateTask(String)
    /// The request itself is malformed (an empty selection, a stagger of zero per slot…).
    case invalid(String)
    /// One or more resources broke a rule; none was changed.
    case refused([Refusal])
    /// Another writer changed these resources of a task after the person looked at them; nothing was written.
    case changedMeanwhile(taskID: String, resourceIDs: [String])

    /// The refusal in words; names no command (the command line adds what to do).
    public var description: String {
        switch self {
        case .unknownTask(let id): return "no task \(id) in the store"
        case .unknownResource(let task, let resource): return "task \(task) has no resource \(resource)"
        case .duplicateTask(let id): return "task \(id) already exists in the store"
        case .invalid(let message): return message
        case .refused(let refusals):
            let groups = Refusal.grouped(refusals)
            let shown = groups.prefix(4).map { group -> String in
                let names = group.names.prefix(3).joined(separator: ", ") + (group.names.count > 3 ? " and \(group.names.count - 3) more" : "")
                let who = group.names.count > 1 ? "\(group.names.count) resources (\(names))" : names
                return "\(who): \(group.reason) [\(group.rule.rawValue)]"
            }.joined(separator: "; ")
            let more = groups.count > 4 ? "; and \(groups.count - 4) more reasons" : ""
            return "refused, nothing changed: \(shown)\(more)"
        case .changedMeanwhile(let task, let resources):
            let shown = resources.prefix(3).joined(separator: ", ") + (resources.count > 3 ? " and \(resources.count - 3) more" : "")
            return "\(shown) of \(task) changed since you looked (another writer); nothing changed"
        }
    }

    /// The refusal in words.
    public var errorDescription: String? { description }
}
