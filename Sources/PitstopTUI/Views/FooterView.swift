import Foundation
import PitstopCore
import PitstopText

/// The notification line and the key hints for the focused pane.
enum FooterView {
    static func hints(_ state: AppState) -> [(String, String)] {
        if state.layout.isTooSmall { return [("q", "quit")] }
        if let overlay = state.topOverlay {
            switch overlay {
            case .schedule: return scheduleHints
            case .confirm: return confirmHints
            case .filter: return filterHints
            case .events: return OverlayKeys.list.footer
            case .eventDetail: return [("Esc", "back to the log")]
            default: return listHints
            }
        }
        var hints = KeyMap.footer(for: state.focus, readonly: state.readonly)
        if state.readonly { hints.append(("", "READ-ONLY")) }
        return hints
    }

    /// Each mode's footer, from its key table (`OverlayKeys`), with what the table cannot say (typing).
    static var scheduleHints: [(String, String)] {
        var hints = OverlayKeys.editor.footer
        hints.insert(("0-9", "type"), at: min(2, hints.count))
        return hints
    }
    static var confirmHints: [(String, String)] { OverlayKeys.confirm.footer }
    static var filterHints: [(String, String)] { [("type", "filter")] + OverlayKeys.filter.footer }
    static var listHints: [(String, String)] { OverlayKeys.list.footer.filter { $0.0 != "Enter" } }

    /// Hints kept at any width: the way to help and the ways out (of the panes, and of an overlay).
    static let kept: Set<String> = ["?", "q", "Esc", "n/Esc", "y", "Enter"]

    /// The hints that fit `width`: every one when they fit, else the others are dropped from the end first, so
    /// that `? help`, `q quit`, an overlay's `Esc` (and `READ-ONLY`) always stay.
    static func fitted(_ hints: [(String, String)], width: Int) -> [(String, String)] {
        func length(_ hint: (String, String)) -> Int { (hint.0.isEmpty ? 0 : DisplayWidth.of(hint.0) + 1) + DisplayWidth.of(hint.1) + 2 }
        var shown = hints
        while shown.reduce(1, { $0 + length($1) }) - 2 > width {
            guard let drop = shown.lastIndex(where: { !kept.contains($0.0) && !$0.0.isEmpty }) else { break }
            shown.remove(at: drop)
        }
        return shown
    }

    static func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let y = buffer.height - 1
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: Style(.footer))
        var x = 1
        for (key, label) in fitted(hints(state), width: buffer.width) {
            guard x < buffer.width - 2 else { break }
            if !key.isEmpty { x = buffer.put(key, x: x, y: y, style: Style(.footerKey, bold: true)) + 1 }
            x = buffer.put(label, x: x, y: y, style: Style(.footer)) + 2
        }
        drawNotification(state, fleet, y: y - 1, into: &buffer)
    }

    static func drawNotification(_ state: AppState, _ fleet: FleetState, y: Int, into buffer: inout CellBuffer) {
        if case .filter = state.topOverlay {
            let x = buffer.put(" / ", x: 0, y: y, style: Style(.accent, bold: true))
            let end = buffer.put(state.filter, x: x, y: y, style: Style(.input))
            buffer.put("▏ \(state.visibleTaskIDs.count) match\(state.visibleTaskIDs.count == 1 ? "" : "es") (ids, titles, services, types, resource names)", x: end, y: y, style: Style(.dim))
            return
        }
        if let note = state.notification {
            let (symbol, role): (String, ColorRole) = {
                switch note.level {
                case .info: return ("ℹ", .accent)
                case .success: return ("✔", .completed)
                case .warning: return ("⚠", .warning)
                case .error: return ("✘", .error)
                }
            }()
            buffer.put(DisplayWidth.truncate(" \(symbol) \(DisplayWidth.sanitized(note.text))", to: buffer.width), x: 0, y: y, style: Style(role), maxWidth: buffer.width)
            return
        }
        guard let event = fleet.events.last else { return }
        let target = [event.taskID, event.resourceID].compactMap { $0 }.joined(separator: "/")
        let line = " \(ViewText.compact(event.time, zone: state.zone, now: state.now)) \(event.kind.rawValue) \(target): \(event.message)"
        buffer.put(DisplayWidth.truncate(DisplayWidth.sanitized(line), to: buffer.width), x: 0, y: y, style: Style(event.kind.isFailure ? .failed : .dim), maxWidth: buffer.width)
    }
}
