public import Foundation

/// A named period in which no maintenance may run: once (two instants), every week (`Fri 18:00` to `Mon 06:00`)
/// or every year (`12-20` to `01-05`, whole days, the last one included), read in a named time zone, for
/// every service or one. Reservations that would run into one are refused; the engine holds any it finds.
public struct FreezeWindow: Sendable, Equatable {
    /// When the window comes back.
    public enum Recurrence: Sendable, Equatable {
        case once(from: Date, to: Date)
        /// Weekdays 1 (Monday) to 7 (Sunday), minutes after midnight.
        case weekly(fromDay: Int, fromMinute: Int, toDay: Int, toMinute: Int)
        /// From the start of one day to the end of another (which may be in the next year).
        case yearly(fromMonth: Int, fromDay: Int, toMonth: Int, toDay: Int)
    }

    /// Unique among the store's freezes; what refusals and events name.
    public var name: String
    /// When it comes back.
    public var recurrence: Recurrence
    /// The zone the window's times are read in (an IANA name, e.g. `Asia/Seoul`).
    public var zone: TimeZone
    /// Only tasks of this service, or every task when nil.
    public var service: Service?

    /// A freeze window.
    public init(name: String, recurrence: Recurrence, zone: TimeZone, service: Service? = nil) {
        self.name = name
        self.recurrence = recurrence
        self.zone = zone
        self.service = service
    }

    /// Whether the window applies to tasks of `service`.
    public func applies(to service: Service) -> Bool { self.service == nil || self.service == service }

    /// The occurrence of the window that overlaps `[start, end)` first, if any.
    public func occurrence(overlapping start: Date, _ end: Date) -> DateInterval? {
        occurrences(near: start, end).first { $0.start < max(end, start.addingTimeInterval(1)) && $0.end > start }
    }

    /// Every occurrence that might overlap `[start, end)`, in order (a little wider, never narrower).
    package func occurrences(near start: Date, _ end: Date) -> [DateInterval] {
        switch recurrence {
        case .once(let from, let to):
            return [DateInterval(start: from, end: max(from, to))]
        case .weekly(let fromDay, let fromMinute, let toDay, let toMinute):
            var result: [DateInterval] = []
            // Each local day from a week before `start` to `end`: a window starts on those with its weekday.
            var day = Self.localDay(start.addingTimeInterval(-8 * 86400), zone)
            let lastDay = Self.localDay(end.addingTimeInterval(86400), zone)
            while day <= lastDay {
                if Self.weekday(ofDay: day) == fromDay {
                    let begin = Self.instant(wall: day * 86400 + fromMinute * 60, zone)
                    var days = (toDay - fromDay + 7) % 7
                    if days == 0 && toMinute <= fromMinute { days = 7 }
                    let finish = Self.instant(wall: (day + days) * 86400 + toMinute * 60, zone)
                    result.append(DateInterval(start: begin, end: max(begin, finish)))
                }
                day += 1
            }
            return result
        case .yearly(let fromMonth, let fromDay, let toMonth, let toDay):
            let first = CivilTime(start, zone: zone).year - 1
            let last = CivilTime(end, zone: zone).year
            return (first...max(first, last)).map { year in
                let endYear = (toMonth, toDay) < (fromMonth, fromDay) ? year + 1 : year
                let begin = Self.instant(wall: CivilTime.secondsSince1970(year: year, month: fromMonth, day: min(fromDay, CivilTime.daysIn(month: fromMonth, year: year)), hour: 0, minute: 0, second: 0), zone)
                let lastDay = min(toDay, CivilTime.daysIn(month: toMonth, year: endYear))
                let finish = Self.instant(wall: CivilTime.secondsSince1970(year: endYear, month: toMonth, day: lastDay, hour: 0, minute: 0, second: 0) + 86400, zone)
                return DateInterval(start: begin, end: max(begin, finish))
            }
        }
    }

    /// Days since 1970 of the local date of `date` in `zone`.
    static func localDay(_ date: Date, _ zone: TimeZone) -> Int {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date)
        return local >= 0 ? local / 86400 : (local - 86399) / 86400
    }

    /// 1 for Monday … 7 for Sunday; 1970-01-01 was a Thursday.
    static func weekday(ofDay day: Int) -> Int { ((day % 7 + 7) % 7 + 3) % 7 + 1 }

    /// The instant a wall-clock reading (seconds since 1970, as if UTC) stands for in `zone`: the earlier one
    /// when it happens twice, and the moment the clocks jump when the zone skips it (a daylight-saving gap).
    static func instant(wall: Int, _ zone: TimeZone) -> Date {
        let offsets = Set([-86400, 0, 86400].map { zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall + $0))) })
        let valid = offsets.map { wall - $0 }.filter { zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0))) == wall - $0 }
        return Date(timeIntervalSince1970: TimeInterval(valid.min() ?? wall - (offsets.min() ?? 0)))
    }
}
