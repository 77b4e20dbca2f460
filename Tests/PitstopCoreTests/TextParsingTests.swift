import Foundation
import Testing
@testable import PitstopCore

/// Durations, TIME arguments and policy values as people type them.
struct TextParsingTests {
    @Test(arguments: [("0", 0.0), ("90s", 90), ("15m", 900), ("24h", 86400), ("7d", 604_800), ("1h30m", 5400)])
    func parsesDurations(text: String, seconds: Double) {
        #expect(DurationText.parse(text) == seconds)
    }

    @Test(arguments: ["", "h", "10", "1x", "30m1h", "-5m", "1h1h", "99999999999d"])
    func refusesNonDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func formatsDurationsShortest() {
        #expect(DurationText.format(86400) == "24h")
        #expect(DurationText.format(7 * 86400) == "7d")
        #expect(DurationText.format(5400) == "1h30m")
        #expect(DurationText.format(0) == "0")
    }

    let seoul = TimeZone(identifier: "Asia/Seoul")!
    let newYork = TimeZone(identifier: "America/New_York")!

    @Test func parsesISO8601WithOffset() throws {
        let parsed = try InstantParser.parse("2026-12-01T02:00:00+09:00", now: Fixture.now, zone: newYork)
        #expect(InstantText.iso8601UTC(parsed.date) == "2026-11-30T17:00:00Z")
        #expect(try InstantParser.parse("2026-12-01T02:00:00Z", now: Fixture.now, zone: seoul).date == parsed.date.addingTimeInterval(9 * 3600))
    }

    @Test func parsesLocalTimeInTheGivenZone() throws {
        let parsed = try InstantParser.parse("2026-12-01 02:00", now: Fixture.now, zone: seoul)
        #expect(InstantText.iso8601UTC(parsed.date) == "2026-11-30T17:00:00Z")
        #expect(parsed.notice == nil)
    }

    @Test func parsesRelativeTimes() throws {
        #expect(try InstantParser.parse("now+25h", now: Fixture.now, zone: seoul).date == Fixture.at(hours: 25))
        #expect(try InstantParser.parse("now", now: Fixture.now, zone: seoul).date == Fixture.now)
    }

    @Test func refusesATimeTheClocksSkip() {
        #expect(throws: InstantParseError(message: "2026-03-08 02:30 does not exist in America/New_York: the clocks skip it (daylight saving); pick another time")) {
            try InstantParser.parse("2026-03-08 02:30", now: Fixture.now, zone: newYork)
        }
    }

    @Test func takesTheEarlierOffsetOfAnAmbiguousTimeAndSaysSo() throws {
        let parsed = try InstantParser.parse("2026-11-01 01:30", now: Fixture.now, zone: newYork)
        #expect(InstantText.iso8601UTC(parsed.date) == "2026-11-01T05:30:00Z")
        #expect(parsed.notice == "2026-11-01 01:30 happens twice in America/New_York; took the earlier, -04:00")
    }

    @Test(arguments: ["tomorrow", "2026-13-01 00:00", "2026-02-30 10:00", "2026-12-01 25:00", "now+x", "2026-12-01T02:00:00+25:00"])
    func refusesImpossibleTimes(text: String) {
        #expect(throws: InstantParseError.self) { try InstantParser.parse(text, now: Fixture.now, zone: seoul) }
    }

    @Test func setsAndShowsEveryPolicyKey() throws {
        var policy = Policy()
        policy = try PolicyText.setting("minLeadTime", to: "2h", in: policy)
        policy = try PolicyText.setting("maxConcurrency", to: "3", in: policy)
        policy = try PolicyText.setting("autoApply", to: "false", in: policy)
        policy = try PolicyText.setting("notifyLeadTimes", to: "10m, 24h", in: policy)
        policy = try PolicyText.setting("notifyCommand", to: #"["/bin/notify","--to","ops"]"#, in: policy)
        #expect(policy.minLeadTime == 7200 && policy.maxConcurrency == 3 && !policy.autoApply)
        #expect(PolicyText.value(of: "notifyLeadTimes", in: policy) == "24h,10m")
        #expect(policy.notifyCommand == ["/bin/notify", "--to", "ops"])
        #expect(PolicyText.differences(from: Policy(), to: policy).first == "minLeadTime: 24h → 2h")
    }

    @Test(arguments: [("nope", "1"), ("maxConcurrency", "0"), ("autoApply", "yes"), ("lockout", "soon"), ("notifyCommand", "echo hi")])
    func refusesBadPolicyValues(key: String, value: String) {
        #expect(throws: PolicyError.self) { try PolicyText.setting(key, to: value, in: Policy()) }
    }
}

/// The integer calendar against Foundation's, across eras, leap days and offsets.
struct CivilTimeTests {
    @Test(arguments: [-2_208_988_800.0, -1, 0, 951_782_400, 1_709_164_800, 1_795_608_000, 4_102_444_799, 253_402_300_799])
    func matchesFoundation(seconds: Double) {
        for zone in ["UTC", "Asia/Seoul", "America/New_York", "Asia/Kolkata"].map({ TimeZone(identifier: $0)! }) {
            let date = Date(timeIntervalSince1970: seconds)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let civil = CivilTime(date, zone: zone)
            #expect([civil.year, civil.month, civil.day, civil.hour, civil.minute, civil.second] == [c.year, c.month, c.day, c.hour, c.minute, c.second].map { $0 ?? -1 }, "\(seconds) in \(zone.identifier)")
        }
    }

    @Test func formatsLikeBefore() {
        #expect(InstantText.short(Fixture.now, in: TimeZone(identifier: "Asia/Kolkata")!) == "2026-11-25 17:30 +05:30")
        #expect(InstantText.iso8601UTC(Date(timeIntervalSince1970: 1_795_608_000.25)) == "2026-11-25T12:00:00.250Z")
        #expect(InstantText.offset(-18000) == "-05:00")
    }
}

/// TIME values at the edges of the calendar, found by fuzzing the parser.
struct TimeRangeTests {
    let lordHowe = TimeZone(identifier: "Australia/Lord_Howe")!

    @Test(arguments: ["1013-10-01 04:00", "1969-12-31 23:59", "0000-01-01T00:00:00Z", "now-100y"])
    func refusesTimesBefore1970(text: String) {
        #expect(throws: InstantParseError.self) { try InstantParser.parse(text, now: Fixture.now, zone: lordHowe) }
    }

    @Test func namesTheYearWhenRefusing() throws {
        let error = #expect(throws: InstantParseError.self) { try InstantParser.parse("1013-10-01 04:00", now: Fixture.now, zone: lordHowe) }
        #expect(error?.message.contains("1013") == true)
        #expect(error?.message.contains("1970 to 9999") == true)
    }

    @Test(arguments: ["1970-01-01T00:00:00Z", "2028-02-29 12:00", "9999-12-31T23:59:59Z", "2400-02-29T00:00:00Z"])
    func everyAcceptedTimePrintsBackToItself(text: String) throws {
        let parsed = try InstantParser.parse(text, now: Fixture.now, zone: lordHowe)
        let printed = InstantText.iso8601UTC(parsed.date)
        #expect(try InstantParser.parse(printed, now: Fixture.now, zone: lordHowe).date == parsed.date)
    }

    @Test func refusesTheThirtiethOfFebruaryAndLeapDaysOfCenturies() {
        for text in ["2026-02-29 10:00", "2100-02-29 10:00", "2026-04-31 10:00"] {
            #expect(throws: InstantParseError.self) { try InstantParser.parse(text, now: Fixture.now, zone: lordHowe) }
        }
    }

    @Test func civilSecondsInvertCivilFields() {
        for seconds in stride(from: Int64(0), to: 253_402_300_799, by: 86_399 * 367) {
            let fields = CivilTime(secondsSince1970: seconds, offset: 0)
            let back = CivilTime.secondsSince1970(
                year: fields.year, month: fields.month, day: fields.day, hour: fields.hour, minute: fields.minute, second: fields.second)
            #expect(Int64(back) == seconds)
        }
    }
}
