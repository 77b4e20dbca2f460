import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// An overlay that exists only here: proof that a component needs nothing outside its own file (and a
/// binding) to open, take keys, receive messages and draw.
private struct TallyOverlay: OverlayComponent {
    var ticks = 0
    var keys = 0

    static func open(_ state: inout AppState, _ fleet: FleetState) -> (TallyOverlay, [Effect])? { (TallyOverlay(), [.repaint]) }

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        keys += 1
        switch key {
        case .escape: return .close
        case .char("p"): return .push(HelpOverlay())
        case .char("r"): return .replace(ConfirmationPrompt(title: "Sure?", message: "m", action: .quit))
        default: return .keep
        }
    }

    mutating func receive(_ message: AppMessage, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        if case .tick = message { ticks += 1 }
        return ticks >= 3 ? .close([.cycleTheme]) : .keep
    }

    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        buffer.put("tally \(ticks)/\(keys)", x: 0, y: 0)
    }

    var hints: [(String, String)] { [("Esc", "close the tally")] }
}

/// The overlay stack: keys to the top one only, every other message to all of them, and each answer
/// (keep, close, push, replace, effects) applied in one place.
@Suite struct OverlayComponentTests {
    let fleet = TUIFixture.fleet

    @Test func aComponentOpensThroughItsOpenerAndItsEffectsReachTheLoop() {
        var state = TUIFixture.state()
        let effects = Reducer.open(OverlayOpener(TallyOverlay.self), &state, fleet)
        #expect(effects == [.repaint] && state.topOverlay is TallyOverlay)
        #expect(FooterView.hints(state).map(\.1) == ["close the tally"], "the footer is the top overlay's")
        #expect(Renderer.render(state, fleet: fleet).text.hasPrefix("tally 0/0"))
    }

    @Test func keysGoToTheTopOverlayOnlyAndOtherMessagesToAll() {
        var state = TUIFixture.state()
        _ = Reducer.open(OverlayOpener(TallyOverlay.self), &state, fleet)
        TUIFixture.send(&state, .char("x"), .char("p"))
        #expect(state.topOverlay is HelpOverlay, "p pushed the help over the tally")
        TUIFixture.send(&state, .down)
        _ = Reducer.reduce(&state, .tick(TUIFixture.now), fleet: fleet)
        let tally = state.overlays.items.first as? TallyOverlay
        #expect(tally?.keys == 2, "the ↓ went to the help on top, not to the tally under it")
        #expect(tally?.ticks == 1, "the tick reached the tally under the help")
    }

    @Test func anOverlayClosedByAMessageGivesItsEffects() {
        var state = TUIFixture.state()
        _ = Reducer.open(OverlayOpener(TallyOverlay.self), &state, fleet)
        var effects: [Effect] = []
        for _ in 0..<3 { effects += Reducer.reduce(&state, .tick(TUIFixture.now), fleet: fleet) }
        #expect(effects == [.cycleTheme] && state.overlays.isEmpty)
    }

    @Test func replaceTakesThePlaceAndCloseLeavesNothing() {
        var state = TUIFixture.state()
        _ = Reducer.open(OverlayOpener(TallyOverlay.self), &state, fleet)
        TUIFixture.send(&state, .char("r"))
        #expect(state.overlays.items.count == 1 && state.topOverlay?.confirmation?.title == "Sure?")
        TUIFixture.send(&state, .escape)
        #expect(state.overlays.isEmpty)
    }

    @Test func stacksCompareByTheirComponentsValues() {
        var a = OverlayStack(), b = OverlayStack()
        a.push(HelpOverlay())
        b.push(HelpOverlay())
        #expect(a == b)
        b.push(EventLogOverlay())
        #expect(a != b)
        a.push(EventLogOverlay(list: ScrollingList(scroll: 2)))
        #expect(a != b, "same types, another scroll")
    }

    @Test func theCalendarMakesItsLinesAgainWhenTheFleetChanges() throws {
        var state = TUIFixture.state()
        TUIFixture.send(&state, .char("v"))
        let before = try #require(state.topOverlay as? CalendarOverlay).lines.entryCount
        var changed = fleet
        let task = try #require(changed.tasks.first { $0.resources.contains { $0.status == .reserved } })
        let reserved = try #require(task.resources.first { $0.status == .reserved })
        try changed.apply(.clear(taskID: task.id, resourceIDs: [reserved.id]), context: MutationContext(now: TUIFixture.now, actor: "other"))
        _ = Reducer.reduce(&state, .fleetChanged, fleet: changed)
        #expect((state.topOverlay as? CalendarOverlay)?.lines.entryCount == before - 1)
    }

    @Test func theOutputOverlayShowsOnlyItsOwnResourcesOutput() throws {
        var state = TUIFixture.state()
        TUIFixture.send(&state, .enter, .char("o"))
        let shown = try #require(state.topOverlay as? OutputOverlay)
        _ = Reducer.reduce(&state, .output(taskID: shown.taskID, resourceID: "another", ["not mine"]), fleet: fleet)
        _ = Reducer.reduce(&state, .output(taskID: shown.taskID, resourceID: shown.resourceID, ["line 1", "line 2"]), fleet: fleet)
        #expect((state.topOverlay as? OutputOverlay)?.lines == ["line 1", "line 2"])
        #expect(Renderer.render(state, fleet: fleet).text.contains("line 2"))
    }

    @Test func theWheelAndTheKeysScrollAListWithinItsLimit() {
        var list = ScrollingList()
        #expect(list.handle(.pageDown, limit: 4) == .scrolled && list.scroll == 4)
        #expect(list.handle(.mouse(MouseEvent(kind: .wheelUp, x: 0, y: 0)), limit: 4) == .scrolled && list.scroll == 1)
        #expect(list.handle(.char("g"), limit: 4) == .scrolled && list.scroll == 0)
        #expect(list.handle(.char("z"), limit: 4) == .ignored)
        #expect(list.handle(.enter, limit: 4) == .open && list.handle(.escape, limit: 4) == .close)
        #expect(list.first(rows: 10, count: 5) == 0, "a list shorter than its box never scrolls away")
    }
}
