import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import PitstopTestSupport
import Testing

/// The plan preview is the engine run on a copy: what it predicts is what the engine then does on the same clock.
@Suite(.serialized)
struct PlanPreviewTests {
    let scratch = ScratchDirectory("pitstop-plan")

    func fleet() -> [MaintenanceTask] {
        var cluster = EngineHarness.task("T", machines: ["r1", "r2", "p"], duration: 90, retries: 0)
        for index in cluster.resources.indices {
            cluster.resources[index].cluster = "orders"
            cluster.resources[index].role = cluster.resources[index].id == "p" ? .primary : .replica
        }
        let limited = EngineHarness.task("U", machines: ["u1", "u2"], duration: 60, retries: 0, maxConcurrency: 1)
        let late = EngineHarness.task("V", machines: ["v1"], duration: 3600, deadlineIn: 3 * 3600)
        return [cluster, limited, late]
    }

    @Test func thePreviewMatchesWhatTheEngineThenDoes() throws {
        let h = try EngineHarness(tasks: fleet())
        try h.reserve("T", ["r1", "r2"], inSeconds: 60)
        try h.reserve("T", ["p"], inSeconds: 120)
        try h.reserve("U", ["u1", "u2"], inSeconds: 60)
        try h.reserve("V", ["v1"], inSeconds: 2 * 3600 + 60)  // runs an hour from 2h01: past its 3h deadline
        let preview = try PlanPreview.simulate(h.state, now: h.clock.now, scratch: scratch.path)
        try h.run(seconds: 4 * 3600, step: 30)
        for entry in preview.entries {
            let started = h.events(.started).first { $0.taskID == entry.taskID && $0.resourceID == entry.resourceID }?.time
            let finished = h.events(.completed).first { $0.taskID == entry.taskID && $0.resourceID == entry.resourceID }?.time
            #expect(entry.expectedStart == started, "\(entry.taskID)/\(entry.resourceID) start")
            #expect(entry.expectedEnd == finished, "\(entry.taskID)/\(entry.resourceID) end")
        }
        #expect(preview.entries.count == 6 && preview.entries.allSatisfy { $0.expectedStart != nil && $0.expectedEnd != nil }, "every one runs")
        let start = { (id: String) in preview.entries.first { $0.resourceID == id }!.expectedStart! }
        #expect(start("p") > start("r1") && start("p") > start("r2"), "the primary after its replicas, as held")
        #expect(start("u2") > start("u1"), "one at a time in U")
        #expect(preview.deadlineRisks.map(\.taskID) == ["V"] && preview.deadlineRisks.first?.resourceIDs == ["v1"])
    }

    @Test func heldAndFrozenReservationsAreForeseen() throws {
        var cluster = fleet()[0]
        cluster.resources.removeAll { $0.id == "r2" }
        let h = try EngineHarness(tasks: [cluster, EngineHarness.task("W", machines: ["w1"])])
        // The primary's replica is never reserved: held past its window. W's reservation gets a freeze over it.
        try h.reserve("T", ["p"], inSeconds: 60)
        try h.reserve("W", ["w1"], inSeconds: 3600)
        try h.store.mutate(.addFreeze(FreezeWindow(
            name: "lunch", recurrence: .once(from: EngineHarness.start.addingTimeInterval(3000), to: EngineHarness.start.addingTimeInterval(6000)),
            zone: TimeZone(identifier: "UTC")!)), context: EngineHarness.context(h.clock.now))
        let preview = try PlanPreview.simulate(h.state, now: h.clock.now, scratch: scratch.path)
        let p = try #require(preview.entries.first { $0.resourceID == "p" })
        guard case .held(let message) = p.outcome else { throw PreviewError.unexpected(p.outcome) }
        #expect(message.contains("waiting for replica name-r1") && p.expectedStart == nil)
        #expect(preview.entries.first { $0.resourceID == "r1" }?.outcome == .unscheduled)
        #expect(preview.entries.first { $0.resourceID == "w1" }?.outcome == .frozen)
    }
}

enum PreviewError: Error { case unexpected(PlanPreview.Outcome) }
