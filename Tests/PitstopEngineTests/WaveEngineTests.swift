import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import Testing

/// Waves at start time: wave N+1 waits for every resource of wave N to finish, then for the soak.
@Suite(.serialized)
struct WaveEngineTests {
    @Test func aLaterWaveWaitsForThePreviousOneAndItsSoak() throws {
        var task = EngineHarness.task("T", machines: ["a", "b", "c"], duration: 60, retries: 0)
        task.waves = [.count(1), .percent(100)]
        task.soak = 600
        let h = try EngineHarness(tasks: [task])
        // All three reserved for the same minute: a alone is wave 1 (it comes first in task order).
        try h.reserve("T", ["a", "b", "c"], inSeconds: 60)
        try h.run(seconds: 70, step: 5)
        #expect(h.startOrder == ["T/a"])
        #expect(h.resource("T", "b").heldReason == "wave 2 of 2 waits for wave 1 (name-a)")
        try h.run(seconds: 60, step: 5)
        #expect(h.resource("T", "a").status == .completed)
        #expect(h.resource("T", "b").heldReason?.hasPrefix("wave 2 of 2 soaks until ") == true && h.startOrder == ["T/a"])
        try h.run(seconds: 600, step: 10)
        #expect(Set(h.startOrder) == ["T/a", "T/b", "T/c"])
        let aDone = try #require(h.events(.completed).first { $0.resourceID == "a" }?.time)
        let bStart = try #require(h.events(.started).first { $0.resourceID == "b" }?.time)
        #expect(bStart >= aDone.addingTimeInterval(600), "the soak passed first")
    }

    @Test func aShareOfFailuresHaltsTheTask() throws {
        var task = EngineHarness.task("T", machines: (0..<10).map { "m\($0)" }, duration: 10, failureRate: 1, retries: 0)
        task.maxFailuresPercent = 20
        let h = try EngineHarness(tasks: [task]) { $0.maxConcurrency = 1 }
        try h.reserve("T", (0..<10).map { "m\($0)" }, inSeconds: 60)
        try h.run(seconds: 200, step: 5)
        #expect(h.state.task(id: "T")!.halted)
        #expect(h.events(.halted).first?.message.contains("reaching maxFailures 20% (2)") == true)
        #expect(h.events(.failed).count == 2)
    }
}
