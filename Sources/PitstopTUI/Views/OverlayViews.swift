import Foundation
import PitstopCore
import PitstopText

/// Help, confirmations, the schedule editor, the event log, the calendar and execution output.
enum OverlayViews {
    static func draw(_ overlay: Overlay, _ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        switch overlay {
        case .help(let scroll): help(scroll, state, into: &buffer)
        case .eventDetail(let position): eventDetail(position, state, fleet, into: &buffer)
        case .filter: break  // drawn on the notification line
        case .confirm(let confirmation): confirm(confirmation, into: &buffer)
        case .schedule(let editor): ScheduleEditorView.draw(editor, state, fleet, into: &buffer)
        case .events(let scroll): events(scroll, state, fleet, into: &buffer)
        case .calendar(let scroll): calendar(scroll, state, fleet, into: &buffer)
        case .output(let taskID, let resourceID, let scroll): output(taskID, resourceID, scroll, state, into: &buffer)
        case .plan(let taskID, let preview, let scroll): PlanView.draw(taskID, preview, scroll, state, into: &buffer)
        }
    }

    /// A centred box of up to `width`×`height`; returns its inner origin and size.
    static func frame(_ title: String, width: Int, height: Int, into buffer: inout CellBuffer) -> (x: Int, y: Int, w: Int, h: Int) {
        let w = min(width, buffer.width - 2)
        let h = min(height, buffer.height - 2)
        let x = (buffer.width - w) / 2
        let y = (buffer.height - h) / 2
        buffer.box(x: x, y: y, width: w, height: h, title: title)
        return (x + 2, y + 1, w - 4, h - 2)
    }

    /// The help's lines: the panes' keys from the key map, the mouse, each overlay's keys from the hints its
    /// footer shows, the watch screen's, and every symbol the screens draw. A line with empty keys is a heading.
    static var helpLines: [(keys: String, text: String, changesStore: Bool)] {
        var lines = KeyMap.groups.map { ($0.label, $0.help, $0.changesStore) } + [("mouse", "click selects, wheel scrolls", false)]
        lines.append(("", "In the overlays", false))
        for (mode, line) in OverlayKeys.helpLines { lines.append((mode, line, false)) }
        lines.append(("", "Symbols", false))
        lines += [
            ("status", "○ pending  ◷ reserved  ▶ in progress  ✔ completed  ✘ failed  ⊘ excluded", false),
            ("RESOURCES bar", "█ completed  ▶ running  ▒ reserved  ✘ failed  · pending  (blank) excluded", false),
            ("⚑", "reservation required: a deadline task with resources still pending", false),
            ("⏸", "held (a reservation waits: replica first, freeze, gate) or HALTED (task)", false),
            ("DT  DOWNTIME", "the task interrupts service on each resource while it runs", false),
            ("SIM", "simulated executor (demo): nothing runs on a host", false),
            ("❄", "a freeze window: nothing of its services starts inside it", false),
            ("●  ▌", "a marked resource  ·  the cursor of the focused pane", false),
        ]
        return lines
    }

    /// The help's lines wrapped to `width` columns of text: a long line continues on the next rows, broken
    /// between its double-spaced items, so no key is ever cut off.
    static func helpRows(width: Int) -> [(keys: String, text: String, changesStore: Bool)] {
        helpLines.flatMap { line -> [(keys: String, text: String, changesStore: Bool)] in
            guard !line.keys.isEmpty, DisplayWidth.of(line.text) > width else { return [line] }
            return wrap(line.text, width: width, separator: "  ").enumerated().map { ($0.offset == 0 ? line.keys : " ", $0.element, line.changesStore) }
        }
    }

    static func help(_ scroll: Int, _ state: AppState, into buffer: inout CellBuffer) {
        let width = min(100, buffer.width - 2)
        let lines = helpRows(width: width - 4 - 17)
        let box = frame("Keys and symbols", width: width, height: lines.count + 3, into: &buffer)
        let rows = box.h - 1
        let start = max(0, min(scroll, lines.count - rows))
        for row in 0..<rows where start + row < lines.count {
            let (key, text, changesStore) = lines[start + row]
            let y = box.y + row
            if key.isEmpty {
                buffer.put(text, x: box.x, y: y, style: Style(.title, bold: true), maxWidth: box.w)
                continue
            }
            let mutating = changesStore && state.readonly
            buffer.put(key, x: box.x, y: y, width: 16, style: Style(.accent, bold: true))
            buffer.put(mutating ? "\(text) (read-only)" : text, x: box.x + 17, y: y, style: Style(mutating ? .dim : .overlay), maxWidth: box.w - 17)
        }
        let more = lines.count > rows ? "↑↓ scroll (\(start + 1)–\(min(lines.count, start + rows)) of \(lines.count))  " : ""
        buffer.put("\(more)Esc closes", x: box.x, y: box.y + box.h - 1, style: Style(.dim), maxWidth: box.w)
    }

    /// One event in full: the message wrapped, not cut, with its kind, time, target and actor.
    static func eventDetail(_ position: Int, _ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        guard position < fleet.events.count else { return }
        let event = fleet.events[position]
        let width = min(90, buffer.width - 4)
        let target = [event.taskID, event.resourceID].compactMap { $0 }.joined(separator: "/")
        var lines = [
            "\(event.kind.rawValue) · \(InstantText.short(event.time, in: state.zone)) (\(ViewText.relative(event.time, from: state.now)))",
            "target: \(target.isEmpty ? "the fleet" : target)", "by: \(event.actor)", "",
        ]
        lines += wrap(DisplayWidth.sanitized(event.message), width: width - 4)
        let box = frame("Event \(event.sequence)", width: width, height: min(buffer.height - 2, lines.count + 3), into: &buffer)
        for (index, line) in lines.prefix(box.h - 1).enumerated() {
            buffer.put(line, x: box.x, y: box.y + index, style: Style(index == 0 && event.kind.isFailure ? .failed : .overlay), maxWidth: box.w)
        }
        buffer.put("Esc back to the log", x: box.x, y: box.y + box.h - 1, style: Style(.dim), maxWidth: box.w)
    }

    static func confirm(_ confirmation: ConfirmationPrompt, into buffer: inout CellBuffer) {
        let width = min(70, max(40, DisplayWidth.of(confirmation.message) / 2 + 8))
        let lines = wrap(confirmation.message, width: width - 4)
        let box = frame(confirmation.title, width: width, height: lines.count + 5, into: &buffer)
        for (index, line) in lines.enumerated() { buffer.put(line, x: box.x, y: box.y + index, style: Style(.overlay)) }
        let x = buffer.put(" y ", x: box.x, y: box.y + box.h - 1, style: Style(.footerKey, bold: true))
        let end = buffer.put(" yes    ", x: x, y: box.y + box.h - 1, style: Style(.overlay))
        let n = buffer.put(" n ", x: end, y: box.y + box.h - 1, style: Style(.footerKey, bold: true))
        buffer.put(" no (Esc)", x: n, y: box.y + box.h - 1, style: Style(.overlay))
    }

    /// `text` in lines of at most `width` columns, broken where `separator` stands (between words, or between
    /// the double-spaced items of a help line).
    static func wrap(_ text: String, width: Int, separator: String = " ") -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.components(separatedBy: separator) where !word.isEmpty {
            if !line.isEmpty && DisplayWidth.of(line) + DisplayWidth.of(separator) + DisplayWidth.of(word) > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : separator) + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    static func events(_ scroll: Int, _ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let box = frame("Event log — newest first (\(fleet.events.count))", width: buffer.width - 4, height: buffer.height - 4, into: &buffer)
        let events = fleet.events
        let start = max(0, min(scroll, events.count - 1))
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

    /// Reservations across tasks grouped by the hour they start: the operator's "user schedule".
    static func calendar(_ scroll: Int, _ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        // Made by the reducer when the calendar opened (and kept up to date); made here only if a caller skipped it.
        let calendarLines = state.calendarLines ?? CalendarLines(fleet: fleet, now: state.now, zone: state.zone)
        let lines = calendarLines.lines
        let box = frame("Calendar — \(calendarLines.entryCount) reservations by hour", width: buffer.width - 4, height: buffer.height - 4, into: &buffer)
        if lines.isEmpty { buffer.put("No reservations. Press e on a task to reserve.", x: box.x, y: box.y, style: Style(.dim)) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = state.zone
        let start = max(0, min(scroll, max(0, lines.count - box.h)))
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
                // Lines from a fleet that has changed since are skipped until the reducer makes them again.
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

    static func output(_ taskID: String, _ resourceID: String, _ scroll: Int, _ state: AppState, into buffer: inout CellBuffer) {
        let box = frame("Output — \(taskID)/\(resourceID)", width: buffer.width - 4, height: buffer.height - 4, into: &buffer)
        let lines = state.outputLines
        if lines.isEmpty { buffer.put("No output recorded for this resource yet.", x: box.x, y: box.y, style: Style(.dim)) }
        let bottom = max(0, lines.count - box.h - scroll)
        for row in 0..<box.h where bottom + row < lines.count {
            buffer.put(lines[bottom + row], x: box.x, y: box.y + row, style: Style(.overlay), maxWidth: box.w)
        }
    }
}
