import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// The `/` filter's index: the same answers as reading every field, narrowed as the query grows, and rebuilt
/// when what a task can be found by changes.
struct TaskSearchTests {
    /// The filter's meaning, written out plainly: a field of the task or of any of its resources contains it.
    func plainly(_ fleet: FleetState, _ needle: String) -> Set<String> {
        Set(fleet.tasks.filter { task in
            ([task.id, task.title, task.service.rawValue, task.type.rawValue] + task.resources.flatMap { [$0.id, $0.name] })
                .contains { $0.lowercased().contains(needle) }
        }.map(\.id))
    }

    @Test(arguments: ["mt-000", "orders", "pg-01-primary", "커널", "postgresql", "config", "zzz-none", "e", "1\n2"])
    func answersAsReadingEveryFieldWould(needle: String) {
        var search = TaskSearch()
        #expect(search.matches(needle, in: TUIFixture.fleet) == plainly(TUIFixture.fleet, needle))
    }

    @Test func aGrowingQueryNarrowsAndAShorterOneWidensAgain() {
        var search = TaskSearch()
        let fleet = TUIFixture.fleet
        for needle in ["o", "or", "ord", "orde", "or", "", "pg", "pg-0"] where !needle.isEmpty {
            #expect(search.matches(needle, in: fleet) == plainly(fleet, needle), "\(needle)")
        }
    }

    @Test func anImportedTaskIsFoundByItsText() throws {
        var fleet = TUIFixture.fleet
        var search = TaskSearch()
        #expect(search.matches("brought in", in: fleet).isEmpty)
        var task = try #require(fleet.task(id: "MT-0003"))
        task.id = "MT-0500"
        task.title = "Brought in by import"
        task.resources = [Resource(id: "fresh-01", name: "fresh-db-01")]
        try fleet.apply(.importTasks([task]), context: MutationContext(now: TUIFixture.now, actor: "ops", timeZone: TUIFixture.utc))
        #expect(search.matches("brought in", in: fleet) == ["MT-0500"])
        #expect(search.matches("fresh-db", in: fleet) == ["MT-0500"])
        let version = fleet.catalogVersion
        try fleet.apply(.exclude(taskID: "MT-0500", resourceIDs: ["fresh-01"]),
                        context: MutationContext(now: TUIFixture.now, actor: "ops", timeZone: TUIFixture.utc))
        #expect(fleet.catalogVersion == version, "a status change leaves the index alone")
    }

    @Test func typingIntoTheFilterShowsTheMatchingTasks() {
        var state = TUIFixture.state(width: 120, height: 30)
        TUIFixture.send(&state, .char("/"), .char("커"), .char("널"))
        #expect(Set(state.visibleTaskIDs) == plainly(TUIFixture.fleet, "커널") && !state.visibleTaskIDs.isEmpty)
        TUIFixture.send(&state, .backspace, .backspace)
        #expect(state.visibleTaskIDs.count == TUIFixture.fleet.tasks.count)
    }

    @Test func aReloadedFleetWithOtherTasksOfTheSameCountIsSearchedAfresh() throws {
        var search = TaskSearch()
        // Both states as a store open and a later reload build them: from parts, neither through `commit`.
        let fixture = TUIFixture.fleet
        let before = FleetState(tasks: fixture.tasks, policy: fixture.policy, log: fixture.events)
        #expect(search.matches("renamed on disk", in: before).isEmpty)
        var tasks = before.tasks
        tasks[0].title = "Renamed on disk"
        let reloaded = FleetState(tasks: tasks, policy: before.policy, log: before.events)
        #expect(search.matches("renamed on disk", in: reloaded) == [tasks[0].id])
    }
}

/// The filter as a person pastes into it and as the console prepares it (SPEC §17).
struct FilterIndexTests {
    @Test func aKoreanNamePastedDecomposedMatchesTheComposedName() {
        var state = TUIFixture.state()
        let decomposed = "결제".decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count > "결제".unicodeScalars.count)
        TUIFixture.send(&state, .char("/"))
        for character in decomposed { TUIFixture.send(&state, .char(character)) }
        #expect(state.visibleTaskIDs.contains("MT-0099"), "\(state.visibleTaskIDs)")
    }

    @Test func anIndexBuiltElsewhereIsAdoptedAndUsedByTheFirstKey() {
        let fleet = TUIFixture.fleet
        var state = TUIFixture.state()
        let built = TaskSearchIndex(Array(fleet.tasks), catalogVersion: fleet.catalogVersion)
        _ = Reducer.reduce(&state, .searchIndexReady(built), fleet: fleet)
        #expect(state.search.index === built)
        TUIFixture.send(&state, .char("/"), .char("m"))
        #expect(state.search.index === built, "the first key did not build another")
        // An index of another catalog (the fleet changed meanwhile) is not taken.
        var other = TUIFixture.state()
        _ = Reducer.reduce(&other, .searchIndexReady(TaskSearchIndex([], catalogVersion: CatalogVersion())), fleet: fleet)
        #expect(other.search.index == nil)
    }
}
