import Foundation
import Testing
@testable import PitstopCore

/// Freeze windows as a table: weekly ones across daylight-saving changes, yearly ones across the year's end,
/// one-off ones, the service filter, and the `[freeze]` rule that `--force` does not override.
struct FreezeWindowTests {
    static func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let seoul = TimeZone(identifier: "Asia/Seoul")!
    static let weekend = FreezeWindow(name: "weekend", recurrence: .weekly(fromDay: 5, fromMinute: 18 * 60, toDay: 1, toMinute: 6 * 60), zone: berlin)
    static let holidays = FreezeWindow(name: "holidays", recurrence: .yearly(fromMonth: 12, fromDay: 20, toMonth: 1, toDay: 5), zone: seoul)

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var window: FreezeWindow
        var at: String
        var inside: Bool
        var description: String { name }
    }

    static let cases: [Case] = [
        // Berlin is UTC+1 in winter and UTC+2 in summer; the window follows the wall clock.
        Case(name: "Friday 17:59 Berlin, winter", window: weekend, at: "2026-01-09T16:59:00Z", inside: false),
        Case(name: "Friday 18:00 Berlin, winter", window: weekend, at: "2026-01-09T17:00:00Z", inside: true),
        Case(name: "Friday 18:00 Berlin, summer", window: weekend, at: "2026-07-10T16:00:00Z", inside: true),
        Case(name: "Friday 17:30 Berlin, summer", window: weekend, at: "2026-07-10T15:30:00Z", inside: false),
        Case(name: "Monday 05:59 after the spring change", window: weekend, at: "2026-03-30T03:59:00Z", inside: true),
        Case(name: "Monday 06:00 after the spring change", window: weekend, at: "2026-03-30T04:00:00Z", inside: false),
        Case(name: "Sunday 02:30 as the clocks go back", window: weekend, at: "2026-10-25T01:30:00Z", inside: true),
        Case(name: "Monday 06:00 after the autumn change", window: weekend, at: "2026-10-26T05:00:00Z", inside: false),
        Case(name: "Wednesday noon", window: weekend, at: "2026-07-08T10:00:00Z", inside: false),
        // 12-20 to 01-05 in Seoul (UTC+9), the last day included, across the year's end.
        Case(name: "12-19 23:59 Seoul", window: holidays, at: "2026-12-19T14:59:00Z", inside: false),
        Case(name: "12-20 00:00 Seoul", window: holidays, at: "2026-12-19T15:00:00Z", inside: true),
        Case(name: "12-31 Seoul", window: holidays, at: "2026-12-31T12:00:00Z", inside: true),
        Case(name: "01-03 Seoul, the next year", window: holidays, at: "2027-01-03T00:00:00Z", inside: true),
        Case(name: "01-05 23:59 Seoul", window: holidays, at: "2027-01-05T14:59:00Z", inside: true),
        Case(name: "01-06 00:00 Seoul", window: holidays, at: "2027-01-05T15:00:00Z", inside: false),
        Case(name: "early January of the first year", window: holidays, at: "2026-01-02T00:00:00Z", inside: true),
        Case(name: "one-off, inside", window: FreezeWindow(name: "x", recurrence: .once(from: date("2026-12-24T00:00:00Z"), to: date("2026-12-26T00:00:00Z")), zone: .gmt), at: "2026-12-25T00:00:00Z", inside: true),
        Case(name: "one-off, at its end", window: FreezeWindow(name: "x", recurrence: .once(from: date("2026-12-24T00:00:00Z"), to: date("2026-12-26T00:00:00Z")), zone: .gmt), at: "2026-12-26T00:00:00Z", inside: false),
    ]

    @Test(arguments: cases)
    func anInstantIsInsideOrNot(_ c: Case) {
        let at = Self.date(c.at)
        #expect((c.window.occurrence(overlapping: at, at) != nil) == c.inside)
    }

    @Test func aRunThatStartsBeforeAFreezeButRunsIntoItCounts() {
        let start = Self.date("2026-01-09T16:00:00Z")  // Friday 17:00 Berlin
        #expect(Self.weekend.occurrence(overlapping: start, start.addingTimeInterval(30 * 60)) == nil)
        let occurrence = Self.weekend.occurrence(overlapping: start, start.addingTimeInterval(2 * 3600))
        #expect(occurrence?.start == Self.date("2026-01-09T17:00:00Z") && occurrence?.end == Self.date("2026-01-12T05:00:00Z"))
    }

    @Test func aFreezeForOneServiceLeavesTheOtherAlone() {
        var mysqlOnly = Self.holidays
        mysqlOnly.service = .mysql
        var policy = Policy()
        policy.freezes = [mysqlOnly]
        let at = Self.date("2026-12-25T00:00:00Z")
        #expect(policy.freeze(overlapping: at, at, service: .mysql)?.0.name == "holidays")
        #expect(policy.freeze(overlapping: at, at, service: .postgresql) == nil)
    }

    @Test func reservationsIntoAFreezeAreRefusedEvenWhenForced() throws {
        var policy = Policy()
        policy.freezes = [FreezeWindow(name: "year-end", recurrence: .once(from: Fixture.at(hours: 48), to: Fixture.at(hours: 72)), zone: TimeZone(identifier: "UTC")!)]
        let state = Fixture.state([Fixture.task([Fixture.resource("r1")])], policy: policy)
        func refusals(_ hours: Double) -> [Refusal] {
            do {
                _ = try state.plan(.reserve(taskID: "MT-0001", selection: .ids(["r1"]), at: Fixture.at(hours: hours), stagger: nil, force: true), context: Fixture.context())
                return []
            } catch { return Fixture.refusal(error) }
        }
        #expect(refusals(50).map(\.description) == ["r1-name: 2026-11-27 14:00 +00:00 is inside the freeze year-end (2026-11-27 12:00 +00:00 to 2026-11-28 12:00 +00:00) [freeze]"])
        // The fixture's simulated run lasts up to 6 s; 10 s before the freeze it would run into it, a minute before it does not.
        #expect(refusals(48 - 5.0 / 3600).first?.rule == .freeze)
        #expect(refusals(48 - 1.0 / 60).isEmpty && refusals(72).isEmpty)
    }

    @Test func freezeTextReadsTheThreeForms() throws {
        let now = Self.date("2026-11-25T12:00:00Z")
        let weekly = try FreezeText.window(name: "w", kind: .weekly, from: "Fri 18:00", to: "mon 06:00", zone: Self.berlin, service: nil, now: now)
        #expect(weekly.recurrence == .weekly(fromDay: 5, fromMinute: 1080, toDay: 1, toMinute: 360))
        #expect(FreezeText.span(weekly) == "Fri 18:00 to Mon 06:00 weekly")
        let yearly = try FreezeText.window(name: "y", kind: .yearly, from: "12-20", to: "01-05", zone: Self.seoul, service: .mysql, now: now)
        #expect(FreezeText.line(yearly) == "y: 12-20 to 01-05 yearly (Asia/Seoul), MySQL only")
        #expect(throws: FreezeText.Problem.self) { try FreezeText.window(name: "bad", kind: .yearly, from: "02-30", to: "03-01", zone: Self.seoul, service: nil, now: now) }
        #expect(throws: FreezeText.Problem.self) { try FreezeText.window(name: "two words", kind: .weekly, from: "Fri 18:00", to: "Mon 06:00", zone: Self.seoul, service: nil, now: now) }
        #expect(throws: FreezeText.Problem.self) { try FreezeText.window(name: "backwards", kind: .once, from: "2026-12-26 00:00", to: "2026-12-24 00:00", zone: Self.seoul, service: nil, now: now) }
    }
}
