public import Foundation

/// Text for people about events, shared by every place that prints them (the CLI, the daemon's log).
public enum EventText {
    /// One event as a line: `2026-11-25 19:30 +00:00  reserved        MT-0001/my-00042  message  (actor)`.
    public static func line(_ event: Event, zone: TimeZone) -> String {
        let target = [event.taskID, event.resourceID].compactMap { $0 }.joined(separator: "/")
        return sanitized(
            "\(InstantText.short(event.time, in: zone))  \(event.kind.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(target.isEmpty ? "-" : target)  \(event.message)  (\(event.actor))")
    }

    /// Text safe to print on a terminal: control characters, escape sequences and bidirectional overrides
    /// become visible placeholders or are dropped, so a hostile name cannot move the cursor, recolour the
    /// screen, retitle the window or reorder what is shown. The stored value is never changed; this is for
    /// display only.
    public static func sanitized(_ text: String) -> String {
        // Printable ASCII, the common case, holds no hazard; nor does most other text: the same string, no copy.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) || !text.unicodeScalars.contains(where: { TerminalHazard($0) != nil }) {
            return text
        }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch TerminalHazard(scalar) {
            case .control: result.unicodeScalars.append("\u{FFFD}")
            case .reordering: continue  // dropped on screen, kept in the store
            case nil: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// What a character could do to a terminal if printed as is.
public enum TerminalHazard: Sendable {
    /// C0 and C1 controls, DEL, and the line and paragraph separators: they start escape sequences, move the
    /// cursor or break a line.
    case control
    /// Bidirectional overrides, embeddings, isolates and marks: they make text display in another order
    /// than it is stored (the "Trojan Source" trick).
    case reordering

    /// The class of a scalar that must not reach a terminal as it is, or nil for a harmless one.
    public init?(_ scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029: self = .control
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: self = .reordering
        default: return nil
        }
    }

    /// The first hazardous character of `text`, as `U+001B`, or nil.
    public static func first(in text: String) -> String? {
        text.unicodeScalars.first { TerminalHazard($0) != nil }.map { "U+" + String(format: "%04X", $0.value) }
    }
}
