import Foundation
import PitstopCore
import PitstopEngine
@testable import PitstopTUI
import Testing

/// Every view and overlay rendered at fixed sizes and compared as text plus a colour map.
struct GoldenScreenTests {
    @Test(arguments: [(80, 24), (200, 60)])
    func taskListAndResourcePane(width: Int, height: Int) {
        var state = TUIFixture.state(width: width, height: height)
        TUIFixture.send(&state, .down, .enter)
        expectGolden(Renderer.render(state, fleet: TUIFixture.fleet), "main-\(width)x\(height)")
    }

    @Test func theEventLogShowsWhoDidEachChangeInAColumnOfItsOwn() throws {
        var fleet = TUIFixture.fleet
        let task = try #require(fleet.tasks.first { $0.resources.contains { $0.status == .pending } })
        let pending = try #require(task.resources.first { $0.status == .pending })
        _ = try fleet.apply(.exclude(taskID: task.id, resourceIDs: [pending.id]),
                            context: MutationContext(now: TUIFixture.now, actor: "root@bastion (cli, sudo by alice)", timeZone: TUIFixture.utc))
        var state = TUIFixture.state(width: 140, height: 30)
        TUIFixture.send(&state, .char("L"), fleet: fleet)
        let buffer = Renderer.render(state, fleet: fleet)
        expectGolden(buffer, "events-140x30")
        let row = try #require(buffer.text.split(separator: "\n").first { $0.contains("excluded") })
        #expect(row.contains(" alice (sudo) ") && !row.contains("root@bastion"), "\(row)")
    }

    @Test(arguments: [
        ("alice@bastion (cli)", "alice"), ("root@bastion (cli, sudo by alice)", "alice (sudo)"), ("engine", "engine"), ("ops (test)", "ops"),
    ])
    func whoIsTheUserWithoutHostOrChannel(actor: String, who: String) {
        #expect(ViewText.who(actor) == who)
    }

    @Test func koreanAndHostileNamesStayAligned() {
        var state = TUIFixture.state(width: 100, height: 30)
        TUIFixture.send(&state, .end, .enter)
        let buffer = Renderer.render(state, fleet: TUIFixture.fleet)
        expectGolden(buffer, "names-100x30")
        #expect(!buffer.text.contains("\u{1B}") && !buffer.text.contains("\u{202E}"))
    }

    @Test func aHeldPrimaryShowsSymbolWordAndReason() throws {
        let (fleet, _) = try TUIFixture.fleetWithHeldPrimary()
        var state = TUIFixture.state(width: 120, height: 30)
        TUIFixture.send(&state, .down, .enter, fleet: fleet)
        let buffer = Renderer.render(state, fleet: fleet)
        expectGolden(buffer, "held-120x30")
        #expect(buffer.text.contains("⏸ held") && buffer.text.contains("held: waiting for replica members-pg-01-replica2"))
    }

    @Test func freezesShowOnTheCalendarAndInTheEditor() throws {
        var fleet = TUIFixture.fleet
        let context = MutationContext(now: TUIFixture.now, actor: "ops", timeZone: TUIFixture.utc)
        _ = try fleet.apply(.addFreeze(FreezeWindow(
            name: "weekend", recurrence: .weekly(fromDay: 5, fromMinute: 18 * 60, toDay: 1, toMinute: 6 * 60), zone: TUIFixture.utc)), context: context)
        var state = TUIFixture.state(width: 100, height: 30)
        TUIFixture.send(&state, .char("v"), fleet: fleet)
        let calendar = Renderer.render(state, fleet: fleet)
        expectGolden(calendar, "calendar-freeze-100x30")
        #expect(calendar.text.contains("❄ FREEZE weekend: 2026-11-27 18:00 +00:00 to 2026-11-30 06:00 +00:00"))
        var editing = TUIFixture.state(width: 100, height: 30)
        TUIFixture.send(&editing, .down, .down, .down, .enter, .char("e"), fleet: fleet)
        let editor = Renderer.render(editing, fleet: fleet)
        expectGolden(editor, "editor-freeze-100x30")
        #expect(editor.text.contains("❄ freeze weekend: 2026-11-27 18:00 +00:00 to 2026-11-30 06:00 +00:00"))
    }

    @Test func thePlanOverlayShowsExpectedTimesHoldsAndRisk() throws {
        var state = TUIFixture.state(width: 110, height: 30)
        let effects = TUIFixture.send(&state, .down, .char("p"))
        #expect(effects == [.plan(taskID: "MT-0002")] && state.topOverlay as? PlanOverlay == PlanOverlay(taskID: "MT-0002"))
        let scratch = NSTemporaryDirectory() + "pitstop-plan-golden-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let preview = try PlanPreview.simulate(TUIFixture.fleet, now: TUIFixture.now, taskID: "MT-0002", scratch: scratch)
        _ = Reducer.reduce(&state, .planReady(taskID: "MT-0002", preview), fleet: TUIFixture.fleet)
        let buffer = Renderer.render(state, fleet: TUIFixture.fleet)
        expectGolden(buffer, "plan-110x30")
        #expect(buffer.text.contains("Plan — MT-0002") && buffer.text.contains("RESOURCE"))
    }

    @Test func tooSmall() {
        expectGolden(Renderer.render(TUIFixture.state(width: 30, height: 8), fleet: TUIFixture.fleet), "too-small-30x8")
    }

    @Test func helpOverlay() {
        var state = TUIFixture.state()
        TUIFixture.send(&state, .char("?"))
        expectGolden(Renderer.render(state, fleet: TUIFixture.fleet), "help-80x24")
    }

    @Test func scheduleEditorWithStagger() {
        var state = TUIFixture.state(width: 100, height: 30)
        TUIFixture.send(&state, .down, .down, .down, .char("E"))
        expectGolden(Renderer.render(state, fleet: TUIFixture.fleet), "editor-100x30")
    }

    @Test func scheduleEditorShowingARefusal() {
        var state = TUIFixture.state(width: 100, height: 30)
        TUIFixture.send(&state, .down, .down, .down, .enter, .char("e"), .char("d"), .up, .up, .up, .up, .up)
        expectGolden(Renderer.render(state, fleet: TUIFixture.fleet), "editor-refused-100x30")
    }

    @Test func confirmationEventLogAndCalendar() {
        var state = TUIFixture.state()
        TUIFixture.send(&state, .enter, .char("c"))
        expectGolden(Renderer.render(state, fleet: TUIFixture.fleet), "confirm-80x24")
        var events = TUIFixture.state()
        TUIFixture.send(&events, .char("L"))
        expectGolden(Renderer.render(events, fleet: TUIFixture.fleet), "events-80x24")
        var calendar = TUIFixture.state(width: 100, height: 30)
        TUIFixture.send(&calendar, .char("v"))
        expectGolden(Renderer.render(calendar, fleet: TUIFixture.fleet), "calendar-100x30")
    }

    @Test func filterPromptAndReadonlyFooter() {
        var state = TUIFixture.state(readonly: true)
        TUIFixture.send(&state, .char("/"))
        for key in TUIFixture.chars("주문") { TUIFixture.send(&state, key) }
        expectGolden(Renderer.render(state, fleet: TUIFixture.fleet), "filter-readonly-80x24")
    }
}

/// The header when the store refuses the engine's writes: said in the error colour, first.
struct EngineWaitingHeaderTests {
    @Test func aStoreRefusingWritesIsShownFirstInTheErrorColour() {
        var state = TUIFixture.state(width: 120, height: 24)
        state.engine = .waiting(running: 3, reason: "No space left on device")
        let buffer = Renderer.render(state, fleet: TUIFixture.fleet)
        expectGolden(buffer, "engine-waiting-120x24")
        let header = buffer.text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains("engine: WAITING (No space left on device; 3 running)"))
        #expect(Reducer.quitEffects(&state) == [.quit], "quitting changes nothing, so it asks nothing")
    }
}
