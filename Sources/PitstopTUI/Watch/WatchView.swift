import Foundation
public import PitstopCore
import PitstopText

/// The ops-terminal screen: status summary, running executions, next reservations, closing deadlines and
/// recent events. A pure function of the fleet, like every other view.
enum WatchView {
    static let minimumWidth = 50
    static let minimumHeight = 12
    /// Events shown at most, however tall the screen: the screen's cost stays flat as the log grows.
    static let eventLimit = 200
    /// How late a reservation may start before it is called overdue: the engine starts what is due on its next
    /// tick, so a few seconds late is normal.
    static let overdueGrace: TimeInterval = 60

    static func tasks(in fleet: FleetState, _ state: WatchState) -> [MaintenanceTask] {
        state.taskID.map { id in fleet.task(id: id).map { [$0] } ?? [] } ?? fleet.tasks.array
    }

    /// True while anything failed or a task is halted: what `--exit-status` reports.
    static func isFailing(_ fleet: FleetState, _ state: WatchState) -> Bool {
        tasks(in: fleet, state).contains { task in task.halted || task.resources.contains { $0.status == .failed } }
    }

    /// What the sections show, gathered in one pass over the resources (by index, without copying them): at
    /// 100k resources every extra pass costs milliseconds on every frame.
    struct Digest {
        var taskCounts: [TaskStatus: Int] = [:]
        var resources = StatusCounts()
        /// Running resources, as (task, resource) positions in `tasks`; only the first `runningRows` are kept.
        var running: [(task: Int, resource: Int)] = []
        var runningCount = 0
        /// The soonest reservations within 24 hours, at most `upcomingRows`, in order; and how many there are.
        var soon: [(at: Date, task: Int, resource: Int)] = []
        var soonCount = 0
        var later = 0
        /// Reserved resources held at their start.
        var held: [(task: Int, resource: Int)] = []
        /// Mandatory tasks whose deadline is within a week with resources still pending, soonest first, with
        /// how many are pending.
        var closing: [(task: Int, pending: Int)] = []
        /// Reserved resources whose time passed more than `overdueGrace` ago without a start (the oldest is
        /// `soon`'s first: overdue times are the earliest of the next 24 hours).
        var overdue = 0

        init(_ tasks: [MaintenanceTask], now: Date, runningRows: Int, upcomingRows: Int) {
            let horizon = now.addingTimeInterval(86400)
            func before(_ a: (at: Date, task: Int, resource: Int), _ b: (at: Date, task: Int, resource: Int)) -> Bool {
                if a.at != b.at { return a.at < b.at }
                if tasks[a.task].id != tasks[b.task].id { return tasks[a.task].id < tasks[b.task].id }
                return tasks[a.task].resources[a.resource].id < tasks[b.task].resources[b.resource].id
            }
            for t in tasks.indices {
                let members = tasks[t].resources
                var counts = StatusCounts()
                for r in members.indices {
                    let status = members[r].status
                    counts.add(status)
                    switch status {
                    case .inProgress:
                        runningCount += 1
                        if running.count < runningRows { running.append((t, r)) }
                    case .reserved:
                        if members[r].heldReason != nil { held.append((t, r)) }
                        guard let at = members[r].scheduledAt else { continue }
                        if now.timeIntervalSince(at) > WatchView.overdueGrace { overdue += 1 }
                        guard at <= horizon else {
                            later += 1
                            continue
                        }
                        soonCount += 1
                        // Only the soonest are kept: never sort them all.
                        let entry = (at: at, task: t, resource: r)
                        guard soon.count < upcomingRows || before(entry, soon[soon.count - 1]) else { continue }
                        soon.insert(entry, at: soon.firstIndex { before(entry, $0) } ?? soon.count)
                        if soon.count > upcomingRows { soon.removeLast() }
                    default:
                        break
                    }
                }
                taskCounts[TaskStatus(counts: counts), default: 0] += 1
                if counts.pending > 0, tasks[t].requirement == .mandatory, let deadline = tasks[t].deadline,
                   deadline.timeIntervalSince(now) < 7 * 86400 {
                    closing.append((t, counts.pending))
                }
                for status in ResourceStatus.allCases { resources.add(status, counts[status]) }
            }
            closing.sort { tasks[$0.task].deadline! < tasks[$1.task].deadline! }
        }
    }

    static func render(_ state: WatchState, fleet: FleetState) -> CellBuffer {
        var buffer = CellBuffer(width: state.width, height: state.height)
        guard state.width >= minimumWidth, state.height >= minimumHeight else {
            TooSmallView.draw(width: state.width, height: state.height, minimumWidth: minimumWidth, minimumHeight: minimumHeight, into: &buffer)
            return buffer
        }
        let tasks = tasks(in: fleet, state)
        var y = header(state, into: &buffer)
        // The sections' heights are known before the pass: the summary takes three lines after the header.
        let rest = state.height - (y + 4) - 1
        let runningRows = max(1, rest / 4)
        let digest = Digest(tasks, now: state.now, runningRows: runningRows, upcomingRows: max(1, rest / 5))
        y = summary(digest, y: y + 1, into: &buffer)
        y = running(tasks, digest, state, y: y + 1, rows: runningRows, into: &buffer)
        y = upcoming(tasks, digest, state, y: y + 1, into: &buffer)
        y = deadlines(tasks, digest, state, y: y + 1, rows: 4, into: &buffer)
        events(fleet, state, y: y + 1, rows: state.height - y - 2, into: &buffer)
        if state.showHelp { help(into: &buffer) }
        return buffer
    }

    /// `?`: the watch screen's keys and symbols.
    static func help(into buffer: inout CellBuffer) {
        let lines = OverlayKeys.watch.bindings.map { "\($0.label)  \($0.help)" } + [
            "", "○ pending  ◷ reserved  ▶ in progress  ✔ completed  ✘ failed  ⊘ excluded",
            "⏸ held or halted   ⚑ deadline near, resources unreserved   ◷ overdue in red",
            "■ no engine, or a stopped one: reservations wait",
        ]
        let box = OverlayViews.frame("Watch — keys and symbols", width: 80, height: lines.count + 3, into: &buffer)
        for (index, line) in lines.prefix(box.h - 1).enumerated() {
            buffer.put(line, x: box.x, y: box.y + index, style: Style(.overlay), maxWidth: box.w)
        }
        buffer.put("? or Esc closes", x: box.x, y: box.y + box.h - 1, style: Style(.dim), maxWidth: box.w)
    }

    static func section(_ title: String, y: Int, into buffer: inout CellBuffer) {
        let end = buffer.put(title + " ", x: 1, y: y, style: Style(.title, bold: true))
        buffer.put(String(repeating: "─", count: max(0, buffer.width - end - 1)), x: end, y: y, style: Style(.border))
    }

    static func header(_ state: WatchState, into buffer: inout CellBuffer) -> Int {
        buffer.fill(x: 0, y: 0, width: buffer.width, height: 1, style: Style(.header))
        var x = buffer.put(" Pitstop watch ", x: 0, y: 0, style: Style(.headerAccent, bold: true))
        let scope = state.taskID.map { " · task \($0)" } ?? ""
        let paused = state.paused ? "PAUSED · " : ""
        let every = "every \(DurationText.format(state.interval)) · "
        let time = ViewText.timeOfDay(CivilTime(state.now, zone: state.zone))
        // The engine's state and the clock are never cut. The store's path is cut in the middle first; to keep
        // at least a short cut of it, the clock loses its date and zone, then the interval goes, then the engine
        // label's words; only then is the path left out.
        let (width, start) = (buffer.width, x)
        func fits(_ lead: String, _ tail: String) -> Bool {
            width - start - DisplayWidth.of(tail) - 1 >= DisplayWidth.of(lead) + ViewText.shortestStorePart
        }
        var lead = " \(state.engine.label)\(scope)"
        var tail = "\(paused)? help · \(every)\(ViewText.clock(state.now, zone: state.zone)) "
        if !fits(lead, tail) { tail = "\(paused)? help · \(every)\(time) " }
        if !fits(lead, tail) { tail = "\(paused)? help · \(time) " }
        if !fits(lead, tail) { lead = " \(state.engine.shortLabel)\(scope)" }
        let room = buffer.width - DisplayWidth.of(tail) - 1
        x = buffer.put(lead, x: x, y: 0, style: Style(.header), maxWidth: max(0, room - x))
        if let part = ViewText.storePart(state.storePath, width: room - x) { x = buffer.put(part, x: x, y: 0, style: Style(.header)) }
        buffer.put(tail, x: max(x + 1, buffer.width - DisplayWidth.of(tail)), y: 0, style: Style(state.paused ? .headerAccent : .header))
        return 1
    }

    static func summary(_ digest: Digest, y: Int, into buffer: inout CellBuffer) -> Int {
        let (taskCounts, resources) = (digest.taskCounts, digest.resources)
        let words = buffer.width >= 110
        var x = buffer.put("TASKS      ", x: 1, y: y, style: Style(.dim, bold: true))
        for status in TaskStatus.allCases {
            let count = taskCounts[status] ?? 0
            let text = words ? "\(StatusGlyph.symbol(status)) \(count) \(status.label)   " : "\(StatusGlyph.symbol(status)) \(count)  "
            x = buffer.put(text, x: x, y: y, style: Style(count == 0 ? .dim : .status(status), bold: status == .failed && count > 0))
        }
        x = buffer.put("RESOURCES  ", x: 1, y: y + 1, style: Style(.dim, bold: true))
        for status in ResourceStatus.allCases {
            let count = resources[status]
            let text = words ? "\(StatusGlyph.symbol(status)) \(count) \(status.rawValue)   " : "\(StatusGlyph.symbol(status)) \(count)  "
            x = buffer.put(text, x: x, y: y + 1, style: Style(count == 0 ? .dim : .status(status), bold: status == .failed && count > 0))
        }
        TaskListView.miniBar(resources, x: 1, y: y + 2, width: buffer.width - 2, selected: false, into: &buffer)
        return y + 3
    }

    static func running(_ tasks: [MaintenanceTask], _ digest: Digest, _ state: WatchState, y: Int, rows: Int, into buffer: inout CellBuffer) -> Int {
        let running = digest.running.map { (tasks[$0.task], tasks[$0.task].resources[$0.resource]) }
        let count = digest.runningCount
        section("RUNNING (\(count))", y: y, into: &buffer)
        if running.isEmpty {
            buffer.put("nothing running", x: 3, y: y + 1, style: Style(.dim))
            return y + 2
        }
        let nameWidth = min(30, buffer.width / 4)
        for (row, (task, r)) in running.prefix(rows).enumerated() {
            let line = y + 1 + row
            var x = buffer.put("▶ ", x: 1, y: line, style: Style(.inProgress))
            x = buffer.put(name: r.name, x: x, y: line, width: nameWidth, style: Style(.text, bold: true)) + 1
            x = buffer.put(task.id, x: x, y: line, width: 8, style: Style(.dim)) + 1
            x = buffer.put("try \(r.attempts)/\(task.retries + 1)", x: x, y: line, width: 8, style: Style(r.attempts > 1 ? .warning : .text)) + 1
            buffer.progressBar(x: x, y: line, width: 20, percent: r.progress, style: Style(.inProgress))
            x = buffer.put(String(format: " %3d%%", r.progress), x: x + 20, y: line, style: Style(.text)) + 1
            let since = r.scheduledAt.map { "for \(ViewText.span(state.now.timeIntervalSince($0)))" } ?? ""
            x = buffer.put(since, x: x, y: line, width: 12, style: Style(.dim)) + 1
            buffer.put(r.lastMessage, x: x, y: line, style: Style(.dim), maxWidth: buffer.width - x - 1)
        }
        if count > rows { buffer.put("… and \(count - rows) more", x: 3, y: y + 1 + rows, style: Style(.dim)) }
        return y + 1 + min(rows, count) + (count > rows ? 1 : 0)
    }

    static func upcoming(_ tasks: [MaintenanceTask], _ digest: Digest, _ state: WatchState, y: Int, into buffer: inout CellBuffer) -> Int {
        let soon = digest.soon.map { ($0.at, tasks[$0.task], tasks[$0.task].resources[$0.resource]) }
        let (soonCount, later) = (digest.soonCount, digest.later)
        section("NEXT 24 HOURS (\(soonCount))\(later > 0 ? " · later: \(later)" : "")", y: y, into: &buffer)
        if soon.isEmpty {
            buffer.put("no reservations in the next 24 hours", x: 3, y: y + 1, style: Style(.dim))
            return y + 2
        }
        for (row, (at, task, r)) in soon.enumerated() {
            let line = y + 1 + row
            var x = buffer.put("◷ " + InstantText.short(at, in: state.zone), x: 1, y: line, style: Style(.reserved)) + 1
            // A time gone by is never said as to come: "overdue 4m" in red, "due now" within the grace.
            let late = state.now.timeIntervalSince(at)
            let (when, role): (String, ColorRole) = late > overdueGrace ? ("overdue \(ViewText.span(late))", .error)
                : late >= 0 ? ("due now", .warning) : ("in \(ViewText.span(-late))", .dim)
            x = buffer.put(when, x: x, y: line, width: 13, style: Style(role, bold: role == .error)) + 1
            x = buffer.put(name: r.name, x: x, y: line, width: min(30, buffer.width / 4), style: Style(.text)) + 1
            x = buffer.put(task.id, x: x, y: line, width: 8, style: Style(.dim)) + 1
            if task.downtime { x = buffer.put("DOWNTIME ", x: x, y: line, style: Style(.downtime, bold: true)) }
            buffer.put(task.title, x: x, y: line, style: Style(.dim), maxWidth: buffer.width - x - 1)
        }
        return y + 1 + soon.count
    }

    static func deadlines(_ tasks: [MaintenanceTask], _ digest: Digest, _ state: WatchState, y: Int, rows: Int, into buffer: inout CellBuffer) -> Int {
        let closing = digest.closing.map { (tasks[$0.task], $0.pending) }
        let held = digest.held.map { (tasks[$0.task], tasks[$0.task].resources[$0.resource]) }
        var engineLine = engineAttention(state.engine, reserved: digest.resources.reserved, overdue: digest.overdue)
        if let problem = state.replicaProblem {
            engineLine = "⚠ ETCD UNREACHABLE \(problem.text): this shows the last copy; nothing is written or started until etcd is back"
        }
        guard !closing.isEmpty || !held.isEmpty || tasks.contains(where: \.halted) || digest.overdue > 0 || engineLine != nil else { return y - 1 }
        section("ATTENTION", y: y, into: &buffer)
        var line = y + 1
        if let engineLine {
            buffer.put(engineLine, x: 1, y: line, style: Style(.error, bold: true), maxWidth: buffer.width - 2)
            line += 1
        }
        if digest.overdue > 0, let oldest = digest.soon.first {
            let resource = tasks[oldest.task].resources[oldest.resource]
            let count = digest.overdue
            let text = "◷ \(count) reservation\(count == 1 ? " is" : "s are") overdue: the oldest, \(resource.name) (\(tasks[oldest.task].id)), was due \(InstantText.short(oldest.at, in: state.zone)), \(ViewText.span(state.now.timeIntervalSince(oldest.at))) ago"
            buffer.put(text, x: 1, y: line, style: Style(.error, bold: true), maxWidth: buffer.width - 2)
            line += 1
        }
        for task in tasks where task.halted && line < y + 1 + rows {
            buffer.put("⏸ \(task.id) HALTED at maxFailures — `pitstop resume \(task.id)` after checking · \(task.title)", x: 1, y: line, style: Style(.badge, bold: true), maxWidth: buffer.width - 2)
            line += 1
        }
        for (task, resource) in held where line < y + 1 + rows {
            let text = "⏸ \(resource.name) (\(task.id)) held: \(resource.heldReason ?? "") · reserved \(resource.scheduledAt.map { InstantText.short($0, in: state.zone) } ?? "-")"
            buffer.put(text, x: 1, y: line, style: Style(.warning, bold: true), maxWidth: buffer.width - 2)
            line += 1
        }
        for (task, pending) in closing where line < y + 1 + rows {
            let text = "⚑ \(task.id) deadline in \(ViewText.countdown(to: task.deadline!, from: state.now)): \(pending) resource\(pending == 1 ? "" : "s") need a reservation · \(task.title)"
            buffer.put(text, x: 1, y: line, style: Style(task.deadline!.timeIntervalSince(state.now) < 86400 ? .error : .badge), maxWidth: buffer.width - 2)
            line += 1
        }
        return line
    }

    /// What the ATTENTION section says of the engine: nothing while one runs; that none runs (or that its
    /// process is stopped) when reservations wait for one.
    static func engineAttention(_ engine: EngineStatus, reserved: Int, overdue: Int) -> String? {
        let waiting = reserved == 0 ? "" : overdue > 0 ? ": \(reserved) reservation\(reserved == 1 ? "" : "s") wait, \(overdue) already overdue"
            : ": \(reserved) reservation\(reserved == 1 ? "" : "s") will not start"
        switch engine {
        case .stopped(let pid):
            return "■ the engine (process \(pid)) is STOPPED (Ctrl-Z or SIGSTOP)\(waiting); `kill -CONT \(pid)` or `fg` in its terminal"
        case .none:
            return "■ no engine runs on this store\(waiting); start one: `pitstop daemon` (or a console without --no-engine)"
        case .embedded, .daemon, .waiting, .standby:
            return nil
        }
    }

    static func events(_ fleet: FleetState, _ state: WatchState, y: Int, rows: Int, into buffer: inout CellBuffer) {
        guard rows > 1, y < buffer.height - 1 else { return }
        section("RECENT EVENTS", y: y, into: &buffer)
        var shown = 0
        // Newest first, reading only as far back as the rows need (older events may be on disk).
        for event in fleet.events.suffix(eventLimit * 20).reversed() {
            guard shown < min(rows - 1, eventLimit) else { break }
            if let id = state.taskID, event.taskID != id { continue }
            let line = y + 1 + shown
            let target = [event.taskID, event.resourceID].compactMap { $0 }.joined(separator: "/")
            var x = buffer.put(ViewText.compact(event.time, zone: state.zone, now: state.now), x: 1, y: line, style: Style(.dim)) + 1
            x = buffer.put(event.kind.rawValue, x: x, y: line, width: 14, style: Style(event.kind.isFailure ? .failed : .accent, bold: event.kind.isFailure)) + 1
            x = buffer.put(target, x: x, y: line, width: 20, style: Style(.text)) + 1
            buffer.put(event.message, x: x, y: line, style: Style(event.kind.isFailure ? .failed : .text), maxWidth: buffer.width - x - 1)
            shown += 1
        }
    }
}
