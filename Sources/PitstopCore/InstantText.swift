public import Foundation

/// Writes instants for people: `2026-12-01 02:00 +09:00`, in a given zone.
public enum InstantText {
    /// Minutes precision with the zone's offset at that instant.
    public static func short(_ date: Date, in zone: TimeZone) -> String {
        let c = CivilTime(date, zone: zone)
        return "\(c.date) \(c.time) \(offset(c.offset))"
    }

    /// `+09:00`, `-05:30`, `+00:00`.
    public static func offset(_ seconds: Int) -> String {
        let minutes = abs(seconds) / 60
        return (seconds < 0 ? "-" : "+") + CivilTime.padded(minutes / 60, 2) + ":" + CivilTime.padded(minutes % 60, 2)
    }

    /// ISO 8601 in UTC, with milliseconds only when there are any: `2026-12-01T02:00:00Z`.
    public static func iso8601UTC(_ date: Date) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = totalMilliseconds / 1000
        var milliseconds = totalMilliseconds % 1000
        if milliseconds < 0 {
            milliseconds += 1000
            seconds -= 1
        }
        let c = CivilTime(secondsSince1970: seconds, offset: 0)
        let base = "\(c.date)T\(c.time):\(CivilTime.padded(c.second, 2))"
        return milliseconds == 0 ? base + "Z" : base + "." + CivilTime.padded(Int(milliseconds), 3) + "Z"
    }
}
