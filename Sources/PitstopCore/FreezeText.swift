public import Foundation

/// Freeze windows as people write them (`freeze add`) and read them (`freeze list`, refusals).
public enum FreezeText {
    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Why a freeze could not be read.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        /// What is wrong, and the form expected.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// How often a window comes back.
    public enum Kind: String, Sendable, CaseIterable {
        case once, weekly, yearly
    }

    /// A window from its text: TIMEs for `once` (read in `zone`), `Fri 18:00` for `weekly`, `12-20` for `yearly`.
    public static func window(
        name: String, kind: Kind, from: String, to: String, zone: TimeZone, service: Service?, now: Date
    ) throws(Problem) -> FreezeWindow {
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw Problem(message: "a freeze needs a name without spaces, e.g. year-end")
        }
        let recurrence: FreezeWindow.Recurrence
        switch kind {
        case .once:
            let start: Date, end: Date
            do {
                start = try InstantParser.parse(from, now: now, zone: zone).date
                end = try InstantParser.parse(to, now: now, zone: zone).date
            } catch {
                throw Problem(message: "\(error.message)")
            }
            guard end > start else { throw Problem(message: "the freeze ends (\(to)) before it starts (\(from))") }
            recurrence = .once(from: start, to: end)
        case .weekly:
            let (fromDay, fromMinute) = try weekTime(from)
            let (toDay, toMinute) = try weekTime(to)
            recurrence = .weekly(fromDay: fromDay, fromMinute: fromMinute, toDay: toDay, toMinute: toMinute)
        case .yearly:
            let (fromMonth, fromDay) = try monthDay(from)
            let (toMonth, toDay) = try monthDay(to)
            recurrence = .yearly(fromMonth: fromMonth, fromDay: fromDay, toMonth: toMonth, toDay: toDay)
        }
        return FreezeWindow(name: name, recurrence: recurrence, zone: zone, service: service)
    }

    /// `Fri 18:00` → (5, 1080).
    static func weekTime(_ text: String) throws(Problem) -> (Int, Int) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let day = weekdays.firstIndex(of: String(parts[0].prefix(3)).lowercased()),
            weekdays[day].hasPrefix(parts[0].lowercased().prefix(3)), let minute = minuteOfDay(String(parts[1]))
        else { throw Problem(message: "\"\(text)\" is not a weekly time; write e.g. \"Fri 18:00\"") }
        return (day + 1, minute)
    }

    /// `12-20` → (12, 20).
    static func monthDay(_ text: String) throws(Problem) -> (Int, Int) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let month = Int(parts[0]), let day = Int(parts[1]), (1...12).contains(month),
            (1...CivilTime.daysIn(month: month, year: 2024)).contains(day)
        else { throw Problem(message: "\"\(text)\" is not a day of the year; write e.g. \"12-20\"") }
        return (month, day)
    }

    static func minuteOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return hour * 60 + minute
    }

    /// The window's span as written: `2026-12-24 00:00 +09:00 to 2026-12-26 00:00 +09:00`, `Fri 18:00 to Mon 06:00`.
    public static func span(_ window: FreezeWindow) -> String {
        func clock(_ minute: Int) -> String { "\(CivilTime.padded(minute / 60, 2)):\(CivilTime.padded(minute % 60, 2))" }
        switch window.recurrence {
        case .once(let from, let to):
            return "\(InstantText.short(from, in: window.zone)) to \(InstantText.short(to, in: window.zone))"
        case .weekly(let fromDay, let fromMinute, let toDay, let toMinute):
            return "\(weekdays[fromDay - 1].capitalized) \(clock(fromMinute)) to \(weekdays[toDay - 1].capitalized) \(clock(toMinute)) weekly"
        case .yearly(let fromMonth, let fromDay, let toMonth, let toDay):
            return "\(CivilTime.padded(fromMonth, 2))-\(CivilTime.padded(fromDay, 2)) to \(CivilTime.padded(toMonth, 2))-\(CivilTime.padded(toDay, 2)) yearly"
        }
    }

    /// The kind of a window.
    public static func kind(_ window: FreezeWindow) -> Kind {
        switch window.recurrence {
        case .once: .once
        case .weekly: .weekly
        case .yearly: .yearly
        }
    }

    /// One line: name, span, zone and service.
    public static func line(_ window: FreezeWindow) -> String {
        "\(window.name): \(span(window)) (\(window.zone.identifier))\(window.service.map { ", \($0.rawValue) only" } ?? "")"
    }
}
