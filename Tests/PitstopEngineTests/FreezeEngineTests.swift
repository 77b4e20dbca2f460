import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import Testing

/// Freezes at start time and in auto-apply, on the injected clock.
@Suite(.serialized)
struct FreezeEngineTests {
    static func once(_ name: String, from: TimeInterval, to: TimeInterval) -> FreezeWindow {
        FreezeWindow(
            name: name, recurrence: .once(from: EngineHarness.start.addingTimeInterval(from), to: EngineHarness.start.addingTimeInterval(to)),
            zone: TimeZone(identifier: "UTC")!)
    }

    @Test func aFreezeAddedOverAReservationHoldsItAtStartTime() throws {
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["m"])])
        try h.reserve("T", ["m"], inSeconds: 600)
        // Added after the reservation was made: the rule cannot refuse it any more, so the engine does.
        try h.store.mutate(.addFreeze(Self.once("change-freeze", from: 300, to: 3600)), context: EngineHarness.context(h.clock.now))
        try h.run(seconds: 620, step: 10)
        let r = h.resource("T", "m")
        #expect(r.status == .pending && r.scheduledAt == nil && r.lastMessage == "frozen: the freeze change-freeze covers its time")
        #expect(h.events(.frozen).count == 1 && h.events(.started).isEmpty)
        #expect(h.events(.notified).contains { $0.message.contains("NOT STARTED: the freeze change-freeze") })
    }

    @Test func autoApplyPicksTheAllowedTimeClosestToItsTargetOutsideAFreeze() throws {
        // Deadline in 3 days, margin 2 h: the target (deadline − 2 h) lies inside a freeze from −6 h to −1 h.
        let deadline: TimeInterval = 3 * 86400
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["a"], duration: 600, deadlineIn: deadline)]) {
            $0.minLeadTime = 86400
            $0.autoApplyMargin = 7200
            $0.freezes = [Self.once("release-freeze", from: deadline - 6 * 3600, to: deadline - 3600)]
        }
        h.clock.set(EngineHarness.start.addingTimeInterval(2 * 86400 - 7200))
        try h.engine.tick()
        let at = try #require(h.resource("T", "a").scheduledAt)
        // Before the freeze is too soon (the lead time), so the first minute after it, whose 10-minute run still
        // ends before the deadline: the allowed time closest to deadline − margin.
        #expect(at == EngineHarness.start.addingTimeInterval(deadline - 3600), "\(at)")
        #expect(h.events(.autoReserved).count == 1)
    }

    @Test func autoApplySaysSoLoudlyWhenNoTimeIsOutsideTheFreezes() throws {
        let deadline: TimeInterval = 3 * 86400
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["a"], deadlineIn: deadline)]) {
            $0.minLeadTime = 86400
            $0.autoApplyMargin = 7200
            $0.freezes = [Self.once("everything", from: 0, to: deadline + 86400)]
        }
        h.clock.set(EngineHarness.start.addingTimeInterval(2 * 86400 - 7200))
        try h.engine.tick()
        try h.engine.tick()
        #expect(h.resource("T", "a").status == .pending && h.events(.autoReserved).isEmpty)
        let loud = h.events(.notified).filter { $0.message.contains("NO TIME to auto-reserve 1 resource(s) before the deadline outside the freeze everything") }
        #expect(loud.count == 1, "said once")
    }
}
