import Foundation
import PitstopCore
import PitstopText

/// `v`: reservations across tasks grouped by the hour they start (the operator's "user schedule"), with
/// freezes where they begin.
struct CalendarOverlay: OverlayComponent {
    /// Made when the calendar opens, and again when the fleet changes or the minute turns while it is open.
    var lines: CalendarLines
    var list = ScrollingList()

    static func open(_ state: inout AppState, _ fleet: FleetState) -> (CalendarOverlay, [Effect])? {
        (CalendarOverlay(lines: CalendarLines(fleet: fleet, now: state.now, zone: state.zone)), [])
    }

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        list.simple(key, limit: lines.lines.count - ScrollingList.pageRows(state.height))
    }

    mutating func receive(_ message: AppMessage, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        let minute = Int64(state.now.timeIntervalSince1970) / 60
        if message == .fleetChanged || lines.minute != minute {
            lines = CalendarLines(fleet: fleet, now: state.now, zone: state.zone)
        }
        return .keep
    }

    var hints: [(String, String)] { ScrollingList.hints }

    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let lines = self.lines.lines
        let box = OverlayViews.frame("Calendar — \(self.lines.entryCount) reservations by hour", width: buffer.width - 4, height: buffer.height - 4, into: &buffer)
        if lines.isEmpty { buffer.put("No reservations. Press e on a task to reserve.", x: box.x, y: box.y, style: Style(.dim)) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = state.zone
        let start = list.first(rows: box.h, count: lines.count)
        for row in 0..<box.h where start + row < lines.count {
            let text: String
            let style: Style
            switch lines[start + row] {
            case .freeze(let line):
                (text, style) = (line, Style(.warning, bold: true))
            case .blank:
                (text, style) = ("", Style(.dim))
            case .hour(let slot):
                let hour = Date(timeIntervalSince1970: TimeInterval(slot * 3600))
                let when = hour > state.now ? "in \(ViewText.span(hour.timeIntervalSince(state.now)))" : hour.addingTimeInterval(3600) > state.now ? "this hour" : "past"
                (text, style) = ("\(InstantText.short(hour, in: state.zone))  (\(when))", Style(.title, bold: true))
            case .entry(let t, let r):
                // Lines from a fleet that has changed since are skipped until they are made again.
                guard fleet.tasks.indices.contains(Int(t)), fleet.tasks[Int(t)].resources.indices.contains(Int(r)),
                      let at = fleet.tasks[Int(t)].resources[Int(r)].scheduledAt else { continue }
                let task = fleet.tasks[Int(t)]
                let resource = task.resources[Int(r)]
                let minute = String(format: ":%02d", calendar.component(.minute, from: at))
                text = "  \(minute)  \(StatusGlyph.symbol(resource.status)) \(DisplayWidth.fitMiddle(resource.name, to: 28)) \(task.id) \(task.title)\(task.downtime ? "  DOWNTIME" : "")"
                style = Style(.status(resource.status))
            }
            buffer.put(text, x: box.x, y: box.y + row, style: style, maxWidth: box.w)
        }
    }
}
