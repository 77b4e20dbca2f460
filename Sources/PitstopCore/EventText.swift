import Foundation

/// Text for people about events, shared by every place that prints them (the CLI, the daemon's log).
public enum EventText {
    /// One event as a line: `2026-11-25 19:30 +00:00  reserved        MT-0001/my-00042  message  (actor)`.
    public static func line(_ event: Event, zone: TimeZone) -> String {
        let target = [event.taskID, event.resourceID].compactMap { $0 }.joined(separator: "/")
        return sanitized(
            "\(InstantText.short(event.time, in: zone))  \(event.kind.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(target.isEmpty ? "-" : target)  \(event.message)  (\(event.actor))")
    }

    /// Text safe to print on a terminal: control characters, escape sequences and bidirectional overrides
    /// become visible placeholders or are dropped, so a hostile name cannot move the cursor or recolour the
    /// screen. The stored value is never changed; this is for display only.
    public static func sanitized(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) {
                result.unicodeScalars.append("\u{FFFD}")
            } else if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F {
                continue  // bidirectional overrides and marks: dropped on screen, kept in the store
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
