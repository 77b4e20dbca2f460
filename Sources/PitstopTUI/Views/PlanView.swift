import Foundation
import PitstopCore
import PitstopEngine
import PitstopText

/// The plan preview overlay (`p`): for each resource of a task, its expected start and end, and what holds,
/// freezes or misses it; the deadline risk first.
enum PlanView {
    static func draw(_ taskID: String, _ preview: PlanPreview?, _ scroll: Int, _ state: AppState, into buffer: inout CellBuffer) {
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
        let start = max(0, min(scroll, max(0, lines.count - box.h)))
        for row in 0..<box.h where start + row < lines.count {
            buffer.put(lines[start + row].0, x: box.x, y: box.y + row, style: lines[start + row].1, maxWidth: box.w)
        }
    }
}
