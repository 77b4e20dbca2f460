import Foundation
import Synchronization
@testable import PitstopCore
import Testing

/// A fleet's tasks loaded lazily: each decoded once, on first read, from any thread; writes stay the
/// writer's; and what a list knows without decoding (ids, summaries, a machine's tasks) matches the tasks.
struct TaskListTests {
    /// A source over fixed tasks that counts what it is asked.
    final class CountingSource: TaskSource, @unchecked Sendable {
        let tasks: [MaintenanceTask]
        let decodes = Mutex<[Int]>([])

        init(_ tasks: [MaintenanceTask]) { self.tasks = tasks }

        var count: Int { tasks.count }
        func id(at position: Int) -> String { tasks[position].id }
        func summary(at position: Int) -> TaskSummary { TaskSummary(tasks[position]) }
        func head(at position: Int) -> MaintenanceTask {
            var head = tasks[position]
            head.resources = []
            return head
        }
        func task(at position: Int) -> MaintenanceTask {
            decodes.withLock { $0.append(position) }
            return tasks[position]
        }
        func tasks(at positions: ArraySlice<Int>) -> [MaintenanceTask] { positions.map { task(at: $0) } }
        let released = Mutex(false)
        func everyTaskDecoded() { released.withLock { $0 = true } }
        func prepareToDecode(_ positions: ArraySlice<Int>) {}
        func positions(mayHoldMachine id: String) -> [Int] {
            tasks.indices.filter { tasks[$0].resources.contains { $0.id == id } }
        }
        var decoded: [Int] { decodes.withLock { $0 } }
    }

    private func fleet(_ count: Int = 6) -> [MaintenanceTask] {
        (0..<count).map { n in
            Fixture.task("MT-\(n)", [Fixture.resource("db-\(n)-a"), Fixture.resource("db-\(n)-b", n % 2 == 0 ? .failed : .completed), Fixture.resource("shared")])
        }
    }

    @Test func readingOneTaskDecodesThatTaskOnceAndNothingElse() {
        let source = CountingSource(fleet())
        let list = TaskList(source: source)
        #expect(list.count == 6 && !list.isFullyDecoded)
        #expect(list[3].id == "MT-3")
        #expect(list[3].resources.count == 3)
        #expect(source.decoded == [3])
        #expect(list.id(at: 5) == "MT-5" && list.summary(at: 4).counts.failed == 1 && list.head(at: 2).resources.isEmpty)
        #expect(list.resourceCount == 18)
        #expect(source.decoded == [3], "ids, summaries, heads and counts decode nothing")
    }

    @Test func copiesShareWhatIsDecodedAndKeepTheirOwnWrites() {
        let source = CountingSource(fleet())
        let list = TaskList(source: source)
        var copy = list
        copy[1].resources[0].status = .reserved
        copy.append(Fixture.task("MT-new", [Fixture.resource("x")]))
        #expect(list[1].resources[0].status == .pending, "the original keeps what the snapshot says")
        #expect(copy[1].resources[0].status == .reserved && copy.count == 7 && list.count == 6)
        #expect(copy.summary(at: 1).counts.reserved == 1 && list.summary(at: 1).counts.reserved == 0)
        #expect(source.decoded == [1], "task 1 was decoded once, for both")
        #expect(copy.writtenPositions == [1, 6])
    }

    @Test func decodingEverythingOnTwoThreadsLeavesTheSameTasksAndStopsTheLocking() {
        let tasks = fleet(200)
        let source = CountingSource(tasks)
        let list = TaskList(source: source)
        _ = list[7]
        list.decodeAll(threads: 2)
        #expect(list.isFullyDecoded && source.released.withLock { $0 }, "the source is told it may let go")
        #expect(Array(list) == tasks)
        #expect(source.decoded.count == 200, "each task decoded once, the one read before included")
    }

    @Test func aFleetLoadedLazilyFindsAMachinesTasksThroughItsSourceAndThoseWrittenSince() throws {
        let source = CountingSource(fleet())
        var state = FleetState(tasks: TaskList(source: source), policy: Policy(), log: EventLog())
        #expect(state.placements(ofMachine: "shared").map(\.task.id) == (0..<6).map { "MT-\($0)" })
        #expect(state.placements(ofMachine: "db-2-a").map(\.task.id) == ["MT-2"])
        state.commit([.updateResource(taskID: "MT-4", resource: Fixture.resource("db-2-a"))], events: [])
        state.commit([.addTask(Fixture.task("MT-9", [Fixture.resource("db-2-a")]))], events: [])
        #expect(state.placements(ofMachine: "db-2-a").map(\.task.id) == ["MT-2", "MT-4", "MT-9"])
        #expect(Set(source.decoded) == [0, 1, 2, 3, 4, 5], "the tasks named by the source, checked")
    }

    @Test func aListWithoutASourceIsAnArray() {
        var list = TaskList(fleet(3))
        #expect(list.isFullyDecoded && list.source == nil && list.writtenPositions == [0, 1, 2])
        list[0].title = "changed"
        #expect(list.map(\.title) == ["changed", "title of MT-1", "title of MT-2"])
        #expect(list == TaskList(Array(list)))
    }
}
