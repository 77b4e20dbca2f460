import Foundation
import PitstopCore
import PitstopText

/// `H`: the history of what is selected, newest first: a machine's events across every task it is in (the
/// resource under the cursor), or a task's. Found through the log's index, so a long log costs a lookup, not a
/// scan; events written while it is open join at the top. Enter opens the row under the cursor in full.
struct HistoryOverlay: OverlayComponent {
    /// Whose history.
    enum Scope: Equatable, Sendable {
        case resource(String)
        case task(String)
    }

    let scope: Scope
    /// The log's positions of the scope's events when it opened, oldest first.
    let found: [Int]
    /// How long the log was when it opened; later events are matched as they are drawn.
    let seen: Int
    /// The row under the cursor, from the newest.
    var cursor = 0
    /// The first row shown.
    var top = 0

    init(scope: Scope, log: EventLog) {
        self.scope = scope
        switch scope {
        case .resource(let id): found = log.positions(ofResource: id)
        case .task(let id): found = log.positions(ofTask: id)
        }
        seen = log.count
    }

    /// The resource under the cursor in the resource pane, else the selected task.
    static func open(_ state: inout AppState, _ fleet: FleetState) -> (HistoryOverlay, [Effect])? {
        guard let task = state.selectedTask(fleet) else {
            state.notification = StatusLine(text: "no task selected: nothing to show the history of", level: .warning)
            return nil
        }
        if let (_, resource) = state.resourceUnderCursor(fleet) {
            return (HistoryOverlay(scope: .resource(resource.id), log: fleet.events), [])
        }
        return (HistoryOverlay(scope: .task(task.id), log: fleet.events), [])
    }

    /// The positions of the scope's events now, newest first: those found at opening and any written since.
    func positions(_ log: EventLog) -> [Int] {
        var all = found
        if log.count > seen {
            for position in seen..<log.count {
                let event = log[position]
                switch scope {
                case .resource(let id) where event.resourceID == id: all.append(position)
                case .task(let id) where event.taskID == id: all.append(position)
                default: break
                }
            }
        }
        return all.reversed()
    }

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        let rows = positions(fleet.events)
        let last = max(0, rows.count - 1)
        if key == .char("H") { return .close }
        if case .mouse(let event) = key {
            switch event.kind {
            case .wheelDown: cursor = min(last, cursor + 3)
            case .wheelUp: cursor = max(0, cursor - 3)
            case .click: return .keep
            }
        } else {
            switch OverlayKeys.list.command(for: key) {
            case .close?: return .close
            case .open?:
                guard rows.indices.contains(cursor) else { return .keep }
                return .push(EventDetailOverlay(position: rows[cursor]))
            case .scroll(let delta)?: cursor = max(0, min(last, cursor + delta))
            case .top?: cursor = 0
            case nil: return .keep
            }
        }
        // The first row shown follows the cursor past either edge of the box (the frame's rows: height - 6).
        let visible = max(1, state.height - 6)
        top = min(top, cursor)
        if cursor >= top + visible { top = cursor - visible + 1 }
        return .keep
    }

    var hints: [(String, String)] { [("↑↓", "move"), ("Enter", "full text"), ("Esc", "close")] }

    /// "pg-00032 in 3 tasks" or "MT-0004".
    func title(_ events: [Event]) -> String {
        switch scope {
        case .resource(let id):
            let tasks = Set(events.compactMap(\.taskID)).count
            return "History of \(id)\(tasks > 1 ? " in \(tasks) tasks" : "") — newest first (\(events.count))"
        case .task(let id):
            return "History of \(id) — newest first (\(events.count))"
        }
    }

    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let rows = positions(fleet.events)
        let events = rows.map { fleet.events[$0] }
        let box = OverlayViews.frame(title(events), width: buffer.width - 4, height: buffer.height - 4, into: &buffer)
        guard !events.isEmpty else {
            buffer.put("no events yet", x: box.x, y: box.y, style: Style(.dim), maxWidth: box.w)
            return
        }
        let cursor = min(self.cursor, events.count - 1)
        // Where `handle` scrolled to, kept so that the cursor is in view whatever the box's height.
        let start = max(0, min(top, cursor, events.count - 1), cursor - box.h + 1)
        for row in 0..<box.h where start + row < events.count {
            let event = events[start + row]
            let y = box.y + row
            // The other half of the target: the task of a machine's event, the machine of a task's.
            let other: String
            switch scope {
            case .resource: other = event.taskID ?? "—"
            case .task: other = event.resourceID ?? "(task)"
            }
            var x = buffer.put(ViewText.compact(event.time, zone: state.zone, now: state.now), x: box.x, y: y, style: Style(.dim))
            x = buffer.put(" " + DisplayWidth.fit(event.kind.rawValue, to: 14), x: x, y: y, style: Style(event.kind.isFailure ? .failed : .accent, bold: event.kind.isFailure))
            x = buffer.put(" " + DisplayWidth.fit(other, to: 16), x: x, y: y, style: Style(.text))
            if box.w >= 100 {
                let person = event.actor != "engine"
                x = buffer.put(" " + DisplayWidth.fit(ViewText.who(event.actor), to: 14), x: x, y: y, style: Style(person ? .text : .dim, bold: person))
            }
            let message = " " + DisplayWidth.sanitized(event.message) + (event.attemptID.map { " [attempt \($0)]" } ?? "")
            buffer.put(DisplayWidth.truncate(message, to: box.x + box.w - x), x: x, y: y,
                       style: Style(event.kind.isFailure ? .failed : .overlay), maxWidth: box.x + box.w - x)
            if start + row == cursor { buffer.restyle(y: y, from: box.x, to: box.x + box.w) { $0.selected = true } }
        }
    }
}
