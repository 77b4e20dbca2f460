public import Foundation

/// Parses and prints the duration syntax of the policy and the CLI: `0`, `90s`, `15m`, `24h`, `7d`, `1h30m`.
public enum DurationText {
    private static let units: [(suffix: Character, seconds: Int)] = [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)]

    /// Seconds in `text`, or nil when it is not a duration.
    public static func parse(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "0" { return 0 }
        guard !trimmed.isEmpty else { return nil }
        var total = 0
        var digits = ""
        var lastUnitRank = -1
        for character in trimmed {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let rank = units.firstIndex(where: { $0.suffix == character }) {
                // Units must appear largest first and at most once each: "1h30m", not "30m1h".
                guard let value = Int(digits), rank > lastUnitRank else { return nil }
                let (product, overflow1) = value.multipliedReportingOverflow(by: units[rank].seconds)
                let (sum, overflow2) = total.addingReportingOverflow(product)
                guard !overflow1, !overflow2, sum <= 100 * 365 * 86400 else { return nil }
                total = sum
                digits = ""
                lastUnitRank = rank
            } else {
                return nil
            }
        }
        guard digits.isEmpty, lastUnitRank >= 0 else { return nil }
        return TimeInterval(total)
    }

    /// A length for people, in its two largest units and without sign: `6d 3h`, `5h 10m`, `12m`, `40s`.
    public static func approximate(_ seconds: TimeInterval) -> String {
        let s = Int(abs(seconds))
        if s >= 86400 { return "\(s / 86400)d \(s % 86400 / 3600)h" }
        if s >= 3600 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        if s >= 60 { return "\(s / 60)m" }
        return "\(s)s"
    }

    /// The shortest exact text for a whole number of seconds: 86400 → `24h`, 5400 → `1h30m`.
    public static func format(_ seconds: TimeInterval) -> String {
        var remaining = Int(seconds.rounded())
        if remaining == 0 { return "0" }
        let sign = remaining < 0 ? "-" : ""
        remaining = abs(remaining)
        // Days only when whole: "48h" reads better than "2d" for lead times, so keep hours up to 72.
        var parts = ""
        for (suffix, size) in units {
            if suffix == "d" && (remaining % 86400 != 0 || remaining <= 72 * 3600) { continue }
            let count = remaining / size
            if count > 0 {
                parts += "\(count)\(suffix)"
                remaining -= count * size
            }
        }
        return sign + parts
    }
}
