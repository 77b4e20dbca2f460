import Foundation
import Testing
@testable import PitstopCore

/// Each scheduling rule, with the exact message a user sees, and proof that a refusal changes nothing.
struct SchedulingRuleTests {
    func reserve(_ ids: [String], task: String = "MT-0001", hours: Double, stagger: Stagger? = nil, force: Bool = false) -> Mutation {
        .reserve(taskID: task, selection: .ids(ids), at: Fixture.at(hours: hours), stagger: stagger, force: force)
    }

    func refusalText(_ state: FleetState, _ mutation: Mutation, hours: Double = 0) -> [String] {
        do {
            _ = try state.plan(mutation, context: Fixture.context(hours: hours))
            return []
        } catch {
            return Fixture.refusal(error).map(\.description)
        }
    }

    @Test func leadTimeRefusesReservationsTooSoon() {
        let state = Fixture.state([Fixture.task([Fixture.resource("r1")])])
        #expect(refusalText(state, reserve(["r1"], hours: 6)) == [
            "r1-name: 2026-11-25 18:00 +00:00 is less than 24h from now; the earliest allowed is 2026-11-26 12:00 +00:00 [minLeadTime]"
        ])
        #expect(refusalText(state, reserve(["r1"], hours: 24)).isEmpty, "exactly the lead time is allowed")
    }

    @Test func deadlineRefusesReservationsAtOrAfterIt() {
        let state = Fixture.state([Fixture.task(mandatory: true, deadlineHours: 240, [Fixture.resource("r1")])])
        #expect(refusalText(state, reserve(["r1"], hours: 241)) == [
            "r1-name: 2026-12-05 13:00 +00:00 is not before the deadline of MT-0001 (2026-12-05 12:00 +00:00) [deadline]"
        ])
        #expect(refusalText(state, reserve(["r1"], hours: 240)).count == 1)
        #expect(refusalText(state, reserve(["r1"], hours: 239)).isEmpty)
    }

    @Test func recommendedTasksMayRunAfterTheirRecommendedTime() {
        let state = Fixture.state([Fixture.task([Fixture.resource("r1")])])
        #expect(refusalText(state, reserve(["r1"], hours: 24 * 60)).isEmpty)
    }

    @Test func conflictRefusesTheSameMachineInAnotherTaskWithinTheWindow() {
        let state = Fixture.state([
            Fixture.task("MT-0001", [Fixture.resource("db-1", .reserved, at: 48)]),
            Fixture.task("MT-0002", [Fixture.resource("db-1"), Fixture.resource("db-2")]),
        ])
        #expect(refusalText(state, reserve(["db-1"], task: "MT-0002", hours: 48.5)) == [
            "db-1-name: MT-0002 at 2026-11-27 12:30 +00:00 is within 1h of MT-0001 (title of MT-0001) reserved at 2026-11-27 12:00 +00:00 on the same resource [conflictWindow]"
        ])
        #expect(refusalText(state, reserve(["db-1"], task: "MT-0002", hours: 49)).isEmpty, "a full window apart is allowed")
        #expect(refusalText(state, reserve(["db-2"], task: "MT-0002", hours: 48)).isEmpty, "another machine is not a conflict")
    }

    @Test func conflictIgnoresExcludedAndFinishedPlacements() {
        for status in [ResourceStatus.excluded, .completed, .failed, .pending] {
            let state = Fixture.state([
                Fixture.task("MT-0001", [Fixture.resource("db-1", status, at: status == .pending ? nil : 48)]),
                Fixture.task("MT-0002", [Fixture.resource("db-1")]),
            ])
            #expect(refusalText(state, reserve(["db-1"], task: "MT-0002", hours: 48)).isEmpty, "\(status)")
        }
    }

    @Test func lockoutRefusesAfterThreeFailuresUnlessForced() throws {
        let state = Fixture.state([Fixture.task([Fixture.resource("r1", .failed, failures: 3, lastFailure: -2)])])
        #expect(refusalText(state, reserve(["r1"], hours: 30)) == [
            "r1-name: failed 3 times and is locked out until 2026-11-26 10:00 +00:00; force to reserve anyway [lockout]"
        ])
        #expect(refusalText(state, reserve(["r1"], hours: 30, force: true)).isEmpty)
        #expect(refusalText(state, reserve(["r1"], hours: 48), hours: 23).isEmpty, "the lockout ends")
        let twice = Fixture.state([Fixture.task([Fixture.resource("r1", .failed, failures: 2, lastFailure: -2)])])
        #expect(refusalText(twice, reserve(["r1"], hours: 30)).isEmpty, "two failures do not lock out")
    }

    @Test func forceOverridesOnlyTheLockout() {
        let state = Fixture.state([Fixture.task([Fixture.resource("r1", .failed, failures: 3, lastFailure: -2)])])
        #expect(refusalText(state, reserve(["r1"], hours: 1, force: true)).first?.hasSuffix("[minLeadTime]") == true)
    }

    @Test func bulkReservationIsAllOrNothingAndListsEveryRefusal() {
        var state = Fixture.state([
            Fixture.task("MT-0001", [Fixture.resource("a"), Fixture.resource("b"), Fixture.resource("c", .completed)]),
            Fixture.task("MT-0002", [Fixture.resource("a", .reserved, at: 48)]),
        ])
        let before = state.tasks
        #expect(throws: MutationError.self) { try state.apply(reserve(["a", "b", "c"], hours: 48), context: Fixture.context()) }
        #expect(state.tasks == before)
        let rules = refusalText(state, reserve(["a", "b", "c"], hours: 48))
        #expect(rules.count == 2 && rules[0].hasSuffix("[conflictWindow]") && rules[1].hasSuffix("[state]"))
    }

    @Test func staggerSpreadsSlotsByPerSlot() throws {
        var state = Fixture.state([Fixture.task((1...5).map { Fixture.resource("r\($0)") })])
        try state.apply(reserve(["r1", "r2", "r3", "r4", "r5"], hours: 48, stagger: Stagger(spacing: 600, perSlot: 2)), context: Fixture.context())
        let times = state.task(id: "MT-0001")!.resources.map { $0.scheduledAt!.timeIntervalSince(Fixture.at(hours: 48)) }
        #expect(times == [0, 0, 600, 600, 1200])
    }

    @Test func staggeredSlotsAreCheckedOneByOne() {
        let state = Fixture.state([Fixture.task(mandatory: true, deadlineHours: 48.2, [Fixture.resource("r1"), Fixture.resource("r2")])])
        let refusals = refusalText(state, reserve(["r1", "r2"], hours: 48, stagger: Stagger(spacing: 900, perSlot: 1)))
        #expect(refusals.count == 1 && refusals[0].hasPrefix("r2-name") && refusals[0].hasSuffix("[deadline]"))
    }

    @Test func rescheduleAndReserveLogTheirEvents() throws {
        var state = Fixture.state([Fixture.task([Fixture.resource("r1")])])
        let first = try state.apply(reserve(["r1"], hours: 48), context: Fixture.context())
        let second = try state.apply(reserve(["r1"], hours: 50), context: Fixture.context())
        #expect(first.events.map(\.kind) == [.reserved])
        #expect(second.events.map(\.kind) == [.rescheduled])
        #expect(second.events[0].actor == "ops@host (cli)")
        #expect(second.events[0].sequence == first.events[0].sequence + 1)
    }

    @Test func retryDefaultsToTheEarliestAllowedMinute() throws {
        var state = Fixture.state([Fixture.task([Fixture.resource("r1", .failed, failures: 1, lastFailure: -1)])])
        try state.apply(.retry(taskID: "MT-0001", resourceIDs: ["r1"], at: nil, force: false), context: Fixture.context(hours: 0.001))
        let r = state.task(id: "MT-0001")!.resources[0]
        #expect(r.status == .reserved && r.scheduledAt == Fixture.at(hours: 24).addingTimeInterval(60))
    }

    @Test func unknownTasksAndResourcesAreNamed() {
        let state = Fixture.state([Fixture.task([Fixture.resource("r1")])])
        #expect(throws: MutationError.unknownTask("MT-9")) { try state.plan(reserve(["r1"], task: "MT-9", hours: 48), context: Fixture.context()) }
        #expect(throws: MutationError.unknownResource(taskID: "MT-0001", resourceID: "zz")) {
            try state.plan(reserve(["zz"], hours: 48), context: Fixture.context())
        }
    }

    @Test func importRefusesDuplicatesAndInvalidTasks() {
        let state = Fixture.state([Fixture.task([Fixture.resource("r1")])])
        #expect(throws: MutationError.duplicateTask("MT-0001")) {
            try state.plan(.importTasks([Fixture.task([Fixture.resource("r1")])]), context: Fixture.context())
        }
        var bad = Fixture.task("MT-0002", mandatory: true, [Fixture.resource("r1")])
        bad.deadline = nil
        #expect(throws: MutationError.invalid("task MT-0002: a mandatory task needs a deadline")) {
            try state.plan(.importTasks([bad]), context: Fixture.context())
        }
    }
}

/// A stagger's spacing is bounded, and no slot may land where a date cannot be written (issue 38: a stagger of
/// 9999999999999 minutes trapped while a refusal worded its date).
struct StaggerBoundsTests {
    typealias F = Fixture

    func plan(_ stagger: Stagger, at hours: Double, resources: Int = 3) throws -> Plan {
        let state = F.state([F.task((1...resources).map { F.resource("r\($0)") })])
        return try state.plan(.reserve(taskID: "MT-0001", selection: .ids((1...resources).map { "r\($0)" }), at: F.at(hours: hours), stagger: stagger, force: false),
                              context: F.context())
    }

    @Test(arguments: [1e20, 9_999_999_999_999 * 60, Double.infinity, Double.nan, 0, -60, 7 * 86400 + 1] as [Double])
    func aSpacingOutsideAWeekIsRefusedWithoutTrapping(_ spacing: Double) {
        #expect(throws: MutationError.self) { _ = try plan(Stagger(spacing: spacing), at: 48) }
    }

    @Test func slotsPastTheYear9999AreRefusedBeforeAnyDateIsWorded() throws {
        let lastDay = Stagger.latestInstant.timeIntervalSince(F.now) / 3600 - 24
        do {
            _ = try plan(Stagger(spacing: 7 * 86400), at: lastDay)
            Issue.record("slots past 9999 were accepted")
        } catch {
            #expect("\(error)".contains("past the year 9999"), "\(error)")
        }
        #expect(try plan(Stagger(spacing: 7 * 86400), at: 48).changes.count == 3, "a week's spacing is fine")
    }
}
