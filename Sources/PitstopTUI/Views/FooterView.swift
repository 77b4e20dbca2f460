import Foundation
import PitstopCore
import PitstopText

/// The notification line and the key hints for the focused pane.
enum FooterView {
    static func hints(_ state: AppState) -> [(String, String)] {
        if state.layout.isTooSmall { return [("q", "quit")] }
        if let overlay = state.overlays.top { return overlay.hints }
        var hints = state.keys.footer(for: state.focus, readonly: state.readonly)
        if state.readonly { hints.append(("", "READ-ONLY")) }
        return hints
    }

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

    /// The last notification, else the newest event (the filter prompt draws over this line while open).
    static func drawNotification(_ state: AppState, _ fleet: FleetState, y: Int, into buffer: inout CellBuffer) {
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
