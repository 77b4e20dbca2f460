import Foundation

/// One effect on the stored state. The journal stores these, not mutations, so that replay never re-validates.
public enum Change: Sendable, Equatable {
    case addTask(MaintenanceTask)
    case updateResource(taskID: String, resource: Resource)
    case setPolicy(Policy)
    case setHalted(taskID: String, halted: Bool)
    /// Why the engine holds a reservation (nil: no longer held). Its own change, not a whole resource: the
    /// engine records thousands of holds at once when a fleet of clusters comes due.
    case setHold(taskID: String, resourceID: String, reason: String?)
}
