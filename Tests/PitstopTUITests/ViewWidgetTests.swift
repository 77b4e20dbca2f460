import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// Each view on a little buffer of its own (as ratatui tests widgets): what it must show at a size, without a
/// whole-screen golden, so a new column elsewhere rewrites none of these.
@Suite struct ViewWidgetTests {
    let fleet = TUIFixture.fleet

    func rows(_ buffer: CellBuffer) -> [String] {
        buffer.text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    @Test func aConfirmationShowsItsTitleMessageAndBothAnswers() {
        var buffer = CellBuffer(width: 50, height: 12)
        let prompt = ConfirmationPrompt(title: "Clear 2 reservations?", message: "a and b of MT-0001 go back to pending.", action: .quit)
        prompt.draw(TUIFixture.state(), fleet, into: &buffer)
        let text = rows(buffer)
        #expect(text.contains { $0.contains("Clear 2 reservations?") })
        #expect(text.contains { $0.contains("pending.") }, "the message, wrapped to the box")
        #expect(text.contains { $0.contains("y  yes") && $0.contains("n  no (Esc)") })
    }

    @Test func theFilterPromptTakesTheNotificationLine() {
        var state = TUIFixture.state(width: 60, height: 8)
        state.filter = "orders"
        state.notification = StatusLine(text: "an old message", level: .info)
        var buffer = CellBuffer(width: 60, height: 8)
        FooterView.drawNotification(state, fleet, y: 6, into: &buffer)
        FilterPrompt().draw(state, fleet, into: &buffer)
        let line = rows(buffer)[6]
        #expect(line.hasPrefix("/ orders▏") && !line.contains("old message"), "\(line)")
    }

    @Test func oneEventInFullWrapsAndScrollsOnASmallScreen() throws {
        var state = TUIFixture.state(width: 40, height: 12)
        let position = try #require(fleet.events.indices.max { fleet.events[$0].message.count < fleet.events[$1].message.count })
        var detail = EventDetailOverlay(position: position)
        var buffer = CellBuffer(width: 40, height: 12)
        detail.draw(state, fleet, into: &buffer)
        let lastWord = try #require(fleet.events[position].message.split(separator: " ").last)
        #expect(!buffer.text.contains(lastWord), "this message is longer than the box (else the test proves nothing)")
        #expect(rows(buffer).contains { $0.contains("↑↓ more") && $0.contains("Esc back") }, "it says there is more")
        let total = detail.lines(state, fleet, width: EventDetailOverlay.width(40)).count
        for _ in 0..<total { _ = detail.handle(.down, &state, fleet) }
        buffer = CellBuffer(width: 40, height: 12)
        detail.draw(state, fleet, into: &buffer)
        #expect(buffer.text.contains(lastWord), "the message's last word is reachable")
    }

    @Test func theFooterKeepsHelpAndQuitOnANarrowLine() {
        let state = TUIFixture.state(width: Layout.minimumWidth, height: 24)
        var buffer = CellBuffer(width: Layout.minimumWidth, height: 3)
        FooterView.draw(state, fleet, into: &buffer)
        let line = rows(buffer)[2]
        #expect(line.contains("? help") && line.contains("q quit"), "\(rows(buffer))")
    }

    @Test func theHelpScrolledToTheEndShowsItsLastSymbol() {
        var state = TUIFixture.state(width: 60, height: 14)
        var help = HelpOverlay()
        for _ in 0..<20 { _ = help.handle(.pageDown, &state, fleet) }
        var buffer = CellBuffer(width: 60, height: 14)
        help.draw(state, fleet, into: &buffer)
        #expect(buffer.text.contains("a marked resource"), "the last line of the help is reachable")
        #expect(rows(buffer).contains { $0.contains("of \(HelpOverlay.layout(width: 60, height: 14).rows.count))") })
    }

    @Test func thePlanPlaceholderSaysItIsWorking() {
        var buffer = CellBuffer(width: 70, height: 10)
        PlanOverlay(taskID: "MT-0002").draw(TUIFixture.state(), fleet, into: &buffer)
        #expect(buffer.text.contains("Plan — MT-0002") && buffer.text.contains("Working out the plan"))
    }

    @Test func anEmptyOutputSaysSoInsteadOfAnEmptyBox() {
        var buffer = CellBuffer(width: 60, height: 10)
        OutputOverlay(taskID: "MT-0001", resourceID: "r").draw(TUIFixture.state(), fleet, into: &buffer)
        #expect(buffer.text.contains("No output recorded for this resource yet."))
    }

    @Test func theHeaderNeverCutsTheEngineLabelAtEightyColumns() {
        var state = TUIFixture.state(width: 80, height: 24)
        state.engine = .none(reason: "--no-engine")
        var buffer = CellBuffer(width: 80, height: 2)
        HeaderView.draw(state, fleet, into: &buffer)
        #expect(buffer.text.contains("engine: off (--no-engine)"), "\(rows(buffer)[0])")
    }

    /// A fleet whose one task has a cluster Patroni switched over behind its back: pg1 replicates, pg2 leads.
    func switchedOver() throws -> (FleetState, AppState) {
        var fleet = FleetState()
        let context = MutationContext(now: TUIFixture.now, actor: "test", timeZone: TUIFixture.utc)
        func member(_ name: String, _ role: ResourceRole, live: ResourceRole?) -> Resource {
            Resource(id: "orders-\(name)", name: "orders-\(name)", cluster: "orders", role: role, liveRole: live)
        }
        let task = MaintenanceTask(
            id: "PG-1", title: "shared_buffers", service: .postgresql, requirement: .recommended, recommendedAt: TUIFixture.now,
            type: .configChange, resources: [member("pg1", .primary, live: .replica), member("pg2", .replica, live: .primary), member("pg3", .replica, live: nil)])
        try fleet.apply(.importTasks([task]), context: context)
        var state = TUIFixture.state(width: 140, height: 14)
        state.refreshVisibleTasks(fleet)
        return (fleet, state)
    }

    @Test func aLiveRoleFromPatroniReplacesTheTasksWordMarked() throws {
        let (fleet, state) = try switchedOver()
        var buffer = CellBuffer(width: 140, height: 14)
        ResourcePaneView.draw(state, fleet, into: &buffer)
        let text = rows(buffer)
        let pg1 = try #require(text.first { $0.contains("orders-pg1") })
        let pg2 = try #require(text.first { $0.contains("orders-pg2") })
        let pg3 = try #require(text.first { $0.contains("orders-pg3") })
        #expect(pg1.contains("⇄replica") && pg2.contains("⇄primary"), "\(pg1)\n\(pg2)")
        #expect(pg3.contains(" replica ") && !pg3.contains("⇄"), "an agreeing role is shown plainly: \(pg3)")
    }

    @Test func withoutTheRoleColumnTheLiveRoleLeadsTheMessage() throws {
        let (fleet, start) = try switchedOver()
        var state = start
        _ = Reducer.reduce(&state, .resized(width: 100, height: 14), fleet: fleet)
        var buffer = CellBuffer(width: 100, height: 14)
        ResourcePaneView.draw(state, fleet, into: &buffer)
        let pg2 = try #require(rows(buffer).first { $0.contains("orders-pg2") })
        #expect(pg2.contains("⇄ Patroni: primary"), "\(pg2)")
    }

    @Test func aFleetWhoseEtcdCannotBeReadSaysSoInTheHeaderAndOnceInTheNotification() {
        var state = TUIFixture.state(width: 100, height: 20)
        _ = Reducer.reduce(&state, .replica(problem: ReplicaTrouble(since: "02:10", message: "etcd unreachable: cannot connect to https://10.0.0.1:2379")), fleet: fleet)
        var buffer = CellBuffer(width: 100, height: 1)
        HeaderView.draw(state, fleet, into: &buffer)
        #expect(rows(buffer)[0].contains("ETCD UNREACHABLE since 02:10"), "\(rows(buffer)[0])")
        #expect(state.notification?.level == .error && state.notification?.text.contains("cannot connect to https://10.0.0.1:2379") == true)
        _ = Reducer.reduce(&state, .replica(problem: nil), fleet: fleet)
        buffer = CellBuffer(width: 100, height: 1)
        HeaderView.draw(state, fleet, into: &buffer)
        #expect(!rows(buffer)[0].contains("ETCD") && state.notification?.text == "etcd answers again; the fleet is current")
    }

    @Test func aStandbyEngineSaysAnotherHostLeads() {
        var state = TUIFixture.state(width: 120, height: 20)
        _ = Reducer.reduce(&state, .engine(.standby(running: 2)), fleet: fleet)
        var buffer = CellBuffer(width: 120, height: 1)
        HeaderView.draw(state, fleet, into: &buffer)
        #expect(rows(buffer)[0].contains("engine: standby, another host leads (2 running here)"), "\(rows(buffer)[0])")
    }
}
