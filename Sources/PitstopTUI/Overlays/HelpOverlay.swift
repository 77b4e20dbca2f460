import Foundation
import PitstopCore
import PitstopText

/// `?`: the keys of every mode and what each symbol on screen means; scrolls on small screens.
struct HelpOverlay: OverlayComponent {
    var list = ScrollingList()

    static func open(_ state: inout AppState, _ fleet: FleetState) -> (HelpOverlay, [Effect])? { (HelpOverlay(), []) }

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        // `?` again and Enter leave it open: only the closing keys close it.
        if key == .char("?") || key == .enter { return .keep }
        let layout = Self.layout(width: state.width, height: state.height, keys: state.keys)
        return list.simple(key, limit: layout.rows.count - layout.shown)
    }

    var hints: [(String, String)] { ScrollingList.hints }

    /// The help's lines: the panes' keys from the key map, the mouse, each mode's keys from its table, and
    /// every symbol the screens draw. A line with empty keys is a heading.
    static func lines(_ keys: PaneKeyTable) -> [(keys: String, text: String, changesStore: Bool)] {
        var lines = keys.groups.map { ($0.label, $0.help, $0.changesStore) } + [("mouse", "click selects, wheel scrolls", false)]
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
    static func rows(width: Int, keys: PaneKeyTable) -> [(keys: String, text: String, changesStore: Bool)] {
        lines(keys).flatMap { line -> [(keys: String, text: String, changesStore: Bool)] in
            guard !line.keys.isEmpty, DisplayWidth.of(line.text) > width else { return [line] }
            return OverlayViews.wrap(line.text, width: width, separator: "  ").enumerated().map { ($0.offset == 0 ? line.keys : " ", $0.element, line.changesStore) }
        }
    }

    /// The box's width, its rows of text and how many of them show at once on a screen of this size.
    static func layout(width: Int, height: Int, keys: PaneKeyTable = .standard) -> (width: Int, rows: [(keys: String, text: String, changesStore: Bool)], shown: Int) {
        let boxWidth = min(100, width - 2)
        let rows = rows(width: boxWidth - 4 - 17, keys: keys)
        // The frame's inner height less the closing line.
        let shown = max(1, min(rows.count + 3, height - 2) - 3)
        return (boxWidth, rows, shown)
    }

    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let layout = Self.layout(width: buffer.width, height: buffer.height, keys: state.keys)
        let lines = layout.rows
        let box = OverlayViews.frame("Keys and symbols", width: layout.width, height: lines.count + 3, into: &buffer)
        let rows = box.h - 1
        let start = list.first(rows: rows, count: lines.count)
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
}
