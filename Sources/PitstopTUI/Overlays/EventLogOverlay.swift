import Foundation
import PitstopCore
import PitstopText

/// `L`: the store's event log, newest first; Enter opens the first row's event in full.
struct EventLogOverlay: OverlayComponent {
    var list = ScrollingList()

    static func open(_ state: inout AppState, _ fleet: FleetState) -> (EventLogOverlay, [Effect])? { (EventLogOverlay(), []) }

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        let count = fleet.events.count
        switch list.handle(key, limit: count - 1) {
        case .open:
            // The first event shown, in full; the log stays underneath.
            guard count > 0 else { return .keep }
            return .push(EventDetailOverlay(position: count - 1 - min(list.scroll, count - 1)))
        case .close: return .close
        case .scrolled, .ignored: return .keep
        }
    }

    var hints: [(String, String)] { OverlayKeys.list.footer }

    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let box = OverlayViews.frame("Event log — newest first (\(fleet.events.count))", width: buffer.width - 4, height: buffer.height - 4, into: &buffer)
        let events = fleet.events
        let start = max(0, min(list.scroll, events.count - 1))
        for row in 0..<box.h {
            let index = events.count - 1 - start - row
            guard index >= 0 else { break }
            let event = events[index]
            let target = [event.taskID, event.resourceID].compactMap { $0 }.joined(separator: "/")
            var x = buffer.put(ViewText.compact(event.time, zone: state.zone, now: state.now), x: box.x, y: box.y + row, style: Style(.dim))
            x = buffer.put(" " + DisplayWidth.fit(event.kind.rawValue, to: 14), x: x, y: box.y + row, style: Style(event.kind.isFailure ? .failed : .accent, bold: event.kind.isFailure))
            x = buffer.put(" " + DisplayWidth.fit(target, to: 20), x: x, y: box.y + row, style: Style(.text))
            // Who did it: a column of its own when there is room, so a long message never hides it.
            var message = " \(event.message) (\(event.actor))"
            if box.w >= 100 {
                // People stand out from the engine's many routine events.
                let person = event.actor != "engine"
                x = buffer.put(" " + DisplayWidth.fit(ViewText.who(event.actor), to: 14), x: x, y: box.y + row, style: Style(person ? .text : .dim, bold: person))
                message = " " + event.message
            }
            // Cut with `…`, never mid-word silently: Enter shows the first row's event in full.
            buffer.put(DisplayWidth.truncate(DisplayWidth.sanitized(message), to: box.x + box.w - x), x: x, y: box.y + row,
                       style: Style(event.kind.isFailure ? .failed : .overlay), maxWidth: box.x + box.w - x)
        }
        // The row Enter opens.
        buffer.restyle(y: box.y, from: box.x, to: box.x + box.w) { $0.selected = true }
    }
}
