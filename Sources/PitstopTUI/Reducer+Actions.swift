import Foundation
import PitstopCore
import PitstopEngine

/// Actions that change the store, and the keys of each overlay.
extension Reducer {
    /// A command that changes the store (the read-only gate has already let it through).
    static func action(_ state: inout AppState, _ command: PaneCommand, fleet: FleetState) -> [Effect] {
        guard let task = state.selectedTask(fleet) else { return [] }
        let targets = state.targetResources(fleet)
        let ids = targets.map(\.id)
        switch command {
        case .reserve, .reserveWholeTask:
            let chosen = command == .reserveWholeTask || ids.isEmpty
                ? task.resources.filter { $0.status == .pending || $0.status == .reserved || $0.status == .failed }.map(\.id)
                : ids
            guard !chosen.isEmpty else {
                state.notification = StatusLine(text: "\(task.id) has no pending, reserved or failed resources to reserve", level: .warning)
                return []
            }
            let first = task.resource(id: chosen[0])?.scheduledAt
            let start = first.flatMap { $0 > state.now ? $0 : nil } ?? earliest(state, fleet)
            let opened = ResourceVersion.current(chosen, of: task.id, in: fleet)
            openSchedule(&state, ScheduleEditor(taskID: task.id, resourceIDs: chosen, instant: start, zone: state.zone, opened: opened), fleet)
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
            state.overlays.append(.confirm(ConfirmationPrompt(
                title: "Cancel \(running.count) running attempt\(running.count == 1 ? "" : "s")?",
                message: "\(names(running)) of \(task.id): SIGTERM to the command's process group, SIGKILL after \(DurationText.format(SupervisedExecutors.killGrace)). The resource\(running.count == 1 ? "" : "s") fail\(running.count == 1 ? "s" : "") as cancelled and \(running.count == 1 ? "is" : "are") not retried; a half-done change may need a look.",
                action: .cancel(taskID: task.id, resourceIDs: running.map(\.id)))))
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
        state.overlays.append(.confirm(ConfirmationPrompt(title: title, message: message, action: .mutate(mutation, success: success), opened: opened)))
    }

    // MARK: Overlays

    static func overlayKey(_ state: inout AppState, _ key: Key, fleet: FleetState) -> [Effect] {
        guard let overlay = state.overlays.popLast() else { return [] }
        switch overlay {
        case .help(let scroll):
            if key == .char("?") || key == .enter { return [] }
            if let next = scrolled(scroll, key) { state.overlays.append(.help(scroll: min(next, max(0, OverlayViews.helpLines.count - 4)))) }
        case .eventDetail:
            if let command = OverlayKeys.list.command(for: key), command == .close || command == .open { return [] }
            state.overlays.append(overlay)
        case .filter:
            return filterKey(&state, key, fleet: fleet)
        case .confirm(var confirmation):
            let command = OverlayKeys.confirm.command(for: key)
            if command == .yes {
                // Another writer moved what the prompt was about: say who and what, and ask again.
                if let (said, current) = ChangedMeanwhile.overtaken(confirmation.opened, fleet: fleet, zone: state.zone, now: state.now) {
                    confirmation.opened = current
                    confirmation.title = "Changed meanwhile — \(confirmation.title)"
                    state.overlays.append(.confirm(confirmation))
                    state.notification = StatusLine(text: "changed since you were asked: \(said); y to go ahead anyway, n to leave it", level: .warning)
                    return []
                }
                switch confirmation.action {
                case .quit:
                    state.quit = true
                    return [.quit]
                case .mutate(let mutation, let success):
                    return [.mutate(mutation, success: success, expecting: confirmation.opened)]
                case .cancel(let taskID, let resourceIDs):
                    return [.cancel(taskID: taskID, resourceIDs: resourceIDs)]
                }
            }
            if command == .no { return [] }
            state.overlays.append(overlay)
        case .schedule(var editor):
            return scheduleKey(&state, &editor, key, fleet: fleet)
        case .events(let scroll):
            // Enter opens the first event shown in full; the list stays underneath.
            if OverlayKeys.list.command(for: key) == .open, fleet.events.count > 0 {
                state.overlays.append(overlay)
                state.overlays.append(.eventDetail(position: max(0, fleet.events.count - 1 - min(scroll, fleet.events.count - 1))))
                return []
            }
            if let next = scrolled(scroll, key) { state.overlays.append(.events(scroll: min(next, max(0, fleet.events.count - 1)))) }
        case .calendar(let scroll):
            if let next = scrolled(scroll, key) { state.overlays.append(.calendar(scroll: next)) }
        case .output(let taskID, let resourceID, let scroll):
            if let next = scrolled(scroll, key) { state.overlays.append(.output(taskID: taskID, resourceID: resourceID, scroll: next)) }
        case .plan(let taskID, let preview, let scroll):
            if let next = scrolled(scroll, key) { state.overlays.append(.plan(taskID: taskID, preview: preview, scroll: next)) }
        }
        return []
    }

    /// The new scroll of a list overlay, or nil when the key closes it.
    static func scrolled(_ scroll: Int, _ key: Key) -> Int? {
        if case .mouse(let event) = key {
            switch event.kind {
            case .wheelDown: return scroll + 3
            case .wheelUp: return max(0, scroll - 3)
            case .click: return scroll
            }
        }
        switch OverlayKeys.list.command(for: key) {
        case .close?, .open?: return nil
        case .scroll(let delta)?: return max(0, scroll + delta)
        case .top?: return 0
        case nil: return scroll
        }
    }

    static func filterKey(_ state: inout AppState, _ key: Key, fleet: FleetState) -> [Effect] {
        switch OverlayKeys.filter.command(for: key) {
        case .keep?:
            state.notification = state.filter.isEmpty ? nil : StatusLine(text: "filter \"\(state.filter)\": \(state.visibleTaskIDs.count) task(s); Esc clears it", level: .info)
            return []
        case .clearAndLeave?:
            // Leaves the prompt and the filter together, as lazygit's and k9s's do: a `/` typed next opens it again.
            state.filter = ""
            state.taskCursor = 0
            state.refreshVisibleTasks(fleet)
            return []
        case .erase?:
            if !state.filter.isEmpty { state.filter.removeLast() }
        case nil:
            if case .char(let c) = key, !c.isNewline { state.filter.append(c) }
        }
        state.overlays.append(.filter)
        state.taskCursor = 0
        state.refreshVisibleTasks(fleet)
        return []
    }

    static func scheduleKey(_ state: inout AppState, _ editor: inout ScheduleEditor, _ key: Key, fleet: FleetState) -> [Effect] {
        let task = fleet.task(id: editor.taskID)
        switch OverlayKeys.editor.command(for: key) {
        case .cancel?:
            state.notification = StatusLine(text: "nothing changed", level: .info)
            return []
        case .save?:
            editor.commitTyped()
            // Another writer moved these resources since the editor opened: say who and what, and ask again
            // (a second Enter saves over it, on the state as it is now).
            if let (said, current) = ChangedMeanwhile.overtaken(editor.opened, fleet: fleet, zone: state.zone, now: state.now) {
                editor.opened = current
                openSchedule(&state, editor, fleet)
                state.notification = StatusLine(text: "changed since you opened this: \(said) — Enter again saves yours over it, Esc keeps it", level: .warning)
                return []
            }
            editor.verdict = ScheduleValidation.check(editor, fleet: fleet, now: state.now, zone: state.zone)
            switch editor.verdict {
            case .ok:
                let count = editor.resourceIDs.count
                let when = InstantText.short(editor.instant, in: state.zone)
                let success = "saved: \(count) reservation\(count == 1 ? "" : "s") of \(editor.taskID) from \(when)"
                if task?.downtime == true {
                    state.overlays.append(.confirm(ConfirmationPrompt(
                        title: "Reserve a DOWNTIME task?",
                        message: "\(editor.taskID) interrupts service on each resource while it runs. Reserve \(count) resource\(count == 1 ? "" : "s") from \(when)?",
                        action: .mutate(editor.mutation, success: success), opened: editor.opened)))
                    return []
                }
                return [.mutate(editor.mutation, success: success, expecting: editor.opened)]
            case .lockedOut:
                editor.force = true
                state.overlays.append(.confirm(ConfirmationPrompt(
                    title: "Override the lockout?",
                    message: "A resource failed \(Policy.lockoutFailureCount) times and is locked out. Reserve it anyway?",
                    action: .mutate(editor.mutation, success: "saved (lockout overridden)"), opened: editor.opened)))
                return []
            case .refused(let message):
                state.overlays.append(.schedule(editor))
                state.notification = StatusLine(text: message, level: .error)
                return []
            }
        case .field(let delta)?: editor.moveField(delta)
        case .step(let delta)?: editor.step(delta)
        case .erase?: editor.backspace()
        case .nowPlusLead?: editor.set(earliest(state, fleet))
        case .recommended?:
            if let task { editor.set(max(task.recommendedAt, earliest(state, fleet))) }
        case .deadlineMinusMargin?:
            if let deadline = task?.deadline { editor.set(deadline.addingTimeInterval(-fleet.policy.autoApplyMargin)) }
        case nil:
            if case .char(let c) = key, c.isNumber { editor.type(c) }
        }
        openSchedule(&state, editor, fleet)
        return []
    }

    /// Shows the editor with its verdict worked out for what it holds now.
    static func openSchedule(_ state: inout AppState, _ editor: ScheduleEditor, _ fleet: FleetState) {
        var editor = editor
        editor.verdict = ScheduleValidation.check(editor, fleet: fleet, now: state.now, zone: state.zone)
        editor.changedMeanwhile = ChangedMeanwhile.overtaken(editor.opened, fleet: fleet, zone: state.zone, now: state.now)?.said
        state.overlays.append(.schedule(editor))
    }

    /// The open editor's verdict again, when its inputs outside the editor changed: the fleet, or the minute.
    static func refreshScheduleVerdict(_ state: inout AppState, _ fleet: FleetState) {
        guard case .schedule(let editor) = state.topOverlay else { return }
        state.overlays.removeLast()
        openSchedule(&state, editor, fleet)
    }
}
