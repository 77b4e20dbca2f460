import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// The resource pane's BY column: who made the newest change to each resource, followed as events arrive.
struct ResourceChangesTests {
    func context(_ actor: String) -> MutationContext { MutationContext(now: TUIFixture.now, actor: actor, timeZone: TUIFixture.utc) }

    func pendingResource(_ fleet: FleetState) throws -> (MaintenanceTask, Resource) {
        let task = try #require(fleet.tasks.first { $0.resources.filter { $0.status == .pending }.count >= 2 })
        return (task, try #require(task.resources.first { $0.status == .pending }))
    }

    /// Applies `mutation` as `actor`, then brings `changes` up to date with task `taskID`.
    func apply(_ mutation: Mutation, by actor: String, to fleet: inout FleetState, _ changes: inout ResourceChanges, taskID: String) throws {
        _ = try fleet.apply(mutation, context: context(actor))
        changes.update(for: fleet.task(id: taskID), events: fleet.events)
    }

    @Test func theNewestEventNamingAResourceGivesItsActor() throws {
        var fleet = TUIFixture.fleet
        let (task, resource) = try pendingResource(fleet)
        _ = try fleet.apply(.exclude(taskID: task.id, resourceIDs: [resource.id]), context: context("bob@bastion (tui)"))
        _ = try fleet.apply(.include(taskID: task.id, resourceIDs: [resource.id]), context: context("alice@bastion (cli)"))
        // A notification about it changes nothing.
        _ = try fleet.apply(.recordEvents([EventDraft(kind: .notified, taskID: task.id, resourceID: resource.id, message: "due in 5m")]),
                            context: context("engine"))
        var changes = ResourceChanges()
        changes.update(for: fleet.task(id: task.id), events: fleet.events)
        #expect(changes.actor(of: resource.id) == "alice@bastion (cli)")
        try apply(.recordEvents([EventDraft(kind: .notified, taskID: task.id, resourceID: resource.id, message: "due in 1m")]),
                  by: "engine", to: &fleet, &changes, taskID: task.id)
        #expect(changes.actor(of: resource.id) == "alice@bastion (cli)", "nor a new one")
    }

    @Test func aRehearsalIsTheResourcesLastDryRunAndChangesNobodysName() throws {
        var fleet = TUIFixture.fleet
        let (task, resource) = try pendingResource(fleet)
        _ = try fleet.apply(.exclude(taskID: task.id, resourceIDs: [resource.id]), context: context("bob@bastion (tui)"))
        _ = try fleet.apply(.recordEvents([EventDraft(kind: .rehearsed, taskID: task.id, resourceID: resource.id, message: "refused: lag")]),
                            context: context("carol@bastion (cli)"))
        var changes = ResourceChanges()
        changes.update(for: fleet.task(id: task.id), events: fleet.events)
        #expect(changes.rehearsal(of: resource.id)?.message == "refused: lag", "found through the index when the task is selected")
        #expect(changes.actor(of: resource.id) == "bob@bastion (tui)", "a dry run changed nothing")
        try apply(.recordEvents([EventDraft(kind: .rehearsed, taskID: task.id, resourceID: resource.id, message: "ready: fine")]),
                  by: "carol@bastion (cli)", to: &fleet, &changes, taskID: task.id)
        #expect(changes.rehearsal(of: resource.id)?.message == "ready: fine", "and followed as new ones arrive")
        #expect(changes.rehearsal(of: task.resources.last { $0.id != resource.id }?.id ?? "") == nil)
    }

    @Test func newEventsAreFollowedAndAnotherTaskIsLookedUpAgain() throws {
        var fleet = TUIFixture.fleet
        let (task, resource) = try pendingResource(fleet)
        var changes = ResourceChanges()
        changes.update(for: fleet.task(id: task.id), events: fleet.events)
        let before = changes.actor(of: resource.id)
        #expect(before != "carol@bastion (tui)")
        try apply(.exclude(taskID: task.id, resourceIDs: [resource.id]), by: "carol@bastion (tui)", to: &fleet, &changes, taskID: task.id)
        #expect(changes.actor(of: resource.id) == "carol@bastion (tui)", "read from the new event alone")
        let other = try #require(fleet.tasks.first { $0.id != task.id })
        changes.update(for: other, events: fleet.events)
        #expect(changes.taskID == other.id && changes.actor(of: resource.id) == nil || other.resources.contains { $0.id == resource.id })
        changes.update(for: fleet.task(id: task.id), events: fleet.events)
        #expect(changes.actor(of: resource.id) == "carol@bastion (tui)", "found again, newest first")
    }

    @Test func aReplacedEventListIsReadAgain() throws {
        var fleet = TUIFixture.fleet
        let (task, resource) = try pendingResource(fleet)
        var changes = ResourceChanges()
        try apply(.exclude(taskID: task.id, resourceIDs: [resource.id]), by: "dave@bastion (cli)", to: &fleet, &changes, taskID: task.id)
        #expect(changes.actor(of: resource.id) == "dave@bastion (cli)")
        // A reload that leaves fewer events (say, the list was cut) must not keep an answer from the old list.
        changes.update(for: fleet.task(id: task.id), events: TUIFixture.fleet.events)
        #expect(changes.actor(of: resource.id) != "dave@bastion (cli)")
    }

    @Test func theResourcePaneShowsWhoChangedEachResourceLast() throws {
        var fleet = TUIFixture.fleet
        let task = try #require(fleet.task(id: "MT-0002"))
        let resource = try #require(task.resources.first { $0.status == .pending || $0.status == .reserved })
        _ = try fleet.apply(.exclude(taskID: task.id, resourceIDs: [resource.id]), context: context("root@bastion (cli, sudo by alice)"))
        var state = TUIFixture.state(width: 140, height: 30)
        TUIFixture.send(&state, .down, .enter, fleet: fleet)
        let buffer = Renderer.render(state, fleet: fleet)
        expectGolden(buffer, "resources-by-140x30")
        let lines = buffer.text.split(separator: "\n")
        #expect(lines.contains { $0.contains("BY") && $0.contains("SCHEDULE") })
        let row = try #require(lines.first { $0.contains(resource.name) && $0.contains("excluded") })
        #expect(row.contains(" alice (sudo)") && !row.contains("root@"), "\(row)")
    }
}
