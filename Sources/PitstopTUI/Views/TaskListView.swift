import Foundation
import PitstopCore
import PitstopText

/// The task list: status with counts, priority, requirement and deadline countdown, service, type, downtime,
/// a mini-bar of resource statuses, the "reservation required" badge, and the title.
enum TaskListView {
    struct Column {
        var title: String
        var width: Int
    }

    static func columns(wide: Bool) -> [Column] {
        wide
            ? [Column(title: "ID", width: 8), Column(title: "STATUS", width: 21), Column(title: "PRIORITY", width: 9),
               Column(title: "REQUIREMENT", width: 20), Column(title: "SERVICE", width: 10), Column(title: "TYPE", width: 14),
               Column(title: "DOWNTIME", width: 8), Column(title: "RESOURCES", width: 20), Column(title: "BADGE", width: 22)]
            : [Column(title: "ID", width: 7), Column(title: "STATUS", width: 11), Column(title: "PRI", width: 4),
               Column(title: "DUE", width: 7), Column(title: "SVC", width: 5), Column(title: "TYPE", width: 6),
               Column(title: "DT", width: 2), Column(title: "RESOURCES", width: 10), Column(title: "!", width: 1)]
    }

    static func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let layout = state.layout
        let columns = columns(wide: layout.isWide)
        let y = layout.taskTop
        var x = 1
        // The sorted column says so, and which way (▲ ascending, ▼ descending), in the accent colour.
        let arrow = SortKey.arrow(descending: state.sortDescending)
        func header(_ title: String) -> (String, Style) {
            state.sort.headers.contains(title) ? (title + arrow, Style(.accent, bold: true)) : (title, Style(.dim, bold: true))
        }
        for column in columns {
            let (title, style) = header(column.title)
            buffer.put(title, x: x, y: y, width: column.width, style: style)
            x += column.width + 1
        }
        let (titleHeader, titleStyle) = header("TITLE")
        let titleEnd = buffer.put(titleHeader, x: x, y: y, style: titleStyle)
        let shown = state.visibleTaskIDs.count > layout.taskRows
            ? "\(state.taskScroll + 1)–\(min(state.visibleTaskIDs.count, state.taskScroll + layout.taskRows)) of \(state.visibleTaskIDs.count)"
            : "\(state.visibleTaskIDs.count) task\(state.visibleTaskIDs.count == 1 ? "" : "s")"
        let info = " \(shown)\(state.visibleTaskIDs.count == fleet.tasks.count ? "" : "/\(fleet.tasks.count)") · sort: \(state.sort.rawValue) \(arrow)\(state.filter.isEmpty ? "" : " · /\(state.filter)") "
        buffer.put(info, x: max(titleEnd + 2, buffer.width - DisplayWidth.of(info)), y: y, style: Style(.accent))

        if state.visibleTaskIDs.isEmpty {
            let message = fleet.tasks.isEmpty ? "No tasks yet: import some with `pitstop import FILE`, or try `pitstop demo`." : "No task matches \"\(state.filter)\" — Esc clears the filter."
            buffer.put(message, x: 2, y: y + 2, style: Style(.dim))
            return
        }
        let needle = FilterQuery(state.filter).text
        for row in 0..<layout.taskRows {
            let index = state.taskScroll + row
            guard index < state.visibleTaskIDs.count, let task = fleet.task(id: state.visibleTaskIDs[index]) else { break }
            drawRow(task, y: y + 1 + row, selected: index == state.taskCursor, focused: state.focus == .tasks, state: state, columns: columns, into: &buffer)
            // The filter's free text, where the row shows it (the id and the title).
            buffer.highlight(needle, y: y + 1 + row, from: 0, to: buffer.width)
        }
    }

    static func drawRow(_ task: MaintenanceTask, y: Int, selected: Bool, focused: Bool, state: AppState, columns: [Column], into buffer: inout CellBuffer) {
        let wide = state.layout.isWide
        let sel = selected
        if sel { buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: Style(.selection, selected: true)) }
        if sel && focused { buffer.put("▌", x: 0, y: y, style: Style(.accent, selected: true)) }
        let counts = StatusCounts(task.resources)
        let status = TaskStatus(counts: counts)
        var x = 1
        func cell(_ text: String, _ role: ColorRole, bold: Bool = false, _ index: Int) {
            buffer.put(text, x: x, y: y, width: columns[index].width, style: Style(role, bold: bold, selected: sel))
            x += columns[index].width + 1
        }
        cell(task.id, .text, bold: true, 0)
        cell(statusText(status, counts, wide: wide), .status(status), 1)
        cell(wide ? task.priority.rawValue : ViewText.priority(task.priority), task.priority == .high ? .warning : .text, 2)
        if let deadline = task.deadline {
            let countdown = ViewText.countdown(to: deadline, from: state.now)
            let urgent = deadline.timeIntervalSince(state.now) < 86400 && status != .completed
            // Narrow: `overdue` alone fits the column; the width tells by how much.
            let short = deadline > state.now ? countdown : "overdue"
            cell(wide ? "mandatory · \(countdown)" : short, urgent ? .error : .text, 3)
        } else {
            cell(wide ? "recommended" : "rec", .dim, 3)
        }
        cell(ViewText.service(task.service, wide: wide), .text, 4)
        cell(ViewText.type(task.type, wide: wide), .text, 5)
        cell(task.downtime ? (wide ? "DOWNTIME" : "DT") : "", .downtime, 6)
        miniBar(counts, x: x, y: y, width: columns[7].width, selected: sel, into: &buffer)
        x += columns[7].width + 1
        if task.halted {
            cell(wide ? "⏸ HALTED" : "⏸", .badge, 8)
        } else if status == .pending {
            cell(wide ? "⚑ reservation required" : "⚑", .badge, 8)
        } else {
            x += columns[8].width + 1
        }
        buffer.put(task.title, x: x, y: y, style: Style(.text, selected: sel), maxWidth: buffer.width - x - 1)
    }

    static func statusText(_ status: TaskStatus, _ counts: StatusCounts, wide: Bool) -> String {
        let symbol = StatusGlyph.symbol(status)
        if status == .inProgress {
            let tally = "\(counts.completed)✔ \(counts.failed)✘"
            return wide ? "\(symbol) in progress \(tally)" : "\(symbol) \(tally)"
        }
        return "\(symbol) \(status.label)"
    }

    /// Resource statuses as proportional segments, each with its own glyph so it reads without colour.
    static func miniBar(_ counts: StatusCounts, x: Int, y: Int, width: Int, selected: Bool, into buffer: inout CellBuffer) {
        let order: [(ResourceStatus, Character)] = [(.completed, "█"), (.inProgress, "▶"), (.reserved, "▒"), (.failed, "✘"), (.pending, "·"), (.excluded, " ")]
        let total = counts.total
        guard total > 0, width > 0 else { return }
        // Largest-remainder rounding, with every present status getting at least one cell when there is room.
        var cells = order.map { status, _ in counts[status] * width / total }
        for (index, (status, _)) in order.enumerated() where counts[status] > 0 && cells[index] == 0 { cells[index] = 1 }
        while cells.reduce(0, +) > width, let largest = cells.indices.max(by: { cells[$0] < cells[$1] }) { cells[largest] -= 1 }
        while cells.reduce(0, +) < width {
            let remainders = order.indices.map { Double(counts[order[$0].0] * width) / Double(total) - Double(cells[$0]) }
            guard let best = remainders.indices.max(by: { remainders[$0] < remainders[$1] }) else { break }
            cells[best] += 1
        }
        var column = x
        for (index, (status, glyph)) in order.enumerated() where cells[index] > 0 {
            buffer.put(String(repeating: glyph, count: cells[index]), x: column, y: y, style: Style(.status(status), selected: selected))
            column += cells[index]
        }
    }
}
