import Foundation
import PitstopCore
import PitstopEngine
import PitstopText

/// `p`: the plan preview of a task — for each resource its expected start and end, and what holds, freezes
/// or misses it; the deadline risk first. Worked out off the loop (`Effect.plan`); a placeholder until then.
struct PlanOverlay: OverlayComponent {
    var taskID: String
    /// Nil while it is being worked out.
    var preview: PlanPreview?
    var list = ScrollingList()

    init(taskID: String, preview: PlanPreview? = nil) {
        self.taskID = taskID
        self.preview = preview
    }

    static func open(_ state: inout AppState, _ fleet: FleetState) -> (PlanOverlay, [Effect])? {
        guard let task = state.selectedTask(fleet) else { return nil }
        return (PlanOverlay(taskID: task.id), [.plan(taskID: task.id)])
    }

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        list.simple(key, limit: (preview?.entries.count ?? 0) + 3 - ScrollingList.pageRows(state.height))
    }

    mutating func receive(_ message: AppMessage, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        switch message {
        case .planReady(taskID, let ready) where preview == nil:
            preview = ready
        case .planFailed(taskID, let why) where preview == nil:
            state.notification = StatusLine(text: "plan preview of \(taskID) failed: \(why)", level: .error)
            return .close
        default: break
        }
        return .keep
    }

    var hints: [(String, String)] { ScrollingList.hints }

    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let box = OverlayViews.frame("Plan — \(taskID), as the engine will run it", width: buffer.width - 4, height: buffer.height - 4, into: &buffer)
        guard let preview else {
            buffer.put("Working out the plan: the engine runs forward on a copy of the fleet…", x: box.x, y: box.y, style: Style(.dim))
            return
        }
        var lines: [(String, Style)] = []
        if let risk = preview.deadlineRisks.first(where: { $0.taskID == taskID }) {
            lines.append(("⚠ DEADLINE RISK: \(risk.resourceIDs.count) resource(s) will not finish before \(InstantText.short(risk.deadline, in: state.zone))", Style(.error, bold: true)))
        } else {
            lines.append(("✔ no deadline risk (each attempt taken to last its expected length and to succeed)", Style(.completed)))
        }
        lines.append(("", Style(.dim)))
        let time = { (date: Date?) in date.map { ViewText.compact($0, zone: state.zone, now: state.now) } ?? "-" }
        lines.append(("\(DisplayWidth.fit("RESOURCE", to: 28)) \(DisplayWidth.fit("START", to: 11)) \(DisplayWidth.fit("END", to: 11)) NOTE", Style(.dim, bold: true)))
        for entry in preview.entries where entry.taskID == taskID {
            let (note, style): (String, Style) = switch entry.outcome {
            case .runs: (entry.reservedAt == nil ? "auto-reserved" : "", Style(.text))
            case .missed: ("✘ missed: not started within its start window", Style(.error))
            case .held(let message): ("⏸ held: \(message)", Style(.warning))
            case .frozen: ("❄ frozen: a freeze covers its time", Style(.warning))
            case .unscheduled: ("○ no reservation", Style(.dim))
            }
            lines.append(("\(DisplayWidth.fitMiddle(entry.name, to: 28)) \(DisplayWidth.fit(time(entry.expectedStart), to: 11)) \(DisplayWidth.fit(time(entry.expectedEnd), to: 11)) \(note)", style))
        }
        let start = list.first(rows: box.h, count: lines.count)
        for row in 0..<box.h where start + row < lines.count {
            buffer.put(lines[start + row].0, x: box.x, y: box.y + row, style: lines[start + row].1, maxWidth: box.w)
        }
    }
}
