import Foundation
import PitstopCore
import PitstopText

/// The schedule editor as an overlay: its keys (`OverlayKeys.editor`), its verdict made again whenever the
/// fleet or the minute changes, and its draw (`ScheduleEditorView`).
extension ScheduleEditor: OverlayComponent {
    /// Works out the verdict and who changed what since it opened, for what it holds now.
    mutating func reckon(_ state: AppState, _ fleet: FleetState) {
        verdict = ScheduleValidation.check(self, fleet: fleet, now: state.now, zone: state.zone)
        changedMeanwhile = ChangedMeanwhile.overtaken(opened, fleet: fleet, zone: state.zone, now: state.now)?.said
        reckonedMinute = Int64(state.now.timeIntervalSince1970) / 60
    }

    mutating func receive(_ message: AppMessage, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        // Its inputs outside the editor: the fleet (another writer), and the clock (a time that became past).
        if message == .fleetChanged || reckonedMinute != Int64(state.now.timeIntervalSince1970) / 60 { reckon(state, fleet) }
        return .keep
    }

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        let task = fleet.task(id: taskID)
        switch OverlayKeys.editor.command(for: key) {
        case .cancel?:
            state.notification = StatusLine(text: "nothing changed", level: .info)
            return .close
        case .save?:
            return save(&state, fleet)
        case .field(let delta)?: moveField(delta)
        case .step(let delta)?: step(delta)
        case .erase?: backspace()
        case .nowPlusLead?: set(Reducer.earliest(state, fleet))
        case .recommended?:
            if let task { set(max(task.recommendedAt, Reducer.earliest(state, fleet))) }
        case .deadlineMinusMargin?:
            if let deadline = task?.deadline { set(deadline.addingTimeInterval(-fleet.policy.autoApplyMargin)) }
        case nil:
            if case .char(let c) = key, c.isNumber { type(c) }
        }
        reckon(state, fleet)
        return .keep
    }

    /// Enter: the write, or a question first (a DOWNTIME task, a lockout), or why not.
    private mutating func save(_ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        commitTyped()
        // Another writer moved these resources since the editor opened: say who and what, and ask again
        // (a second Enter saves over it, on the state as it is now).
        if let (said, current) = ChangedMeanwhile.overtaken(opened, fleet: fleet, zone: state.zone, now: state.now) {
            opened = current
            reckon(state, fleet)
            state.notification = StatusLine(text: "changed since you opened this: \(said) — Enter again saves yours over it, Esc keeps it", level: .warning)
            return .keep
        }
        reckon(state, fleet)
        switch verdict {
        case .ok:
            let count = resourceIDs.count
            let when = InstantText.short(instant, in: state.zone)
            let success = "saved: \(count) reservation\(count == 1 ? "" : "s") of \(taskID) from \(when)"
            if fleet.task(id: taskID)?.downtime == true {
                return .replace(ConfirmationPrompt(
                    title: "Reserve a DOWNTIME task?",
                    message: "\(taskID) interrupts service on each resource while it runs. Reserve \(count) resource\(count == 1 ? "" : "s") from \(when)?",
                    action: .mutate(mutation, success: success), opened: opened))
            }
            return .close([.mutate(mutation, success: success, expecting: opened)])
        case .lockedOut:
            force = true
            return .replace(ConfirmationPrompt(
                title: "Override the lockout?",
                message: "A resource failed \(Policy.lockoutFailureCount) times and is locked out. Reserve it anyway?",
                action: .mutate(mutation, success: "saved (lockout overridden)"), opened: opened))
        case .refused(let message):
            state.notification = StatusLine(text: message, level: .error)
            return .keep
        }
    }

    /// The editor's footer, from its key table, with what the table cannot say (typing digits).
    var hints: [(String, String)] {
        var hints = OverlayKeys.editor.footer
        hints.insert(("0-9", "type"), at: min(2, hints.count))
        return hints
    }

    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        ScheduleEditorView.draw(self, state, fleet, into: &buffer)
    }
}
