import Foundation

/// One effect on the stored state. The journal stores these, not mutations, so that replay never re-validates.
public enum Change: Sendable, Equatable {
    case addTask(MaintenanceTask)
    case updateResource(taskID: String, resource: Resource)
    case setPolicy(Policy)
    case setHalted(taskID: String, halted: Bool)
}
