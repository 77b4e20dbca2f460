import Foundation
public import PitstopCore

/// Something the user must confirm with `y` before it happens.
public struct ConfirmationPrompt: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        case mutate(Mutation, success: String)
        /// Stop the running attempts of these resources (`K`).
        case cancel(taskID: String, resourceIDs: [String])
        case quit
    }
    public var title: String
    public var message: String
    public var action: Action
}
