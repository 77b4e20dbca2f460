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
            let shown = refusals.prefix(5).map(\.description).joined(separator: "; ")
            let more = refusals.count > 5 ? "; and \(refusals.count - 5) more" : ""
            return "refused, nothing changed: \(shown)\(more)"
        case .changedMeanwhile(let task, let resources):
            let shown = resources.prefix(3).joined(separator: ", ") + (resources.count > 3 ? " and \(resources.count - 3) more" : "")
            return "\(shown) of \(task) changed since you looked (another writer); nothing changed"
        }
    }

    /// The refusal in words.
    public var errorDescription: String? { description }
}
