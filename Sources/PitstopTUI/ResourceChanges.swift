import Foundation
import PitstopCore

/// Who last changed each resource of the selected task: the actor of the newest event that names it and
/// changed something (a notification about it, a progress line or a rehearsal changes nothing), and the
/// resource's newest rehearsal. Kept up
/// to date from new events alone; looked up again through the log's index by task, newest event first, only
/// when another task is selected or the log was replaced (a reload), so that a frame never walks the log.
struct ResourceChanges: Equatable {
    private(set) var taskID: String?
    /// How many events have been read, and the sequence of the last one (to notice a replaced list).
    private var scanned = 0
    private var lastSequence: UInt64?
    private var actorByResource: [String: String] = [:]
    private var rehearsalByResource: [String: Rehearsed] = [:]

    /// The last rehearsal of a resource: when, and its message (`ready: …`, `refused: …`).
    struct Rehearsed: Equatable {
        var time: Date
        var message: String
    }

    /// Events that name a resource without changing it.
    static let notChanges: Set<EventKind> = [.notified, .notifyFailed, .progress, .rehearsed]

    /// The actor of the newest event naming `resourceID` in the selected task, if any.
    func actor(of resourceID: String) -> String? { actorByResource[resourceID] }

    /// The newest rehearsal of `resourceID` in the selected task, if any.
    func rehearsal(of resourceID: String) -> Rehearsed? { rehearsalByResource[resourceID] }

    private mutating func note(_ event: Event, resource: String) {
        if event.kind == .rehearsed { rehearsalByResource[resource] = Rehearsed(time: event.time, message: event.message) }
    }

    /// Brings the answer up to date with `task` (the selected one) and the fleet's `events`.
    mutating func update(for task: MaintenanceTask?, events: EventLog) {
        guard let task else {
            if taskID != nil { self = ResourceChanges() }
            return
        }
        let unchanged = scanned <= events.count && (scanned == 0 || events[scanned - 1].sequence == lastSequence)
        if task.id == taskID && unchanged {
            guard scanned < events.count else { return }
            for event in events[scanned...] where event.taskID == task.id {
                guard let resource = event.resourceID else { continue }
                note(event, resource: resource)
                if !Self.notChanges.contains(event.kind) { actorByResource[resource] = event.actor }
            }
        } else {
            taskID = task.id
            actorByResource = [:]
            rehearsalByResource = [:]
            let ofTask = events.positions(ofTask: task.id)
            let members = Set(task.resources.map(\.id))
            var wanted = members
            for position in ofTask.reversed() {
                if wanted.isEmpty { break }
                let event = events[position]
                guard event.taskID == task.id, !Self.notChanges.contains(event.kind), let resource = event.resourceID,
                      wanted.remove(resource) != nil else { continue }
                actorByResource[resource] = event.actor
            }
            // Rehearsals through the index by kind: only those events are read, however long the task's log.
            let rehearsed = Set(events.positions(ofKind: .rehearsed))
            if !rehearsed.isEmpty {
                for position in ofTask.reversed() where rehearsed.contains(position) {
                    let event = events[position]
                    guard event.taskID == task.id, let resource = event.resourceID, members.contains(resource),
                          rehearsalByResource[resource] == nil else { continue }
                    note(event, resource: resource)
                }
            }
        }
        scanned = events.count
        lastSequence = events.last?.sequence
    }
}
