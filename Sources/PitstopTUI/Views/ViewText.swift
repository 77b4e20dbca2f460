import Foundation
import PitstopCore
import PitstopEngine
import PitstopText

/// Short texts views share: countdowns, compact times, abbreviations.
enum ViewText {
    /// `6d 3h`, `5h 10m`, `12m`, `40s`.
    static func span(_ seconds: TimeInterval) -> String { DurationText.approximate(seconds) }

    /// How long ago, in its largest unit: `40s`, `12m`, `5h`, `3d`.
    static func age(_ date: Date, now: Date) -> String {
        let s = max(0, Int(now.timeIntervalSince(date)))
        if s >= 86400 { return "\(s / 86400)d" }
        if s >= 3600 { return "\(s / 3600)h" }
        if s >= 60 { return "\(s / 60)m" }
        return "\(s)s"
    }

    /// A rehearsal's verdict (from its event's message) as symbol and word, with its colour.
    static func rehearsal(_ message: String) -> (String, ColorRole) {
        switch Rehearsal.verdict(ofMessage: message) {
        case .ready?: ("✔ ready", .completed)
        case .refused?: ("✘ refused", .failed)
        case .unreachable?: ("⚠ unreach", .warning)
        case .failed?, nil: ("✘ failed", .failed)
        }
    }

    /// Time left until a deadline (`5d 3h`), or how long it is overdue (`overdue by 8h`).
    static func countdown(to date: Date, from now: Date) -> String {
        date > now ? span(date.timeIntervalSince(now)) : "overdue by \(span(now.timeIntervalSince(date)))"
    }

    /// A time said from now, whichever side it is on: `in 4m`, `now`, `3d 2h ago`.
    static func relative(_ date: Date, from now: Date) -> String {
        let seconds = date.timeIntervalSince(now)
        if abs(seconds) < 1 { return "now" }
        return seconds > 0 ? "in \(span(seconds))" : "\(span(seconds)) ago"
    }

    /// `11-25 20:30` in the zone, or with the year when it is not this year.
    static func compact(_ date: Date, zone: TimeZone, now: Date) -> String {
        let c = CivilTime(date, zone: zone)
        let day = "\(CivilTime.padded(c.month, 2))-\(CivilTime.padded(c.day, 2)) \(c.time)"
        return c.year == CivilTime(now, zone: zone).year ? day : "\(CivilTime.padded(c.year, 4))-" + day
    }

    static func clock(_ date: Date, zone: TimeZone) -> String {
        let c = CivilTime(date, zone: zone)
        return "\(c.date) \(timeOfDay(c)) \(InstantText.offset(c.offset))"
    }

    /// The fewest columns the store's part of a header takes when shown: ` · ` and a path cut to 8 columns.
    static let shortestStorePart = 11

    /// ` · PATH` for a header, in at most `width` columns: the store's path whole when it fits, else cut in the
    /// middle so that its start and its distinguishing end stay (`/srv/pitst…/team-a/store`); nil when not even
    /// `shortestStorePart` fits.
    static func storePart(_ path: String, width: Int) -> String? {
        let clean = DisplayWidth.sanitized(path)
        let room = width - 3
        if DisplayWidth.of(clean) <= room { return " · \(clean)" }
        return width >= shortestStorePart ? " · \(DisplayWidth.truncateMiddle(clean, to: room))" : nil
    }

    /// `12:00:05`: the clock without date and zone, for a narrow header.
    static func timeOfDay(_ c: CivilTime) -> String { "\(c.time):\(CivilTime.padded(c.second, 2))" }

    static func service(_ service: Service, wide: Bool) -> String {
        wide ? service.rawValue : (service == .mysql ? "MySQL" : "PgSQL")
    }

    static func type(_ type: TaskType, wide: Bool) -> String {
        if wide { return type.rawValue }
        switch type {
        case .osUpdate: return "os"
        case .engineUpgrade: return "engine"
        case .kernelUpgrade: return "kernel"
        case .configChange: return "config"
        }
    }

    /// Who made a change, short enough for a column: `alice@bastion (cli)` → `alice`, a `sudo` invocation
    /// → its invoker with `(sudo)`, `engine` as it is.
    static func who(_ actor: String) -> String {
        if let range = actor.range(of: "sudo by ") {
            return String(actor[range.upperBound...].prefix { $0 != ")" && $0 != "," }) + " (sudo)"
        }
        let end = actor.firstIndex { $0 == "@" || $0 == " " } ?? actor.endIndex
        return String(actor[..<end])
    }

    static func priority(_ priority: Priority) -> String {
        switch priority {
        case .high: return "high"
        case .medium: return "med"
        case .low: return "low"
        }
    }
}

/// Small drawing helpers on the cell buffer.
extension CellBuffer {
    /// A bordered box with a title, cleared inside.
    mutating func box(x: Int, y: Int, width w: Int, height h: Int, title: String, style: Style = Style(.overlay, raised: true)) {
        guard w >= 4, h >= 3 else { return }
        fill(x: x, y: y, width: w, height: h, style: style)
        let border = Style(.accent, raised: true)
        put("╭" + String(repeating: "─", count: w - 2) + "╮", x: x, y: y, style: border)
        for row in (y + 1)..<(y + h - 1) {
            put("│", x: x, y: row, style: border)
            put("│", x: x + w - 1, y: row, style: border)
        }
        put("╰" + String(repeating: "─", count: w - 2) + "╯", x: x, y: y + h - 1, style: border)
        put(" \(title) ", x: x + 2, y: y, style: Style(.title, bold: true), maxWidth: w - 4)
    }

    /// A bar of `width` cells filled to `percent`.
    mutating func progressBar(x: Int, y: Int, width w: Int, percent: Int, style: Style) {
        guard w > 0 else { return }
        let filled = min(100, max(0, percent)) * w / 100
        put(String(repeating: "█", count: filled), x: x, y: y, style: style)
        put(String(repeating: "░", count: w - filled), x: x + filled, y: y, style: Style(.dim, selected: style.selected))
    }
}
