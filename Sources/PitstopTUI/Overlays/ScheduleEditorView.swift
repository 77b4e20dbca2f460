import Foundation
import PitstopCore

/// Draws the schedule editor: the fields in place, the zone with its offset, the stagger, shortcuts and the
/// verdict of the same validation the write will run.
enum ScheduleEditorView {
    static func draw(_ editor: ScheduleEditor, _ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let task = fleet.task(id: editor.taskID)
        let count = editor.resourceIDs.count
        let title = "Reserve \(count) resource\(count == 1 ? "" : "s") of \(editor.taskID)"
        let box = OverlayViews.frame(title, width: 76, height: editor.staggers ? 15 : 14, into: &buffer)
        var y = box.y
        if let task {
            var x = buffer.put(task.title, x: box.x, y: y, style: Style(.overlay, bold: true), maxWidth: box.w - 12)
            if task.downtime { x = buffer.put("  DOWNTIME", x: x, y: y, style: Style(.downtime, bold: true)) }
            y += 1
            let names = task.resources.filter { editor.resourceIDs.contains($0.id) }.prefix(4).map(\.name).joined(separator: ", ")
            buffer.put(names + (count > 4 ? " and \(count - 4) more" : ""), x: box.x, y: y, style: Style(.dim), maxWidth: box.w)
            y += 2
        }
        var x = buffer.put("Start  ", x: box.x, y: y, style: Style(.overlay, bold: true))
        x = field(editor, .year, x: x, y: y, into: &buffer)
        x = buffer.put("-", x: x, y: y, style: Style(.overlay))
        x = field(editor, .month, x: x, y: y, into: &buffer)
        x = buffer.put("-", x: x, y: y, style: Style(.overlay))
        x = field(editor, .day, x: x, y: y, into: &buffer)
        x = buffer.put("  ", x: x, y: y, style: Style(.overlay))
        x = field(editor, .hour, x: x, y: y, into: &buffer)
        x = buffer.put(":", x: x, y: y, style: Style(.overlay))
        x = field(editor, .minute, x: x, y: y, into: &buffer)
        buffer.put("  \(state.zone.identifier) \(InstantText.offset(state.zone.secondsFromGMT(for: editor.instant)))", x: x, y: y, style: Style(.dim))
        y += 1
        let past = editor.instant <= state.now
        buffer.put(past ? "\(ViewText.relative(editor.instant, from: state.now)): in the past" : ViewText.relative(editor.instant, from: state.now),
                   x: box.x + 7, y: y, style: Style(past ? .error : .dim))
        y += 1
        if editor.staggers {
            var sx = buffer.put("Stagger  every ", x: box.x, y: y, style: Style(.overlay, bold: true))
            sx = field(editor, .spacing, x: sx, y: y, into: &buffer)
            sx = buffer.put(" min, ", x: sx, y: y, style: Style(.overlay))
            sx = field(editor, .perSlot, x: sx, y: y, into: &buffer)
            buffer.put(" per slot → last slot \(InstantText.short(editor.lastInstant, in: state.zone))", x: sx, y: y, style: Style(.overlay))
            y += 2
        } else {
            y += 1
        }
        var shortcuts = "n  now + lead time    r  recommended"
        if let task, task.deadline != nil { shortcuts += "    d  deadline − \(DurationText.format(fleet.policy.autoApplyMargin))" }
        buffer.put(shortcuts, x: box.x, y: y, style: Style(.accent))
        y += 1
        // The freeze nearest the chosen time for this task's service: the one it falls in, or the next.
        if let task, let (freeze, occurrence) = nearestFreeze(fleet.policy, service: task.service, from: editor.instant) {
            let text = "❄ freeze \(freeze.name): \(InstantText.short(occurrence.start, in: state.zone)) to \(InstantText.short(occurrence.end, in: state.zone))"
            buffer.put(text, x: box.x, y: y, style: Style(.warning), maxWidth: box.w)
        }
        y += 1
        // Another writer moved these resources since the editor opened: said before the verdict, in full.
        if let changed = editor.changedMeanwhile {
            let lines = OverlayViews.wrap("⚠ changed since you opened this: \(changed) — Enter asks again", width: box.w).prefix(3)
            for line in lines {
                buffer.put(line, x: box.x, y: y, style: Style(.warning, bold: true), maxWidth: box.w)
                y += 1
            }
        }
        switch editor.verdict {
        case .ok:
            buffer.put("✔ allowed — Enter saves, Esc changes nothing", x: box.x, y: y, style: Style(.completed, bold: true), maxWidth: box.w)
        case .lockedOut:
            buffer.put("⚠ locked out after \(Policy.lockoutFailureCount) failures — Enter asks to override", x: box.x, y: y, style: Style(.warning, bold: true), maxWidth: box.w)
        case .refused(let message):
            for (index, line) in OverlayViews.wrap("✘ " + message, width: box.w).prefix(box.y + box.h - y).enumerated() {
                buffer.put(line, x: box.x, y: y + index, style: Style(.error), maxWidth: box.w)
            }
        }
    }

    static func field(_ editor: ScheduleEditor, _ field: ScheduleEditor.Field, x: Int, y: Int, into buffer: inout CellBuffer) -> Int {
        let active = editor.field == field
        return buffer.put(editor.text(of: field), x: x, y: y, style: Style(active ? .input : .overlay, bold: active))
    }

    static func nearestFreeze(_ policy: Policy, service: Service, from instant: Date) -> (FreezeWindow, DateInterval)? {
        let horizon = instant.addingTimeInterval(30 * 86400)
        return policy.freezes.filter { $0.applies(to: service) }
            .compactMap { freeze in freeze.occurrences(near: instant, horizon).first { $0.end > instant }.map { (freeze, $0) } }
            .min { $0.1.start < $1.1.start }
    }
}
