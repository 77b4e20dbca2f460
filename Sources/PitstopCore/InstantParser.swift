public import Foundation

/// Reads the CLI's TIME syntax: ISO 8601 with an offset, `YYYY-MM-DD HH:MM` in a local zone, or `now+DURATION`.
public enum InstantParser {
    /// Reads a TIME at `now` in `zone`, or says what is wrong with it.
    public static func parse(_ text: String, now: Date, zone: TimeZone) throws(InstantParseError) -> ParsedInstant {
        let input = text.trimmingCharacters(in: .whitespaces)
        let parsed: ParsedInstant
        if input.lowercased().hasPrefix("now") {
            parsed = ParsedInstant(date: try relative(input, now: now), notice: nil)
        } else if let instant = try iso8601(input) {
            parsed = ParsedInstant(date: instant, notice: nil)
        } else if let local = try localWallTime(input, zone: zone) {
            parsed = local
        } else {
            throw InstantParseError(
                message: "\"\(text)\" is not a time; write 2026-12-01T02:00:00+09:00, \"2026-12-01 02:00\" (local) or now+25h")
        }
        let year = CivilTime(parsed.date, zone: TimeZone(identifier: "UTC")!).year
        guard years.contains(year) else {
            throw InstantParseError(message: "\"\(text)\" falls in the year \(year) (UTC); times are from \(years.lowerBound) to \(years.upperBound)")
        }
        return parsed
    }

    private static func relative(_ input: String, now: Date) throws(InstantParseError) -> Date {
        let rest = input.dropFirst(3).trimmingCharacters(in: .whitespaces)
        if rest.isEmpty { return now }
        guard let sign = rest.first, sign == "+" || sign == "-",
            let seconds = DurationText.parse(String(rest.dropFirst()))
        else {
            throw InstantParseError(message: "\"\(input)\" is not now±DURATION; write e.g. now+25h or now+1d2h")
        }
        return now.addingTimeInterval(sign == "+" ? seconds : -seconds)
    }

    /// Numbers of a `YYYY-MM-DD` date followed by `sep` and `HH:MM[:SS]`, or nil if the shape differs.
    private static func fields(_ s: Substring) -> (y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int, rest: Substring)? {
        let chars = Array(s.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count else { return nil }
            var value = 0
            for c in chars[range] {
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard chars.count >= 16, chars[4] == 45, chars[7] == 45, chars[10] == 84 || chars[10] == 32 || chars[10] == 116,
            chars[13] == 58, let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10),
            let h = number(11..<13), let mi = number(14..<16)
        else { return nil }
        var sec = 0
        var index = 16
        if chars.count >= 19, chars[16] == 58, let parsed = number(17..<19) {
            sec = parsed
            index = 19
        }
        let rest = s.utf8.dropFirst(index)
        return (y, mo, d, h, mi, sec, Substring(rest))
    }

    /// The years a TIME may name: reservations are about the coming days, and every instant in this range
    /// prints back as the same four-digit ISO 8601 text.
    static let years = 1970...9999

    private static func checkRanges(_ f: (y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int, rest: Substring), _ text: String) throws(InstantParseError) {
        guard years.contains(f.y) else {
            throw InstantParseError(message: "\"\(text)\" is in the year \(f.y); times are from \(years.lowerBound) to \(years.upperBound)")
        }
        guard (1...12).contains(f.mo), (1...CivilTime.daysIn(month: f.mo, year: f.y)).contains(f.d), (0...23).contains(f.h),
            (0...59).contains(f.mi), (0...59).contains(f.s)
        else {
            throw InstantParseError(message: "\"\(text)\" is not a real date and time")
        }
    }

    /// Seconds since 1970 of the wall-clock fields read as if they were UTC.
    private static func wallSeconds(_ f: (y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int, rest: Substring)) -> Int {
        CivilTime.secondsSince1970(year: f.y, month: f.mo, day: f.d, hour: f.h, minute: f.mi, second: f.s)
    }

    private static func iso8601(_ input: String) throws(InstantParseError) -> Date? {
        guard let f = fields(Substring(input)), !f.rest.isEmpty else { return nil }
        var rest = f.rest
        if rest.first == "." {  // fractional seconds: accepted, dropped below a millisecond
            rest = rest.dropFirst().drop { $0.isNumber }
        }
        let offset: Int
        if rest == "Z" || rest == "z" {
            offset = 0
        } else if let sign = rest.first, sign == "+" || sign == "-" {
            let digits = rest.dropFirst().filter { $0 != ":" }
            guard digits.count == 4, let hh = Int(digits.prefix(2)), let mm = Int(digits.suffix(2)), hh <= 18, mm < 60 else {
                throw InstantParseError(message: "\"\(input)\" has an offset that is not ±HH:MM")
            }
            offset = (hh * 3600 + mm * 60) * (sign == "-" ? -1 : 1)
        } else {
            return nil
        }
        try checkRanges(f, input)
        var seconds = Double(wallSeconds(f) - offset)
        if let dot = f.rest.firstIndex(of: "."), let fraction = Double("0" + f.rest[dot...].prefix { $0 == "." || $0.isNumber }) {
            seconds += (fraction * 1000).rounded() / 1000
        }
        return Date(timeIntervalSince1970: seconds)
    }

    private static func localWallTime(_ input: String, zone: TimeZone) throws(InstantParseError) -> ParsedInstant? {
        guard let f = fields(Substring(input)), f.rest.isEmpty else { return nil }
        try checkRanges(f, input)
        let wall = wallSeconds(f)
        // The zone's offsets a day either side cover any transition near this wall time.
        let offsets = Set([-86400, 0, 86400].map { zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall + $0))) })
        let candidates = offsets.map { wall - $0 }.filter { instant in
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))) == wall - instant
        }.sorted()
        guard let earliest = candidates.first else {
            throw InstantParseError(message: "\(input) does not exist in \(zone.identifier): the clocks skip it (daylight saving); pick another time")
        }
        let date = Date(timeIntervalSince1970: TimeInterval(earliest))
        var notice: String?
        if candidates.count > 1 {
            notice = "\(input) happens twice in \(zone.identifier); took the earlier, \(InstantText.offset(zone.secondsFromGMT(for: date)))"
        }
        return ParsedInstant(date: date, notice: notice)
    }
}
