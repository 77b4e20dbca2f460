import Foundation
public import PitstopCore

/// What the loop must do for the reducer: the only ways the screen reaches the outside.
enum Effect: Equatable, Sendable {
    case mutate(Mutation, success: String)
    /// Stop running attempts through their supervisors.
    case cancel(taskID: String, resourceIDs: [String])
    case cycleTheme
    case quit
}
