import Foundation
import PitstopCore
import PitstopEngine

/// Actions that change the store: each opens the editor or asks first, except include and dry run.
extension Reducer {
    /// A command that changes the store (the read-only gate has already let it through).
    static func action(_ state: inout AppState, _ command: PaneCommand, fleet: FleetState) -> [Effect] {
        guard let task = state.selectedTask(fleet) else { return [] }
        let targets = state.targetResources(fleet)
        let ids = targets.map(\.id)
        switch command {
        case .reserve, .reserveWholeTask:
            openEditor(&state, fleet, task: task, ids: command == .reserveWholeTask ? [] : ids, at: nil)
        case .clear:
            guard !ids.isEmpty else { return needTarget(&state) }
            confirm(&state, "Clear \(ids.count) reservation\(ids.count == 1 ? "" : "s")?",
                    "\(names(targets)) of \(task.id) go back to pending and need a new reservation.",
                    .clear(taskID: task.id, resourceIDs: ids), success: "cleared \(ids.count) reservation(s) of \(task.id)",
                    opened: ResourceVersion.current(ids, of: task.id, in: fleet))
        case .excludeOrInclude:
            guard !ids.isEmpty else { return needTarget(&state) }
            if targets.allSatisfy({ $0.status == .excluded }) {
                return [.mutate(.include(taskID: task.id, resourceIDs: ids), success: "included \(ids.count) resource(s) in \(task.id) again")]
            }
            // Excluding drops a reservation and takes the machine out of the task: it asks, as clearing does.
            let toExclude = targets.filter { $0.status != .excluded }
            confirm(&state, "Exclude \(toExclude.count) resource\(toExclude.count == 1 ? "" : "s")?",
                    "\(names(toExclude)) of \(task.id) leave the task: any reservation is dropped and nothing runs on \(toExclude.count == 1 ? "it" : "them"); x again includes \(toExclude.count == 1 ? "it" : "them").",
                    .exclude(taskID: task.id, resourceIDs: toExclude.map(\.id)), success: "excluded \(names(toExclude)) from \(task.id)",
                    opened: toExclude.map { ResourceVersion($0, of: task.id) })
        case .retry:
            let failed = (ids.isEmpty ? task.resources : targets).filter { $0.status == .failed }
            guard !failed.isEmpty else {
                state.notification = StatusLine(text: "nothing to retry: no failed resource \(ids.isEmpty ? "in \(task.id)" : "selected")", level: .warning)
                return []
            }
            let at = InstantText.short(earliest(state, fleet), in: state.zone)
            confirm(&state, "Retry \(failed.count) failed resource\(failed.count == 1 ? "" : "s")?",
                    "\(names(failed)) will be reserved for \(at), the earliest time policy allows\(task.downtime ? "; this task causes DOWNTIME" : "").",
                    .retry(taskID: task.id, resourceIDs: failed.map(\.id), at: nil, force: false), success: "reserved \(failed.count) failed resource(s) again",
                    opened: failed.map { ResourceVersion($0, of: task.id) })
        case .rehearse:
            let chosen = (ids.isEmpty ? task.resources : targets).filter(Rehearsal.takes)
            guard !chosen.isEmpty else {
                state.notification = StatusLine(text: "nothing to rehearse: the selected resources are excluded, completed or running", level: .warning)
                return []
            }
            return [.rehearse(taskID: task.id, resourceIDs: chosen.map(\.id))]
        case .cancel:
            guard !ids.isEmpty else { return needTarget(&state) }
            let running = targets.filter { $0.status == .inProgress }
            guard !running.isEmpty else {
                state.notification = StatusLine(text: "nothing to cancel: no attempt of the selected resources is in progress", level: .warning)
                return []
            }
            state.overlays.push(ConfirmationPrompt(
                title: "Cancel \(running.count) running attempt\(running.count == 1 ? "" : "s")?",
                message: "\(names(running)) of \(task.id): SIGTERM to the command's process group, SIGKILL after \(DurationText.format(SupervisedExecutors.killGrace)). The resource\(running.count == 1 ? "" : "s") fail\(running.count == 1 ? "s" : "") as cancelled and \(running.count == 1 ? "is" : "are") not retried; a half-done change may need a look.",
                action: .cancel(taskID: task.id, resourceIDs: running.map(\.id))))
        case .resume:
            guard task.halted else {
                state.notification = StatusLine(text: "\(task.id) is not halted", level: .info)
                return []
            }
            confirm(&state, "Resume \(task.id)?", "The engine will start its reserved resources again when due.",
                    .resume(taskID: task.id), success: "resumed \(task.id)")
        default:
            break
        }
        return []
    }

    /// The schedule editor for `ids` of `task` (all its pending, reserved and failed ones when empty), at `at`,
    /// else at their reservation if still ahead, else at the earliest time the rules allow. Nothing is written
    /// until the person saves.
    static func openEditor(_ state: inout AppState, _ fleet: FleetState, task: MaintenanceTask, ids: [String], at: Date?) {
        let chosen = ids.isEmpty
            ? task.resources.filter { $0.status == .pending || $0.status == .reserved || $0.status == .failed }.map(\.id)
            : ids
        guard !chosen.isEmpty else {
            state.notification = StatusLine(text: "\(task.id) has no pending, reserved or failed resources to reserve", level: .warning)
            return
        }
        let first = task.resource(id: chosen[0])?.scheduledAt
        let start = at ?? first.flatMap { $0 > state.now ? $0 : nil } ?? earliest(state, fleet)
        let opened = ResourceVersion.current(chosen, of: task.id, in: fleet)
        var editor = ScheduleEditor(taskID: task.id, resourceIDs: chosen, instant: start, zone: state.zone, opened: opened)
        editor.reckon(state, fleet)
        state.overlays.push(editor)
    }

    static func earliest(_ state: AppState, _ fleet: FleetState) -> Date {
        // A minute later than the rule's earliest, so that the time is still allowed when the person presses Enter.
        fleet.policy.earliestReservation(at: state.now.addingTimeInterval(60))
    }

    static func names(_ resources: [Resource]) -> String {
        let shown = resources.prefix(3).map(\.name).joined(separator: ", ")
        return resources.count > 3 ? "\(shown) and \(resources.count - 3) more" : shown
    }

    static func needTarget(_ state: inout AppState) -> [Effect] {
        state.notification = StatusLine(text: "select a resource first: Tab to the resource pane, space to mark several", level: .info)
        return []
    }

    static func confirm(_ state: inout AppState, _ title: String, _ message: String, _ mutation: Mutation, success: String, opened: [ResourceVersion] = []) {
        state.overlays.push(ConfirmationPrompt(title: title, message: message, action: .mutate(mutation, success: success), opened: opened))
    }
}
