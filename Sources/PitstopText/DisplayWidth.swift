import PitstopCore

/// Terminal column widths of text: Hangul, CJK and emoji take 2 columns, combining marks 0, the rest 1.
/// Computed from Unicode properties, not from the C library's locale-dependent `wcwidth`, so that layout
/// is the same in every environment and in tests.
public enum DisplayWidth {
    /// Columns one grapheme cluster takes.
    public static func of(_ character: Character) -> Int {
        var width = 0
        for scalar in character.unicodeScalars {
            if scalar.value == 0xFE0F { return 2 }  // emoji presentation selector
            let w = of(scalar)
            if width == 0 { width = w }
        }
        return width
    }

    /// Columns one scalar takes when it starts a cluster.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        // Without a property lookup, what screens are mostly drawn with: Hangul syllables and CJK ideographs
        // (wide), dashes, quotes and ellipsis, arrows, box drawing, blocks and shapes (narrow, no emoji among
        // them before U+25FD). `DisplayWidthTests` checks these ranges against the lookup.
        if isHangulOrCJK(v) { return 2 }
        if (0x2010...0x2027).contains(v) || (0x2190...0x21FF).contains(v) || (0x2500...0x25FC).contains(v) { return 1 }
        return byProperties(scalar)
    }

    /// Hangul syllables and CJK unified ideographs: most wide text, two columns each, never a mark.
    private static func isHangulOrCJK(_ v: UInt32) -> Bool { (0xAC00...0xD7A3).contains(v) || (0x4E00...0x9FFF).contains(v) }

    /// A scalar's width from its Unicode properties (what `of` answers for the ranges it knows by heart).
    static func byProperties(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (0x1160...0x11FF).contains(v) { return 0 }  // zero-width space, Hangul medial/final jamo
        if isWide(v) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
            0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Whether every byte is printable ASCII: one column each, nothing to sanitize (most names and messages).
    public static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Columns a string takes.
    public static func of(_ text: String) -> Int {
        if isPrintableASCII(text) { return text.utf8.count }
        // By scalar, without finding grapheme clusters, for the scripts where that gives the same sum: Latin
        // with its combining marks (width 0), Hangul syllables, CJK ideographs, kana and fullwidth forms, which
        // join into no cluster. Any other scalar (an emoji joiner, a flag, an Indic conjunct, a Thai vowel…)
        // sends the whole text to counting by cluster.
        var total = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            guard v < 0x370 || isHangulOrCJK(v) || (0x3040...0x30FF).contains(v)
                || (0xFF01...0xFF60).contains(v)
            else {
                return text.reduce(0) { $0 + of($1) }
            }
            total += of(scalar)
        }
        return total
    }

    /// `text` cut to at most `width` columns, ending in `…` when cut; a wide character is never split.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if isPrintableASCII(text) {
            return text.utf8.count <= width ? text : String(decoding: text.utf8.prefix(width - 1), as: UTF8.self) + "…"
        }
        if of(text) <= width { return text }
        var result = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }

    /// `text` cut in the middle to at most `width` columns, keeping its distinguishing end:
    /// `payments-mysql-02-replica1` in 20 columns is `payments-…-replica1`. Names of machines end in what tells
    /// them apart (a number, a role), so the end gets the larger half.
    public static func truncateMiddle(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard of(text) > width else { return text }
        guard width > 4 else { return truncate(text, to: width) }
        let characters = Array(text)
        let tailBudget = (width - 1 + 1) / 2 + 1
        var tail: [Character] = []
        var used = 0
        for character in characters.reversed() {
            let w = of(character)
            if used + w > tailBudget { break }
            tail.insert(character, at: 0)
            used += w
        }
        var head = ""
        var headUsed = 0
        for character in characters {
            let w = of(character)
            if headUsed + w > width - 1 - used { break }
            head.append(character)
            headUsed += w
        }
        return head + "…" + String(tail)
    }

    /// `text` fitted to exactly `width` columns, cut in the middle (`truncateMiddle`) or padded on the right.
    public static func fitMiddle(_ text: String, to width: Int) -> String {
        let cut = truncateMiddle(text, to: width)
        return cut + String(repeating: " ", count: max(0, width - of(cut)))
    }

    /// `text` fitted to exactly `width` columns: cut with `…`, or padded with spaces (on the right, or left for numbers).
    public static func fit(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: width)
        let padding = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? padding + cut : cut + padding
    }

    /// Text safe to print on a terminal (see `EventText.sanitized`): names cannot move the cursor or recolour.
    public static func sanitized(_ text: String) -> String { EventText.sanitized(text) }
}
