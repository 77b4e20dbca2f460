import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import Testing

/// Clusters at start time, on the injected clock: a primary waits for its replicas, a failed replica keeps
/// it held until its start window ends, and one cluster runs `clusterConcurrency` members at a time.
@Suite(.serialized)
struct TopologyEngineTests {
    /// A task over cluster `orders`: replicas r1 and r2, and primary p.
    static func cluster(_ id: String = "T", duration: Double = 60) -> MaintenanceTask {
        var task = EngineHarness.task(id, machines: ["r1", "r2", "p"], duration: duration, retries: 0)
        for index in task.resources.indices {
            task.resources[index].cluster = "orders"
            task.resources[index].role = task.resources[index].id == "p" ? .primary : .replica
        }
        return task
    }

    @Test func aPrimaryWaitsForItsReplicasThenStartsAfterThem() throws {
        let h = try EngineHarness(tasks: [Self.cluster()])
        // All three due at once: the replicas start, the primary is held until both complete.
        try h.store.mutate(.reserve(taskID: "T", selection: .ids(["r1", "r2"]), at: h.clock.now.addingTimeInterval(60), stagger: nil, force: false), context: EngineHarness.context(h.clock.now))
        try h.reserve("T", ["p"], inSeconds: 120)
        try h.run(seconds: 125, step: 5)
        #expect(h.resource("T", "p").status == .reserved)
        #expect(h.resource("T", "p").heldReason?.hasPrefix("waiting for replica name-r") == true)
        try h.run(seconds: 120, step: 5)
        #expect(h.resource("T", "p").status == .completed)
        #expect(h.startOrder == ["T/r1", "T/r2", "T/p"])
        let starts = Dictionary(uniqueKeysWithValues: h.events(.started).map { ($0.resourceID!, $0.time) })
        let replicasDone = h.events(.completed).filter { $0.resourceID != "p" }.map(\.time).max()!
        #expect(starts["p"]! >= replicasDone, "the primary started after both replicas completed")
        #expect(h.resource("T", "p").heldReason == nil)
    }

    @Test func theLiveRolesOrderTheClusterAfterASwitchoverTheTaskDoesNotKnow() throws {
        // Patroni says r1 leads now and p replicates: p goes first, r1 waits for the replicas.
        var task = Self.cluster()
        for index in task.resources.indices { task.resources[index].labels = [PatroniCluster.memberLabel: task.resources[index].id] }
        let h = try EngineHarness(tasks: [task])
        try h.store.mutate(.observeRoles(cluster: "orders", roles: ["r1": .primary, "p": .replica, "r2": .replica]), context: EngineHarness.context(h.clock.now))
        try h.reserve("T", ["r2", "p"], inSeconds: 60)
        try h.reserve("T", ["r1"], inSeconds: 61)
        try h.run(seconds: 65, step: 5)
        #expect(h.resource("T", "r1").heldReason?.hasPrefix("waiting for replica name-") == true)
        try h.run(seconds: 300, step: 5)
        #expect(h.resource("T", "r1").status == .completed)
        #expect(h.startOrder.last == "T/r1", "the live primary last: \(h.startOrder)")
    }

    @Test func thousandsOfHeldPrimariesAreRecordedAFewTicksApartNotAllInOne() throws {
        // 1,500 clusters of a replica and a primary, all due at once, with one start at a time: every primary
        // is held, more than one tick records.
        let count = Engine.holdsPerTick * 3 / 2
        var task = EngineHarness.task("BIG", machines: (0..<count).flatMap { ["r\($0)", "p\($0)"] }, duration: 600, retries: 0)
        for index in task.resources.indices {
            let id = task.resources[index].id
            task.resources[index].cluster = "c" + id.dropFirst()
            task.resources[index].role = id.hasPrefix("p") ? .primary : .replica
        }
        let h = try EngineHarness(tasks: [task]) { $0.maxConcurrency = 1 }
        try h.reserve("BIG", task.resources.map(\.id).filter { $0.hasPrefix("r") }, inSeconds: 60)
        try h.reserve("BIG", task.resources.map(\.id).filter { $0.hasPrefix("p") }, inSeconds: 61)
        let heldCount = { h.state.task(id: "BIG")!.resources.filter { $0.heldReason != nil }.count }
        h.clock.advance(by: 62)
        try h.engine.tick()
        #expect(heldCount() == Engine.holdsPerTick, "one tick records at most holdsPerTick")
        try h.engine.tick()
        #expect(heldCount() == count, "the next records the rest")
        #expect(h.events(.started).count == 1)
    }

    @Test func aFailedReplicaHoldsThePrimaryUntilItsStartWindowEnds() throws {
        var task = Self.cluster()
        task.executor = .simulated(SimulatedExecutor(durationSeconds: 30, jitter: 0, failureRate: 1, seed: 1))
        let h = try EngineHarness(tasks: [task])
        try h.reserve("T", ["r1"], inSeconds: 60)
        try h.reserve("T", ["p"], inSeconds: 300)
        try h.run(seconds: 120, step: 5)
        #expect(h.resource("T", "r1").status == .failed)
        try h.run(seconds: 200, step: 10)
        #expect(h.resource("T", "p").status == .reserved && h.resource("T", "p").heldReason == "waiting for replica name-r1")
        try h.run(seconds: 15 * 60, step: 30)
        let p = h.resource("T", "p")
        #expect(p.status == .pending && p.heldReason == nil && p.lastMessage.hasPrefix("held past its start window"))
        #expect(h.events(.held).count == 1 && h.events(.missed).isEmpty)
        #expect(h.events(.notified).contains { $0.message.contains("HELD past its start window") })
        #expect(!h.startOrder.contains("T/p"), "never started")
    }

    @Test func oneClusterRunsClusterConcurrencyMembersAtOnceAcrossTasks() throws {
        var other = EngineHarness.task("U", machines: ["r3"], duration: 60)
        other.resources[0].cluster = "orders"
        other.resources[0].role = .replica
        let h = try EngineHarness(tasks: [Self.cluster(), other])
        try h.reserve("T", ["r1", "r2"], inSeconds: 60)
        try h.reserve("U", ["r3"], inSeconds: 60)
        try h.run(seconds: 65, step: 5)
        #expect(h.events(.started).count == 1, "one member of orders at a time (policy default 1)")
        try h.run(seconds: 200, step: 5)
        #expect(h.events(.started).count == 3 && h.events(.completed).count == 3)
        // With two allowed, two start together.
        let wide = try EngineHarness(tasks: [Self.cluster(), other]) { $0.clusterConcurrency = 2 }
        try wide.reserve("T", ["r1", "r2"], inSeconds: 60)
        try wide.reserve("U", ["r3"], inSeconds: 60)
        try wide.run(seconds: 65, step: 5)
        #expect(wide.events(.started).count == 2)
    }
}
