import Foundation
import PitstopCore
import PitstopEngine
import Testing
import PitstopStore

/// The engine on a virtual clock: ordering, limits, exclusion, retries, lockout, halts, missed starts.
@Suite(.serialized)
struct SchedulingEngineTests {
    @Test func startsDueWorkByPriorityThenTimeThenIds() throws {
        let h = try EngineHarness(tasks: [
            EngineHarness.task("T-LOW", priority: .low, machines: ["a"]),
            EngineHarness.task("T-HIGH", priority: .high, machines: ["c", "b"]),
            EngineHarness.task("T-MED", priority: .medium, machines: ["d"]),
        ]) { $0.maxConcurrency = 1 }
        try h.reserve("T-LOW", ["a"], inSeconds: 100)
        try h.reserve("T-HIGH", ["c", "b"], inSeconds: 110)
        try h.reserve("T-MED", ["d"], inSeconds: 90)
        h.clock.advance(by: 115)  // all four are due when the engine looks
        try h.run(seconds: 60)
        #expect(h.startOrder == ["T-HIGH/b", "T-HIGH/c", "T-MED/d", "T-LOW/a"])
    }

    @Test func neverExceedsTheGlobalLimit() throws {
        let machines = (1...6).map { "m\($0)" }
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: machines, duration: 30)]) { $0.maxConcurrency = 2 }
        try h.reserve("T", machines, inSeconds: 120)
        var peak = 0
        for _ in 0..<250 {
            try h.run(seconds: 1)
            peak = max(peak, h.state.task(id: "T")!.resources.filter { $0.status == .inProgress }.count)
        }
        #expect(peak == 2)
        #expect(h.state.task(id: "T")!.status == .completed)
    }

    @Test func honoursThePerTaskLimit() throws {
        let h = try EngineHarness(tasks: [
            EngineHarness.task("A", machines: ["a1", "a2", "a3"], duration: 20, maxConcurrency: 1),
            EngineHarness.task("B", machines: ["b1", "b2"], duration: 20),
        ])
        try h.reserve("A", ["a1", "a2", "a3"], inSeconds: 120)
        try h.reserve("B", ["b1", "b2"], inSeconds: 120)
        try h.run(seconds: 122)
        let running = h.state.tasks.flatMap { t in t.resources.filter { $0.status == .inProgress }.map { "\(t.id)/\($0.id)" } }
        #expect(running.sorted() == ["A/a1", "B/b1", "B/b2"])
    }

    @Test func neverRunsOneMachineTwiceAtOnceAcrossTasks() throws {
        let h = try EngineHarness(tasks: [
            EngineHarness.task("A", priority: .high, machines: ["db"], duration: 60),
            EngineHarness.task("B", priority: .low, machines: ["db"], duration: 60),
        ]) { $0.conflictWindow = 0 }
        try h.reserve("A", ["db"], inSeconds: 120)
        try h.reserve("B", ["db"], inSeconds: 120)
        try h.run(seconds: 125)
        #expect(h.resource("A", "db").status == .inProgress && h.resource("B", "db").status == .reserved)
        try h.run(seconds: 120)
        #expect(h.resource("A", "db").status == .completed && h.resource("B", "db").status == .completed)
    }

    @Test func retriesWithExponentialBackoffThenFails() throws {
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["m"], duration: 10, failureRate: 1, retries: 2)])
        try h.reserve("T", ["m"], inSeconds: 60)
        try h.run(seconds: 71)
        #expect(h.resource("T", "m").status == .inProgress && h.resource("T", "m").attempts == 2, "attempt 1 failed; waiting")
        let firstFailure = try #require(h.events(.attemptFailed).first).time
        try h.run(seconds: 29)
        #expect(h.resource("T", "m").attempts == 2 && h.events(.attemptFailed).count == 1)
        try h.run(seconds: 11)  // 30 s backoff, then a 10 s attempt
        let second = try #require(h.events(.attemptFailed).last)
        #expect(second.time.timeIntervalSince(firstFailure) == 40)
        try h.run(seconds: 60 + 10)  // 60 s backoff, then the last attempt
        let r = h.resource("T", "m")
        #expect(r.status == .failed && r.failures == 1 && r.attempts == 3)
        #expect(h.events(.notified).contains { $0.key?.hasPrefix("failed:T:m") == true })
    }

    @Test func threeFailedExecutionsLockTheResourceOut() throws {
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["m"], duration: 5, failureRate: 1)])
        for _ in 0..<3 {
            try h.reserve("T", ["m"], inSeconds: 60, force: false)
            try h.run(seconds: 70)
        }
        #expect(h.resource("T", "m").failures == 3 && h.events(.lockedOut).count == 1)
        #expect(throws: MutationError.self) { try h.reserve("T", ["m"], inSeconds: 120) }
        try h.reserve("T", ["m"], inSeconds: 120, force: true)
    }

    @Test func haltsAtMaxFailuresAndGoesOnWhenResumed() throws {
        let machines = ["m1", "m2", "m3", "m4"]
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: machines, duration: 5, failureRate: 1, maxConcurrency: 1, maxFailures: 2)])
        try h.reserve("T", machines, inSeconds: 60)
        try h.run(seconds: 75)
        let task = h.state.task(id: "T")!
        #expect(task.halted && h.events(.halted).count == 1)
        #expect(task.resources.filter { $0.status == .failed }.count == 2)
        #expect(task.resources.filter { $0.status == .reserved }.count == 2, "nothing more starts while halted")
        try h.store.mutate(.resume(taskID: "T"), context: EngineHarness.context(h.clock.now))
        #expect(!h.state.task(id: "T")!.halted)
    }

    @Test func aReservationFoundPastItsWindowIsMissedNotStarted() throws {
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["m"])])
        try h.reserve("T", ["m"], inSeconds: 60)
        h.clock.advance(by: 60 + 16 * 60)  // the engine was down past the 15-minute window
        try h.engine.tick()
        let r = h.resource("T", "m")
        #expect(r.status == .pending && r.scheduledAt == nil)
        #expect(h.events(.missed).count == 1 && h.events(.started).isEmpty)
        #expect(h.events(.notified).contains { $0.key?.hasPrefix("missed:T:m") == true })
    }

    @Test func anInProcessAttemptOfAStoppedEngineIsStartedAgainNotFailed() throws {
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["m"], duration: 600)])
        try h.reserve("T", ["m"], inSeconds: 60)
        try h.run(seconds: 65)
        let before = h.resource("T", "m")
        #expect(before.status == .inProgress && before.attemptID != nil)
        try h.restartEngine()
        let after = h.resource("T", "m")
        #expect(after.status == .inProgress && after.failures == 0 && after.attemptID == before.attemptID)
        #expect(h.events(.restarted).count == 1 && h.events(.restarted)[0].attemptID == before.attemptID)
        try h.run(seconds: 700, step: 10)
        #expect(h.resource("T", "m").status == .completed)
        #expect(h.events(.started).count == 1 && h.events(.completed).count == 1)
    }

    @Test func eachAttemptGetsItsOwnIdAndOutcomesNameIt() throws {
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["m"], duration: 10, failureRate: 1, retries: 1)])
        try h.reserve("T", ["m"], inSeconds: 60)
        try h.run(seconds: 200, step: 5)
        let started = try #require(h.events(.started).first?.attemptID)
        let retried = try #require(h.events(.attemptFailed).first?.attemptID)
        #expect(started != retried)
        #expect(h.events(.failed).first?.attemptID == retried)
        #expect(h.resource("T", "m").attemptID == retried)
    }

    @Test func aReportAboutAnAttemptThatIsOverIsRefused() throws {
        let h = try EngineHarness(tasks: [EngineHarness.task("T", machines: ["m"], duration: 600)])
        try h.reserve("T", ["m"], inSeconds: 60)
        try h.run(seconds: 65)
        let id = try #require(h.resource("T", "m").attemptID)
        let context = EngineHarness.context(h.clock.now)
        #expect(throws: MutationError.self) {
            try h.store.mutate(.complete(taskID: "T", resourceID: "m", message: "late", attempt: id + 1000), context: context)
        }
        try h.store.mutate(.complete(taskID: "T", resourceID: "m", message: "done", attempt: id), context: context)
        #expect(throws: MutationError.self) {
            try h.store.mutate(.complete(taskID: "T", resourceID: "m", message: "twice", attempt: id), context: context)
        }
        #expect(h.events(.completed).count == 1)
    }
}
