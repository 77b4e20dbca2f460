import Testing
@testable import PitstopText

/// Column widths that keep tables aligned with Korean names and emoji.
struct DisplayWidthTests {
    @Test(arguments: [
        ("orders-db", 9), ("주문", 4), ("주문-db-1", 9), ("🛒", 2), ("카트🛒", 6), ("e\u{301}", 1), ("", 0),
        ("\u{1F1F0}\u{1F1F7}", 2), ("❤\u{FE0F}", 2), ("ｆｕｌｌ", 8),
    ])
    func measuresColumns(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    /// A string's width is counted by scalar when that cannot differ from counting by grapheme cluster; these
    /// are the texts where a careless shortcut would differ (joiners, flags, skin tones, spacing marks, jamo).
    @Test(arguments: [
        "orders-db", "주문-db-1", "e\u{301}x", "👨\u{200D}👩\u{200D}👧 family", "\u{1F1F0}\u{1F1F7}\u{1F1EF}\u{1F1F5}", "👍\u{1F3FD}",
        "नमस्ते", "\u{1100}\u{1161}\u{11A8}-db", "❤\u{FE0F}❤\u{FE0E}", "中文ｆｕｌｌ", "a\u{200B}b", "ﷺ", "\u{0E01}\u{0E33}", "か\u{3099}カ", "\r\n", "\u{301}lone",
    ])
    func countsByScalarOnlyWhereThatEqualsCountingByCluster(text: String) {
        #expect(DisplayWidth.of(text) == text.reduce(0) { $0 + DisplayWidth.of($1) })
    }

    @Test func theRangesKnownByHeartHaveTheWidthTheirPropertiesGive() {
        for range in [0xAC00...0xD7A3, 0x4E00...0x9FFF, 0x2010...0x2027, 0x2190...0x21FF, 0x2500...0x25FC] as [ClosedRange<UInt32>] {
            for value in range {
                let scalar = Unicode.Scalar(value)!
                #expect(DisplayWidth.of(scalar) == DisplayWidth.byProperties(scalar), "U+\(String(value, radix: 16))")
            }
        }
    }

    @Test func truncatesWithoutSplittingAWideCharacter() {
        #expect(DisplayWidth.truncate("주문서비스", to: 6) == "주문…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("주문서비스", to: 6)) == 5)
        #expect(DisplayWidth.truncate("abc", to: 3) == "abc")
        #expect(DisplayWidth.truncate("abcd", to: 3) == "ab…")
    }

    @Test func fitsToAnExactWidth() {
        #expect(DisplayWidth.fit("주문", to: 6) == "주문  ")
        #expect(DisplayWidth.fit("7", to: 3, alignRight: true) == "  7")
        #expect(DisplayWidth.of(DisplayWidth.fit("회원-pg-01-replica", to: 10)) == 10)
    }

    @Test func sanitizesWhatCouldDriveTheTerminal() {
        #expect(DisplayWidth.sanitized("db\u{1B}[31mred") == "db\u{FFFD}[31mred")
        #expect(DisplayWidth.sanitized("a\u{202E}b\nc") == "ab\u{FFFD}c")
        #expect(DisplayWidth.sanitized("주문-db") == "주문-db")
    }
}
