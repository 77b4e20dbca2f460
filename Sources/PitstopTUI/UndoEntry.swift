import Foundation
import PitstopCore

/// One change made from this console that `u` can put back: the resources it moved as they were before, as it
/// left them (an undo is refused if any moved since), the first event it logged, and what it was.
struct UndoEntry: Equatable, Sendable {
    var taskID: String
    var before: [RestoredResource]
    var after: [ResourceVersion]
    var sequence: UInt64
    var what: String

    /// The most `u` goes back in one session.
    static let depth = 50

    /// Whether `u` may undo this kind of change: an operator's clear, exclude, include, reservation or retry.
    static func undoes(_ mutation: Mutation) -> String? {
        switch mutation {
        case .clear(let taskID, _), .exclude(let taskID, _), .include(let taskID, _), .retry(let taskID, _, _, _),
             .reserve(let taskID, _, _, _, _), .reserveInWaves(let taskID, _, _, _, _):
            return taskID
        default:
            return nil
        }
    }

    /// What a change did to its task's resources, from the task before and after it; nil when it moved none.
    static func of(taskID: String, before: MaintenanceTask, after: MaintenanceTask, sequence: UInt64, what: String) -> UndoEntry? {
        var restored: [RestoredResource] = []
        var left: [ResourceVersion] = []
        for old in before.resources {
            guard let new = after.resource(id: old.id) else { continue }
            let was = RestoredResource(old)
            guard was != RestoredResource(new) else { continue }
            restored.append(was)
            left.append(ResourceVersion(new, of: taskID))
        }
        guard !restored.isEmpty else { return nil }
        return UndoEntry(taskID: taskID, before: restored, after: left, sequence: sequence, what: what)
    }
}
