import Foundation
public import PitstopCore

/// Something the user must confirm with `y` before it happens.
struct ConfirmationPrompt: Equatable, Sendable {
    enum Action: Equatable, Sendable {
        case mutate(Mutation, success: String)
        /// Stop the running attempts of these resources (`K`).
        case cancel(taskID: String, resourceIDs: [String])
        case quit
    }
    var title: String
    var message: String
    var action: Action
    /// The resources as the person saw them when asked: if another writer moves them before `y`, the prompt
    /// says who changed what and asks again.
    var opened: [ResourceVersion] = []
}
