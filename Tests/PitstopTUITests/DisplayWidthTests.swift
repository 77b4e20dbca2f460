import Testing
import PitstopText

/// Column widths that keep tables aligned with Korean names and emoji.
struct DisplayWidthTests {
    @Test(arguments: [
        ("orders-db", 9), ("주문", 4), ("주문-db-1", 9), ("🛒", 2), ("카트🛒", 6), ("e\u{301}", 1), ("", 0),
        ("\u{1F1F0}\u{1F1F7}", 2), ("❤\u{FE0F}", 2), ("ｆｕｌｌ", 8),
    ])
    func measuresColumns(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
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
