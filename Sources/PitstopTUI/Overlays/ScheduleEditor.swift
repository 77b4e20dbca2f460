import Foundation
import PitstopCore

/// The in-place schedule editor: date and time fields in the local zone, edited by typed digits or ↑/↓,
/// with stagger fields when several resources are reserved at once. Pure value logic; the view draws it.
struct ScheduleEditor: Equatable, Sendable {
    enum Field: Int, CaseIterable, Sendable {
        case year, month, day, hour, minute, spacing, perSlot

        var digits: Int { self == .year ? 4 : self == .spacing ? 3 : 2 }
    }

    var taskID: String
    var resourceIDs: [String]
    /// The first slot's instant.
    private(set) var instant: Date
    var zone: TimeZone
    var field: Field = .day
    /// Digits typed into the current field so far.
    var typed = ""
    var spacingMinutes = 15
    var perSlot = 1
    /// Set after the user confirmed overriding a lockout.
    var force = false
    /// Set when the wall time typed does not exist in the zone (a daylight-saving gap).
    private(set) var wallTimeProblem: String?
    /// Whether a write would be allowed, worked out by the reducer whenever the editor, the fleet or the
    /// minute changes; the view only draws it.
    var verdict = ScheduleValidation.ok
    /// The resources as they were when the editor opened (or when the person last saw a change and went on).
    var opened: [ResourceVersion]
    /// Who changed what among them since, worked out with the verdict; nil while nobody did.
    var changedMeanwhile: String?
    /// The minute (since 1970) the verdict was worked out in: it is worked out again when the minute turns.
    var reckonedMinute: Int64 = 0

    init(taskID: String, resourceIDs: [String], instant: Date, zone: TimeZone, opened: [ResourceVersion] = []) {
        self.taskID = taskID
        self.resourceIDs = resourceIDs
        self.opened = opened
        self.zone = zone
        self.instant = instant.roundedUpToMinute
    }

    var staggers: Bool { resourceIDs.count > 1 }
    var fields: [Field] { staggers ? Field.allCases : [.year, .month, .day, .hour, .minute] }



    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The value shown in a field.
    func value(of field: Field) -> Int {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        switch field {
        case .year: return c.year ?? 0
        case .month: return c.month ?? 0
        case .day: return c.day ?? 0
        case .hour: return c.hour ?? 0
        case .minute: return c.minute ?? 0
        case .spacing: return spacingMinutes
        case .perSlot: return perSlot
        }
    }

    /// The field's text as drawn: typed digits while typing, else the value zero-padded.
    func text(of field: Field) -> String {
        if field == self.field && !typed.isEmpty { return typed.padding(toLength: field.digits, withPad: "_", startingAt: 0) }
        let value = value(of: field)
        return field == .spacing || field == .perSlot ? String(value) : String(format: "%0\(field.digits)d", value)
    }

    mutating func moveField(_ delta: Int) {
        // Digits that make no time stay in their field, with the problem said, until they are fixed.
        guard commitTyped() else { return }
        let all = fields
        let index = all.firstIndex(of: field) ?? 0
        field = all[(index + delta + all.count) % all.count]
    }

    /// ↑/↓: steps the field by `delta`, carrying into larger units (23:59 + 1 minute is tomorrow).
    mutating func step(_ delta: Int) {
        if !commitTyped() {
            typed = ""
            wallTimeProblem = nil
        }
        switch field {
        case .spacing: spacingMinutes = min(999, max(1, spacingMinutes + delta * 5))
        case .perSlot: perSlot = min(99, max(1, perSlot + delta))
        case .year: shift(.year, delta)
        case .month: shift(.month, delta)
        case .day: shift(.day, delta)
        case .hour: shift(.hour, delta)
        case .minute: shift(.minute, delta * 5)
        }
    }

    private mutating func shift(_ component: Calendar.Component, _ amount: Int) {
        if let moved = calendar.date(byAdding: component, value: amount, to: instant) {
            instant = moved
            wallTimeProblem = nil
        }
    }

    /// A typed digit; the field is applied when it holds all its digits, then the cursor moves on.
    mutating func type(_ digit: Character) {
        guard digit.isASCII, digit.isNumber else { return }
        // A full field that made no time (month 13) starts again with the next digit.
        if typed.count >= field.digits { typed = "" }
        typed.append(digit)
        if typed.count >= field.digits, commitTyped(), field != fields.last { moveField(1) }
    }

    mutating func backspace() {
        guard !typed.isEmpty else { return }
        typed.removeLast()
        wallTimeProblem = nil
    }

    /// Applies typed digits to the field. Digits that make no time (month 13, 02:30 in a daylight-saving gap)
    /// are kept on screen with the problem said, and nothing moves; returns whether they were applied.
    @discardableResult
    mutating func commitTyped() -> Bool {
        guard let number = Int(typed) else {
            typed = ""
            return true
        }
        switch field {
        case .spacing: spacingMinutes = min(999, max(1, number))
        case .perSlot: perSlot = min(99, max(1, number))
        default:
            guard setWallTime(field, number) else { return false }
        }
        typed = ""
        return true
    }

    /// The values a date or time field takes, and what is said of another (the day's depend on the month).
    private static let limits: [Field: (ClosedRange<Int>, String)] = [
        .year: (1970...9999, "is out of range (1970–9999)"), .month: (1...12, "does not exist (01–12)"),
        .hour: (0...23, "does not exist (00–23)"), .minute: (0...59, "does not exist (00–59)"),
    ]

    private mutating func setWallTime(_ field: Field, _ number: Int) -> Bool {
        var c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        func problem(_ text: String) -> Bool {
            wallTimeProblem = text
            return false
        }
        if let (range, why) = Self.limits[field], !range.contains(number) { return problem("\(field) \(number) \(why)") }
        switch field {
        case .year: c.year = number
        case .month: c.month = number
        case .day: c.day = number
        case .hour: c.hour = number
        case .minute: c.minute = number
        case .spacing, .perSlot: break
        }
        if let firstOfMonth = calendar.date(from: DateComponents(year: c.year, month: c.month, day: 1)),
            let days = calendar.range(of: .day, in: .month, for: firstOfMonth)?.count
        {
            if field == .day, !(1...days).contains(number) {
                return problem("day \(number) does not exist in \(CivilTime.padded(c.year ?? 0, 4))-\(CivilTime.padded(c.month ?? 0, 2)) (01–\(days))")
            }
            // Another field moved the month under a day it does not have (31 → February): the month's last day.
            c.day = min(c.day ?? 1, days)
        }
        let wall = String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
        do {
            instant = try InstantParser.parse(wall, now: instant, zone: zone).date
            wallTimeProblem = nil
            return true
        } catch {
            return problem(error.message)
        }
    }

    /// Jumps to an instant (a shortcut), rounded up to the minute.
    mutating func set(_ date: Date) {
        typed = ""
        instant = date.roundedUpToMinute
        wallTimeProblem = nil
    }

    /// The stagger as the person sees it, digits being typed included: a spacing typed as `5` previews and
    /// validates 5 minutes at once, not the value before.
    var stagger: Stagger? {
        guard staggers else { return nil }
        let typedNumber = typed.isEmpty ? nil : Int(typed)
        let spacing = field == .spacing ? typedNumber.map { min(999, max(1, $0)) } ?? spacingMinutes : spacingMinutes
        let slot = field == .perSlot ? typedNumber.map { min(99, max(1, $0)) } ?? perSlot : perSlot
        return Stagger(spacing: Double(spacing) * 60, perSlot: slot)
    }

    /// The mutation Enter writes.
    var mutation: Mutation {
        .reserve(taskID: taskID, selection: .ids(resourceIDs), at: instant, stagger: stagger, force: force)
    }

    /// The last slot's instant, for the summary line.
    var lastInstant: Date {
        stagger?.instant(forPosition: resourceIDs.count - 1, start: instant) ?? instant
    }
}
