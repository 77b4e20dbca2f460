import Foundation
import PitstopCore
@testable import PitstopEngine
import PitstopTestSupport
import Testing

/// Auto-reservation before mandatory deadlines, and prior notifications with their deduplication.
@Suite(.serialized)
struct DeadlineAndNotificationTests {
    @Test func autoReservesPendingResourcesAtDeadlineMinusMarginStaggered() throws {
        let h = try EngineHarness(tasks: [
            EngineHarness.task("T", machines: ["a", "b", "c"], duration: 60, maxConcurrency: 2, deadlineIn: 3 * 86400)
        ]) {
            $0.minLeadTime = 86400
            $0.autoApplyMargin = 7200
        }
        try h.engine.tick()
        #expect(h.events(.autoReserved).isEmpty, "not yet: deadline − margin is more than the lead time away")
        h.clock.set(EngineHarness.start.addingTimeInterval(2 * 86400 - 7200))
        try h.engine.tick()
        let target = EngineHarness.start.addingTimeInterval(3 * 86400 - 7200)
        let times = ["a", "b", "c"].map { h.resource("T", $0).scheduledAt }
        #expect(times == [target, target, target.addingTimeInterval(300)])
        #expect(h.events(.autoReserved).count == 3 && h.events(.notified).contains { $0.key?.hasPrefix("auto-reserved:T") == true })
    }

    @Test func autoApplyCanBeTurnedOff() throws {
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["a"], deadlineIn: 3 * 86400)]) {
            $0.minLeadTime = 86400
            $0.autoApply = false
        }
        h.clock.set(EngineHarness.start.addingTimeInterval(2 * 86400))
        try h.engine.tick()
        #expect(h.events(.autoReserved).isEmpty && h.resource("T", "a").status == .pending)
    }

    @Test func notifiesAtEachLeadTimeOnceEvenAcrossARestart() throws {
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["m"])]) { $0.notifyLeadTimes = [3600, 600] }
        try h.reserve("T", ["m"], inSeconds: 2 * 3600)
        try h.run(seconds: 3600 - 60, step: 60)
        #expect(h.events(.notified).isEmpty)
        try h.run(seconds: 120, step: 60)
        #expect(h.events(.notified).map { $0.key!.split(separator: ":").last! } == ["3600"])
        try h.restartEngine()
        try h.run(seconds: 60 * 48, step: 60)
        #expect(h.events(.notified).count == 1, "the restart did not notify again")
        try h.run(seconds: 120, step: 60)
        #expect(h.events(.notified).map { $0.key!.split(separator: ":").last! } == ["3600", "600"])
    }

    @Test func aStoredLeadKeyReadsBackAsTheSameValueWhateverTheIdsHold() {
        let key = NotificationPlanner.LeadKey(taskID: "MT:1", resourceID: "db:one", at: 1_795_608_000, lead: 600)
        #expect(NotificationPlanner.LeadKey(key: key.text, taskID: "MT:1", resourceID: "db:one") == key)
        #expect(NotificationPlanner.LeadKey(key: key.text, taskID: "MT:1", resourceID: "db") == nil, "another resource's key")
        #expect(NotificationPlanner.LeadKey(key: "deadline:MT-1:1795608000:1d", taskID: "MT-1", resourceID: nil) == nil)
    }

    @Test func warnsSevenDaysAndOneDayBeforeADeadlineWithPendingResources() throws {
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["m"], deadlineIn: 8 * 86400)]) { $0.autoApply = false }
        try h.engine.tick()
        #expect(h.events(.notified).isEmpty)
        h.clock.advance(by: 86400 + 60)
        try h.engine.tick()
        try h.engine.tick()
        h.clock.advance(by: 6 * 86400)
        try h.engine.tick()
        #expect(h.events(.notified).compactMap { $0.key?.split(separator: ":").last.map(String.init) } == ["7d", "1d"])
    }

    @Test func aFailingNotifyCommandBecomesAnEvent() throws {
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["m"], deadlineIn: 2 * 86400)]) {
            $0.autoApply = false
            $0.notifyCommand = ["/bin/sh", "-c", "cat >/dev/null; exit 7"]
        }
        try h.engine.tick()
        try waitUntil(10) {
            try h.engine.tick()
            return !h.events(.notifyFailed).isEmpty
        }
        #expect(h.events(.notifyFailed).first?.message.contains("exited with status 7") == true)
    }

    @Test func theNotifyCommandReadsTheEventAsJSON() throws {
        let out = NSTemporaryDirectory() + "pitstop-notify-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["m"], deadlineIn: 2 * 86400)]) {
            $0.autoApply = false
            $0.notifyCommand = ["/bin/sh", "-c", "cat > \"$0\"", out]
        }
        try h.engine.tick()
        var object: [String: Any]?
        waitUntil(10) {
            if let data = FileManager.default.contents(atPath: out), !data.isEmpty {
                object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            }
            return object != nil
        }
        #expect(object?["kind"] as? String == "notified" && object?["taskId"] as? String == "T")
        #expect((object?["key"] as? String)?.hasPrefix("deadline:T:") == true)
    }
}

/// A crowd of reservations entering their lead time together is notified over several ticks, soonest first.
@Suite(.serialized)
struct NotificationBacklogTests {
    @Test func atMostOneBatchPerTickMostUrgentFirst() throws {
        let machines = (0..<(NotificationPlanner.perTick + 20)).map { "m\($0)" }
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: machines)]) {
            $0.notifyLeadTimes = [3600]
            $0.conflictWindow = 0
        }
        for (n, machine) in machines.enumerated() {
            try h.reserve("T", [machine], inSeconds: 7200 - Double(n))
        }
        h.clock.advance(by: 3700)
        try h.engine.tick()
        let first = h.events(.notified)
        #expect(first.count == NotificationPlanner.perTick)
        #expect(first.contains { $0.resourceID == machines.last } && !first.contains { $0.resourceID == "m0" }, "soonest first")
        try h.engine.tick()
        #expect(h.events(.notified).count == machines.count)
    }
}
