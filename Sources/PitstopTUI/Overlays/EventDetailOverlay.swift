import Foundation
import PitstopCore
import PitstopText

/// One event of the log in full (Enter in the event log or a history): its whole text wrapped, kind, time,
/// target, actor, and the attempt it is about with the command that prints that attempt's output.
struct EventDetailOverlay: OverlayComponent {
    /// The event's position in the log.
    var position: Int
    var list = ScrollingList()

    init(position: Int) { self.position = position }

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        // `o`: the output of the attempt the event is about (the lists' `o` closes; here it opens).
        if key == .char("o"), position < fleet.events.count {
            let event = fleet.events[position]
            if let attempt = event.attemptID, let task = event.taskID, let resource = event.resourceID {
                return .push(OutputOverlay(taskID: task, resourceID: resource, attempt: attempt))
            }
        }
        return list.simple(key, limit: lines(state, fleet, width: Self.width(state.width)).count - 1)
    }

    var hints: [(String, String)] { [("↑↓", "scroll"), ("o", "its attempt's output"), ("Esc", "back")] }

    static func width(_ screenWidth: Int) -> Int { min(90, screenWidth - 4) }

    func lines(_ state: AppState, _ fleet: FleetState, width: Int) -> [String] {
        guard position < fleet.events.count else { return [] }
        let event = fleet.events[position]
        let target = [event.taskID, event.resourceID].compactMap { $0 }.joined(separator: "/")
        var lines = [
            "\(event.kind.rawValue) · \(InstantText.short(event.time, in: state.zone)) (\(ViewText.relative(event.time, from: state.now)))",
            "target: \(target.isEmpty ? "the fleet" : target)", "by: \(event.actor)",
        ]
        if let attempt = event.attemptID, let task = event.taskID, let resource = event.resourceID {
            lines.append("attempt: \(attempt) · o shows its output (or: pitstop output \(task) \(resource) --attempt \(attempt))")
        }
        lines.append("")
        lines += OverlayViews.wrap(DisplayWidth.sanitized(event.message), width: width - 4)
        return lines
    }

    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        guard position < fleet.events.count else { return }
        let event = fleet.events[position]
        let width = Self.width(buffer.width)
        let lines = lines(state, fleet, width: width)
        let box = OverlayViews.frame("Event \(event.sequence)", width: width, height: min(buffer.height - 2, lines.count + 3), into: &buffer)
        let start = list.first(rows: box.h - 1, count: lines.count)
        for row in 0..<(box.h - 1) where start + row < lines.count {
            let index = start + row
            buffer.put(lines[index], x: box.x, y: box.y + row, style: Style(index == 0 && event.kind.isFailure ? .failed : .overlay), maxWidth: box.w)
        }
        let more = lines.count > box.h - 1 ? "↑↓ more  " : ""
        buffer.put("\(more)Esc back", x: box.x, y: box.y + box.h - 1, style: Style(.dim), maxWidth: box.w)
    }
}
