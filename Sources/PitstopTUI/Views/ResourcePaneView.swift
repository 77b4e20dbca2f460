import Foundation
import PitstopCore
import PitstopText

/// The resources of the selected task: mark, status (colour and symbol), name, role (the live one from Patroni,
/// marked, when it contradicts the task), cluster, id, SSH host, schedule or `-`, who changed it last, attempt,
/// progress bar and last message.
enum ResourcePaneView {
    /// As wide as the longest status with its symbol ("▶ in-progress"), so no status is ever cut.
    static let statusWidth = ResourceStatus.allCases.map { DisplayWidth.of("\(StatusGlyph.symbol($0)) \($0.rawValue)") }.max() ?? 13

    /// The NAME column's width on a screen this wide.
    static func nameWidth(_ width: Int) -> Int { Layout(width: width, height: 0).isWide ? 30 : max(12, min(24, width / 4)) }

    static func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let layout = state.layout
        let top = layout.resourceTop
        buffer.put(String(repeating: "─", count: buffer.width), x: 0, y: top, style: Style(.border))
        guard let task = state.selectedTask(fleet) else {
            buffer.put(" Resources ", x: 2, y: top, style: Style(.title, bold: true))
            return
        }
        var title = " \(task.id) · \(task.title) · \(task.service.rawValue) \(task.type.label)"
        let titleWidth = buffer.width - 30
        if case .simulated = task.executor {
            title += " · SIM"
            // Which runbook a real task would name, when it fits whole (a cut name would say nothing).
            if let runbook = task.parameters[DemoFleet.realRunbookParameter],
               DisplayWidth.of(title) + DisplayWidth.of(" (real: runbook \(runbook)) ") <= titleWidth {
                title += " (real: runbook \(runbook))"
            }
        }
        title += " "
        var x = buffer.put(title, x: 2, y: top, style: Style(.title, bold: true), maxWidth: titleWidth)
        if task.downtime { x = buffer.put(" DOWNTIME ", x: x, y: top, style: Style(.downtime, bold: true)) }
        if task.halted { x = buffer.put(" HALTED — R resumes ", x: x, y: top, style: Style(.badge, bold: true)) }
        if !state.marked.isEmpty { buffer.put(" \(state.marked.count) marked ", x: x, y: top, style: Style(.accent, bold: true)) }

        let wide = layout.isWide
        let nameWidth = Self.nameWidth(buffer.width)
        // The id (what `pitstop retry TASK RESOURCE` takes) only where the last message keeps room beside it.
        let idWidth = buffer.width >= 220 ? 12 : 0
        // Where runbooks reach the machine over SSH (its host, or the endpoint's host), on wide screens.
        let hostWidth = wide ? 16 : 0
        // A machine's place in its cluster, and the cluster, where the width allows: replicas go first.
        // A live role Patroni reported against the task's word is shown instead, marked "⇄" (8 wide).
        let roleWidth = buffer.width >= 130 ? (task.resources.contains { $0.liveRole != nil } ? 8 : 7) : 0
        let clusterWidth = buffer.width >= 160 ? 14 : 0
        let scheduleWidth = wide ? 23 : 11
        // Who changed it last: a person in bold, the engine dimmed, as in the event log; on wide enough screens.
        let byWidth = wide ? 14 : (buffer.width >= 130 ? 12 : 0)
        // The last rehearsal's verdict and age (`pitstop rehearse`, D), on wide screens.
        // Only when the task has been rehearsed: an empty column would take the last message's room.
        let dryWidth = wide && task.resources.contains { state.resourceChanges.rehearsal(of: $0.id) != nil } ? 14 : 0
        let statusWidth = Self.statusWidth
        let progressWidth = wide ? 12 : 8
        let header = top + 1
        var hx = 3
        let sortedHeader = state.resourceSort.header
        let arrow = SortKey.arrow(descending: state.resourceSortDescending)
        for (title, width) in [("STATUS", statusWidth), ("NAME", nameWidth), ("ROLE", roleWidth), ("CLUSTER", clusterWidth), ("ID", idWidth), ("HOST", hostWidth), ("SCHEDULE", scheduleWidth), ("BY", byWidth), ("DRY RUN", dryWidth), ("TRY", 4), ("PROGRESS", progressWidth)] where width > 0 {
            let sorted = title == sortedHeader
            buffer.put(sorted ? title + arrow : title, x: hx, y: header, width: width, style: Style(sorted ? .accent : .dim, bold: true))
            hx += width + 1
        }
        buffer.put("LAST MESSAGE", x: hx, y: header, style: Style(.dim, bold: true))

        let query = FilterQuery(state.filter)
        let shown = state.paneResources(task)
        for row in 0..<layout.resourceRows {
            let index = state.resourceScroll + row
            guard index < shown.count else { break }
            let r = shown[index]
            let y = header + 1 + row
            let sel = index == state.resourceCursor && state.focus == .resources
            if sel { buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: Style(.selection, selected: true)) }
            let marked = state.marked.contains(r.id)
            buffer.put(marked ? "●" : (sel ? "▌" : " "), x: 0, y: y, style: Style(.accent, bold: true, selected: sel))
            var x = 3
            func cell(_ text: String, _ width: Int, _ role: ColorRole, bold: Bool = false) {
                guard width > 0 else { return }
                buffer.put(text, x: x, y: y, width: width, style: Style(role, bold: bold, selected: sel))
                x += width + 1
            }
            // A held reservation says so in symbol and word, not in colour alone, with its reason as the message.
            if r.heldReason != nil {
                cell("⏸ held", statusWidth, .warning, bold: true)
            } else {
                cell("\(StatusGlyph.symbol(r.status)) \(r.status.rawValue)", statusWidth, .status(r.status))
            }
            // A resource the filter points at (n and N go from one to the next): its name stands out.
            let hit = query.highlights(r)
            let nameX = x
            x = buffer.put(name: r.name, x: x, y: y, width: nameWidth, style: Style(hit ? .accent : .text, bold: marked || hit, selected: sel)) + 1
            if hit { buffer.highlight(query.text, y: y, from: nameX, to: buffer.width) }
            if let live = r.liveRole {
                cell("⇄\(live.rawValue)", roleWidth, .warning, bold: true)
            } else {
                cell(r.role == .standalone ? "-" : r.role.rawValue, roleWidth, r.role == .primary ? .text : .dim, bold: r.role == .primary)
            }
            cell(r.cluster ?? "-", clusterWidth, .dim)
            cell(r.id, idWidth, .dim)
            if hostWidth > 0 { cell(r.sshDestination ?? "-", hostWidth, .dim) }
            let schedule = r.scheduledAt.map { wide ? InstantText.short($0, in: state.zone) : ViewText.compact($0, zone: state.zone, now: state.now) } ?? "-"
            cell(schedule, scheduleWidth, r.status == .reserved ? .reserved : .text)
            let actor = state.resourceChanges.actor(of: r.id)
            cell(actor.map(ViewText.who) ?? "", byWidth, actor == "engine" ? .dim : .text, bold: actor != "engine")
            let rehearsal = state.resourceChanges.rehearsal(of: r.id)
            if let rehearsal, dryWidth > 0 {
                let (text, role) = ViewText.rehearsal(rehearsal.message)
                cell("\(text) \(ViewText.age(rehearsal.time, now: state.now))", dryWidth, role, bold: role != .completed)
            } else {
                cell("", dryWidth, .dim)
            }
            let attempts = r.attempts == 0 ? "" : (task.retries > 0 ? "\(r.attempts)/\(task.retries + 1)" : "\(r.attempts)")
            cell(attempts, 4, r.attempts > 1 ? .warning : .text)
            if r.status == .inProgress {
                buffer.progressBar(x: x, y: y, width: progressWidth - 5, percent: r.progress, style: Style(.inProgress, selected: sel))
                buffer.put(String(format: "%3d%%", r.progress), x: x + progressWidth - 4, y: y, style: Style(.text, selected: sel))
            } else if r.status == .completed {
                buffer.put("done", x: x, y: y, style: Style(.completed, selected: sel))
            }
            x += progressWidth + 1
            var message = r.heldReason.map { "held: \($0)" } ?? r.lastMessage
            if message.isEmpty, let rehearsal {
                message = "dry run \(ViewText.age(rehearsal.time, now: state.now)) ago: \(rehearsal.message)"
            }
            if r.failures > 0 { message = "(\(r.failures) failure\(r.failures == 1 ? "" : "s")) " + message }
            // Without the ROLE column, a live role that contradicts the task leads the message.
            if roleWidth == 0, let live = r.liveRole { message = "⇄ Patroni: \(live.rawValue) · " + message }
            buffer.put(message, x: x, y: y, style: Style(r.status == .failed ? .failed : .dim, selected: sel), maxWidth: buffer.width - x)
        }
        // The pane's order when it is not the task's (its column may be too narrow to be on screen), and the rows shown.
        var corner: [String] = []
        if state.resourceSort != .task || state.resourceSortDescending {
            corner.append("sort: \(state.resourceSort == .task ? "task order" : state.resourceSort.rawValue) \(arrow)")
        }
        if task.resources.count > layout.resourceRows {
            let end = min(task.resources.count, state.resourceScroll + layout.resourceRows)
            corner.append("\(state.resourceScroll + 1)–\(end) of \(task.resources.count)")
        }
        if !corner.isEmpty {
            let text = " \(corner.joined(separator: " · ")) "
            buffer.put(text, x: buffer.width - DisplayWidth.of(text) - 1, y: top, style: Style(.dim))
        }
    }
}
