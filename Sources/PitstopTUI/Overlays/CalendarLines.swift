import Foundation
import PitstopCore

/// The calendar overlay's lines, built when it opens and again when the fleet changes or the minute turns
/// while it is open, so that a frame formats only the lines on screen. Entries point into the fleet they were
/// built from; text is made when a line is drawn.
struct CalendarLines: Equatable {
    /// One line of the calendar.
    enum Line: Equatable {
        /// A freeze period, where it begins (or, first, the next occurrence of each).
        case freeze(String)
        case blank
        /// The hour starting at this many hours since 1970.
        case hour(Int64)
        /// A reservation: a resource of a task, by position in the fleet.
        case entry(task: Int32, resource: Int32)
    }

    private(set) var lines: [Line] = []
    /// Reservations listed (reserved or in progress, with a time).
    private(set) var entryCount = 0
    /// The minute (since 1970) the lines were made for: freezes are placed relative to now.
    private(set) var minute: Int64 = 0

    /// The calendar of `fleet` at `now`: reservations by hour, freezes where they begin (from now to the last
    /// reservation, at least two weeks ahead), the next occurrence of each freeze first.
    init(fleet: FleetState, now: Date, zone: TimeZone) {
        minute = Int64(now.timeIntervalSince1970) / 60
        var entries: [(at: Date, task: Int32, resource: Int32)] = []
        let tasks = fleet.tasks.array
        for (t, task) in tasks.enumerated() {
            let resources = task.resources
            for r in resources.indices where resources[r].status == .reserved || resources[r].status == .inProgress {
                if let at = resources[r].scheduledAt { entries.append((at, Int32(t), Int32(r))) }
            }
        }
        entries.sort { a, b in
            if a.at != b.at { return a.at < b.at }
            let (ta, tb) = (tasks[Int(a.task)], tasks[Int(b.task)])
            if ta.id != tb.id { return ta.id < tb.id }
            return ta.resources[Int(a.resource)].id < tb.resources[Int(b.resource)].id
        }
        entryCount = entries.count
        let horizon = max(entries.last?.at ?? now, now.addingTimeInterval(14 * 86400))
        var freezes: [(start: Date, text: String)] = []
        for freeze in fleet.policy.freezes {
            for occurrence in freeze.occurrences(near: now, horizon) where occurrence.end > now && occurrence.start <= horizon {
                let service = freeze.service.map { ", \($0.rawValue) only" } ?? ""
                freezes.append((occurrence.start, "❄ FREEZE \(freeze.name): \(InstantText.short(occurrence.start, in: zone)) to \(InstantText.short(occurrence.end, in: zone))\(service)"))
            }
        }
        freezes.sort { $0.start < $1.start }
        var shown = Set<String>()
        for freeze in freezes where shown.insert(String(freeze.text.prefix { $0 != ":" })).inserted { lines.append(.freeze(freeze.text)) }
        if !freezes.isEmpty { lines.append(.blank) }
        var next = freezes.startIndex
        var currentSlot: Int64?
        for entry in entries {
            while next < freezes.endIndex, freezes[next].start <= entry.at {
                lines.append(.freeze(freezes[next].text))
                next += 1
            }
            let slot = Int64(entry.at.timeIntervalSince1970) / 3600
            if slot != currentSlot {
                currentSlot = slot
                lines.append(.hour(slot))
            }
            lines.append(.entry(task: entry.task, resource: entry.resource))
        }
        lines += freezes[next...].map { .freeze($0.text) }
    }
}
