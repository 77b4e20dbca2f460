import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// The screen's behaviour as `state + key → state, effects`, mode by mode.
struct ReducerTests {
    let fleet = TUIFixture.fleet

    @Test func navigationKeysMoveWithinBounds() {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .down, .char("j"))
        #expect(s.taskCursor == 2)
        TUIFixture.send(&s, .up, .char("k"), .up)
        #expect(s.taskCursor == 0)
        TUIFixture.send(&s, .char("G"))
        #expect(s.taskCursor == s.visibleTaskIDs.count - 1 && s.taskScroll > 0)
        TUIFixture.send(&s, .char("g"))
        #expect(s.taskCursor == 0 && s.taskScroll == 0)
        TUIFixture.send(&s, .pageDown)
        #expect(s.taskCursor == s.layout.taskRows - 1)
        TUIFixture.send(&s, .pageUp, .home)
        #expect(s.taskCursor == 0)
        TUIFixture.send(&s, .end)
        #expect(s.taskCursor == s.visibleTaskIDs.count - 1)
    }

    @Test func anEngineThatStopsOnAnErrorSaysWhyOnTheMessageLineOnce() {
        var s = TUIFixture.state()
        let reason = "stopped: the engine cannot run attempts: pitstop-supervisor is not at /opt/bin/pitstop-supervisor"
        _ = Reducer.reduce(&s, .engine(.none(reason: reason)), fleet: fleet)
        #expect(s.notification == StatusLine(text: "engine stopped: cannot run attempts: pitstop-supervisor is not at /opt/bin/pitstop-supervisor", level: .error))
        s.notification = nil
        _ = Reducer.reduce(&s, .engine(.none(reason: reason)), fleet: fleet)
        #expect(s.notification == nil)
        _ = Reducer.reduce(&s, .engine(.none(reason: "another engine holds the store")), fleet: fleet)
        #expect(s.notification == nil)
    }

    @Test func yCopiesTheTaskTheResourceOrTheMarkedResourcesAndWorksReadOnly() {
        var s = TUIFixture.state(readonly: true)
        let task = fleet.tasks.first { $0.id == s.selectedTaskID }!
        #expect(TUIFixture.send(&s, .char("y")) == [.copy(task.id, said: "copied \(task.id) to the clipboard (OSC 52; in tmux: set -g set-clipboard on)")])
        TUIFixture.send(&s, .enter)
        guard case .copy(let one, _) = TUIFixture.send(&s, .char("y")).first else { Issue.record("y gave no copy"); return }
        #expect(one == "\(task.id)/\(task.resources[0].id)")
        TUIFixture.send(&s, .char(" "), .char(" "))
        guard case .copy(let two, let said) = TUIFixture.send(&s, .char("y")).first else { Issue.record("y gave no copy"); return }
        #expect(two == "\(task.id)/\(task.resources[0].id)\n\(task.id)/\(task.resources[1].id)" && said.hasPrefix("copied 2 ids"))
    }

    @Test func hOpensTheTaskHistoryInTheListAndTheMachinesInThePaneAndHClosesIt() throws {
        var s = TUIFixture.state()
        let task = try #require(fleet.tasks.first { $0.id == s.selectedTaskID })
        TUIFixture.send(&s, .char("H"))
        let ofTask = try #require(s.topOverlay as? HistoryOverlay)
        #expect(ofTask.scope == .task(task.id))
        #expect(ofTask.positions(fleet.events) == fleet.events.positions(ofTask: task.id).reversed())
        TUIFixture.send(&s, .char("j"), .char("j"))
        #expect((s.topOverlay as? HistoryOverlay)?.cursor == min(2, ofTask.positions(fleet.events).count - 1))
        TUIFixture.send(&s, .char("H"))
        #expect(s.topOverlay == nil)
        TUIFixture.send(&s, .enter, .char("H"))
        #expect((s.topOverlay as? HistoryOverlay)?.scope == .resource(task.resources[0].id))
    }

    @Test func tabEnterAndEscapeSwitchPanes() {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .tab)
        #expect(s.focus == .resources)
        TUIFixture.send(&s, .tab)
        #expect(s.focus == .tasks)
        TUIFixture.send(&s, .enter)
        #expect(s.focus == .resources)
        TUIFixture.send(&s, .down, .down)
        #expect(s.resourceCursor == 2 && s.taskCursor == 0)
        TUIFixture.send(&s, .escape)
        #expect(s.focus == .tasks)
        TUIFixture.send(&s, .char("l"))
        #expect(s.focus == .resources)
        TUIFixture.send(&s, .char("h"))
        #expect(s.focus == .tasks)
    }

    @Test func movingToAnotherTaskResetsTheResourceCursorAndMarks() {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .enter, .char(" "), .char(" "))
        #expect(s.marked.count == 2 && s.resourceCursor == 2)
        TUIFixture.send(&s, .escape)
        #expect(s.marked.isEmpty, "Esc clears marks first")
        TUIFixture.send(&s, .char(" "), .tab, .down)
        #expect(s.taskCursor == 1 && s.resourceCursor == 0 && s.marked.isEmpty)
    }

    @Test func markAllTogglesEveryResource() {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .char("a"))
        #expect(s.marked.count == fleet.task(id: "MT-0001")!.resources.count && s.focus == .resources)
        TUIFixture.send(&s, .char("a"))
        #expect(s.marked.isEmpty)
    }

    @Test func filterNarrowsIncrementallyOverNamesAndEscapeClears() {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .char("/"))
        for key in TUIFixture.chars("cart") { TUIFixture.send(&s, key) }
        #expect(s.visibleTaskIDs.contains("MT-0099") && s.visibleTaskIDs.count < fleet.tasks.count)
        TUIFixture.send(&s, .backspace, .backspace, .backspace, .backspace)
        for key in TUIFixture.chars("postgresql") { TUIFixture.send(&s, key) }
        #expect(s.visibleTaskIDs.allSatisfy { fleet.task(id: $0)!.service == .postgresql })
        TUIFixture.send(&s, .enter)
        #expect(s.topOverlay == nil && s.filter == "postgresql")
        TUIFixture.send(&s, .escape)
        #expect(s.filter.isEmpty && s.visibleTaskIDs.count == fleet.tasks.count)
    }

    @Test func escapeLeavesTheFilterPromptAndClearsTheFilter() {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .char("/"))
        for key in TUIFixture.chars("cart") { TUIFixture.send(&s, key) }
        #expect(s.topOverlay is FilterPrompt)
        TUIFixture.send(&s, .escape)
        #expect(s.topOverlay == nil, "Esc left the prompt")
        #expect(s.filter.isEmpty && s.visibleTaskIDs.count == fleet.tasks.count)
        TUIFixture.send(&s, .char("/"))
        #expect(s.topOverlay is FilterPrompt && s.filter.isEmpty, "the next / opens the prompt instead of joining the filter")
    }

    @Test func aKeyWithNoActionSaysSoAndPointsToHelp() {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .char("Z"))
        #expect(s.notification?.text == "no action for Z (? for help)")
        TUIFixture.send(&s, .function(9))
        #expect(s.notification?.text == "no action for F9 (? for help)")
        TUIFixture.send(&s, .down)
        #expect(s.notification == nil, "the next key clears it")
    }

    @Test func sortCyclesAndKeepsTheSelection() {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .down, .down, .down)
        let selected = s.selectedTaskID
        TUIFixture.send(&s, .char("s"))
        #expect(s.sort == .status && s.selectedTaskID == selected)
        #expect(fleet.task(id: s.visibleTaskIDs[0])!.status == .failed)
        for _ in 1..<SortKey.allCases.count { TUIFixture.send(&s, .char("s")) }
        #expect(s.sort == .id)
    }

    @Test(arguments: SortKey.allCases)
    func everyTaskColumnSortsBothWaysAndTheHeaderSaysWhich(key: SortKey) throws {
        var s = TUIFixture.state(width: 200, height: 60)
        while s.sort != key { TUIFixture.send(&s, .char("s")) }
        let ascending = s.visibleTaskIDs.compactMap { fleet.task(id: $0) }
        for (a, b) in zip(ascending, ascending.dropFirst()) { #expect(!key.ascending(b, a), "\(key): \(b.id) sorts before \(a.id)") }
        let header = Renderer.render(s, fleet: fleet).text.split(separator: "\n")[Int(s.layout.taskTop)]
        #expect(key.headers.contains { header.contains("\($0)▲") }, "\(header)")
        TUIFixture.send(&s, .char("S"))
        #expect(s.visibleTaskIDs == ascending.map(\.id).reversed() && s.sortDescending)
        let reversed = Renderer.render(s, fleet: fleet).text.split(separator: "\n")[Int(s.layout.taskTop)]
        #expect(key.headers.contains { reversed.contains("\($0)▼") }, "\(reversed)")
    }

    @Test func theResourcePaneSortsByEachColumnBothWaysKeepingTheCursorOnItsResource() throws {
        var s = TUIFixture.state(width: 240, height: 60)
        TUIFixture.send(&s, .enter, .down, .down)
        let task = try #require(s.selectedTask(fleet))
        let under = try #require(s.resourceUnderCursor(fleet)?.resource.id)
        for key in ResourceSortKey.allCases.dropFirst() {
            TUIFixture.send(&s, .char("s"))
            #expect(s.resourceSort == key && !s.resourceSortDescending)
            #expect(s.resourceUnderCursor(fleet)?.resource.id == under, "the cursor stays on its resource (\(key))")
            let shown = s.paneResources(task)
            #expect(Set(shown.map(\.id)) == Set(task.resources.map(\.id)))
            for (a, b) in zip(shown, shown.dropFirst()) { #expect(key.ascending(b, a) != true, "\(key) ▲: \(b.id) belongs before \(a.id)") }
            TUIFixture.send(&s, .char("S"))
            #expect(s.resourceSortDescending && s.resourceUnderCursor(fleet)?.resource.id == under)
            let descending = s.paneResources(task)
            for (a, b) in zip(descending, descending.dropFirst()) { #expect(key.ascending(a, b) != true, "\(key) ▼: \(b.id) belongs before \(a.id)") }
            let screen = Renderer.render(s, fleet: fleet).text
            if let header = key.header { #expect(screen.contains("\(header)▼"), "\(key)") }
            #expect(screen.contains("sort: \(key.rawValue) ▼"))
        }
        TUIFixture.send(&s, .char("s"))
        #expect(s.resourceSort == .task && s.paneResources(task).map(\.id) == task.resources.map(\.id))
    }

    @Test func overlaysOpenAndClose() {
        let opened: [(Key, any OverlayComponent.Type)] = [(.char("?"), HelpOverlay.self), (.char("L"), EventLogOverlay.self), (.char("v"), CalendarOverlay.self)]
        for (key, type) in opened {
            var s = TUIFixture.state()
            TUIFixture.send(&s, key)
            #expect(s.topOverlay.map { Swift.type(of: $0) == type } == true, "\(key) opens \(type)")
            TUIFixture.send(&s, .down)
            TUIFixture.send(&s, .escape)
            #expect(s.topOverlay == nil)
        }
        var s = TUIFixture.state()
        TUIFixture.send(&s, .char("L"), .down, .down, .up)
        #expect((s.topOverlay as? EventLogOverlay)?.list.scroll == 1)
        // Enter opens the first event shown in full; Esc goes back to the log, Esc again closes it.
        TUIFixture.send(&s, .enter)
        #expect((s.topOverlay as? EventDetailOverlay)?.position == fleet.events.count - 2)
        TUIFixture.send(&s, .escape)
        #expect((s.topOverlay as? EventLogOverlay)?.list.scroll == 1, "Esc goes back to the log, scrolled where it was")
        TUIFixture.send(&s, .escape, .enter, .char("o"))
        #expect(s.topOverlay as? OutputOverlay == OutputOverlay(taskID: "MT-0001", resourceID: fleet.task(id: "MT-0001")!.resources[0].id))
    }

    @Test func readonlyRefusesEveryChangingKeyAndSaysSo() {
        for letter in ["e", "E", "c", "x", "r", "R"] {
            var s = TUIFixture.state(readonly: true)
            let effects = TUIFixture.send(&s, .enter, .char(Character(letter)))
            #expect(effects.isEmpty && s.topOverlay == nil)
            #expect(s.notification?.text.hasPrefix("read-only:") == true, "\(letter)")
        }
    }

    @Test func clearAsksFirstAndThenWrites() throws {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .down, .enter)  // MT-0002: resources 0-4 ran, 5+ reserved
        TUIFixture.send(&s, .char("G"), .char("c"))
        let confirmation = try #require(s.topOverlay?.confirmation)
        #expect(confirmation.title == "Clear 1 reservation?")
        let task = fleet.task(id: "MT-0002")!
        // The write expects the resource as the prompt showed it.
        #expect(TUIFixture.send(&s, .char("y")) == [.mutate(.clear(taskID: "MT-0002", resourceIDs: [task.resources.last!.id]), success: "cleared 1 reservation(s) of MT-0002",
                                                            expecting: [ResourceVersion(task.resources.last!, of: "MT-0002")])])
        var declined = TUIFixture.state()
        TUIFixture.send(&declined, .down, .enter, .char("G"), .char("c"))
        #expect(TUIFixture.send(&declined, .char("n")).isEmpty && declined.topOverlay == nil)
    }

    @Test func excludeAndIncludeToggle() {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .down, .down, .down, .enter)
        let task = fleet.task(id: "MT-0004")!
        let id = task.resources[0].id
        // Excluding asks first, as clearing does.
        #expect(TUIFixture.send(&s, .char("x")).isEmpty)
        #expect(s.topOverlay?.confirmation?.title == "Exclude 1 resource?")
        #expect(TUIFixture.send(&s, .char("y")) == [.mutate(.exclude(taskID: "MT-0004", resourceIDs: [id]), success: "excluded \(task.resources[0].name) from MT-0004",
                                                            expecting: [ResourceVersion(task.resources[0], of: "MT-0004")])])
        var excluded = TUIFixture.state()
        TUIFixture.send(&excluded, .char("G"))
        let lastTask = fleet.task(id: "MT-0099")!
        var changed = fleet
        try! changed.apply(.exclude(taskID: "MT-0099", resourceIDs: [lastTask.resources[0].id]), context: MutationContext(now: TUIFixture.now, actor: "t", timeZone: TUIFixture.utc))
        TUIFixture.send(&excluded, .enter, fleet: changed)
        let effects = TUIFixture.send(&excluded, .char("x"), fleet: changed)
        #expect(effects == [.mutate(.include(taskID: "MT-0099", resourceIDs: [lastTask.resources[0].id]), success: "included 1 resource(s) in MT-0099 again")])
    }

    @Test func retryConfirmsAndUsesTheEarliestTime() throws {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .char("G"), .up, .up, .up)  // MT-0014: all failed
        #expect(s.selectedTaskID == "MT-0014")
        TUIFixture.send(&s, .char("r"))
        let confirmation = try #require(s.topOverlay?.confirmation)
        let ids = fleet.task(id: "MT-0014")!.resources.map(\.id)
        #expect(confirmation.action == .mutate(.retry(taskID: "MT-0014", resourceIDs: ids, at: nil, force: false), success: "reserved \(ids.count) failed resource(s) again"))
    }

    @Test func scheduleEditorTypesStepsValidatesAndWrites() throws {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .down, .down, .down, .enter, .char("e"))  // MT-0004, mandatory, downtime
        let opened = try #require(s.topOverlay?.editor)
        #expect(opened.field == .day && opened.resourceIDs.count == 1)
        // Type 2026-11-27 03:45 field by field.
        TUIFixture.send(&s, .left, .left)
        for key in TUIFixture.chars("202611270345") { TUIFixture.send(&s, key) }
        let typed = try #require(s.topOverlay?.editor)
        #expect(InstantText.iso8601UTC(typed.instant) == "2026-11-27T03:45:00Z")
        TUIFixture.send(&s, .down)  // minute − 5
        let stepped = try #require(s.topOverlay?.editor)
        #expect(InstantText.iso8601UTC(stepped.instant) == "2026-11-27T03:40:00Z")
        #expect(ScheduleValidation.check(stepped, fleet: fleet, now: TUIFixture.now, zone: TUIFixture.utc) == .ok)
        // Enter on a downtime task asks first; yes writes exactly the editor's mutation.
        TUIFixture.send(&s, .enter)
        let confirmation = try #require(s.topOverlay?.confirmation)
        #expect(confirmation.title == "Reserve a DOWNTIME task?")
        let effects = TUIFixture.send(&s, .char("y"))
        #expect(effects.count == 1 && effects[0] == .mutate(stepped.mutation, success: "saved: 1 reservation of MT-0004 from 2026-11-27 03:40 +00:00", expecting: stepped.opened))
        #expect(stepped.opened.count == 1)
    }

    @Test func scheduleEditorRefusesPastTheDeadlineAndEscapeChangesNothing() throws {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .down, .down, .down, .enter, .char("e"), .char("d"), .up)
        let editor = try #require(s.topOverlay?.editor)
        let verdict = ScheduleValidation.check(editor, fleet: fleet, now: TUIFixture.now, zone: TUIFixture.utc)
        #expect(editor.verdict == verdict, "the verdict in state is the one a fresh check gives")
        guard case .refused(let message) = verdict else { throw VerdictError.notRefused(verdict) }
        #expect(message.contains("[deadline]"))
        #expect(TUIFixture.send(&s, .enter).isEmpty, "a refused schedule is not written")
        #expect(s.notification?.level == .error)
        #expect(TUIFixture.send(&s, .escape).isEmpty && s.topOverlay == nil)
    }

    @Test func scheduleShortcutsJumpToLeadRecommendedAndDeadline() throws {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .down, .down, .down, .char("E"), .char("d"))
        let atDeadline = try #require(s.topOverlay?.editor)
        let task = fleet.task(id: "MT-0004")!
        #expect(atDeadline.instant == task.deadline!.addingTimeInterval(-fleet.policy.autoApplyMargin))
        #expect(atDeadline.staggers && atDeadline.resourceIDs.count == task.resources.count)
        TUIFixture.send(&s, .char("n"))
        let soon = try #require(s.topOverlay?.editor)
        #expect(soon.instant == TUIFixture.now.addingTimeInterval(fleet.policy.minLeadTime + 60))
        TUIFixture.send(&s, .tab, .tab, .tab)  // day → hour → minute → spacing
        for key in TUIFixture.chars("03002") { TUIFixture.send(&s, key) }
        let spaced = try #require(s.topOverlay?.editor)
        #expect(spaced.spacingMinutes == 30 && spaced.perSlot == 2 && spaced.field == .perSlot)
    }

    @Test func quitNeverAsksEvenWhileAttemptsRunHere() {
        var s = TUIFixture.state()
        s.engine = .embedded(running: 3)
        #expect(TUIFixture.send(&s, .char("q")) == [.quit] && s.quit && s.topOverlay == nil)
    }

    @Test func cancelAsksFirstAndOnlyForAttemptsInProgress() throws {
        var fleet = fleet
        var s = TUIFixture.state()
        let reserved = try #require(fleet.tasks.first { $0.resources.filter { $0.status == .reserved }.count >= 2 })
        let running = reserved.resources.filter { $0.status == .reserved }.prefix(2).map(\.id)
        for id in running {
            _ = try fleet.apply(.start(taskID: reserved.id, resourceID: id), context: MutationContext(now: TUIFixture.now, actor: "engine"))
        }
        let task = try #require(fleet.task(id: reserved.id))
        s.filter = task.id
        s.refreshVisibleTasks(fleet)
        TUIFixture.send(&s, .tab, fleet: fleet)
        #expect(TUIFixture.send(&s, .char("a"), fleet: fleet).isEmpty)  // mark every resource: only the running ones are cancelled
        #expect(TUIFixture.send(&s, .char("K"), fleet: fleet).isEmpty)
        let confirmation = try #require(s.topOverlay?.confirmation)
        #expect(confirmation.action == .cancel(taskID: task.id, resourceIDs: running))
        #expect(TUIFixture.send(&s, .char("y"), fleet: fleet) == [.cancel(taskID: task.id, resourceIDs: running)])
        var readonly = TUIFixture.state()
        readonly.readonly = true
        TUIFixture.send(&readonly, .tab)
        #expect(TUIFixture.send(&readonly, .char("K")).isEmpty && readonly.topOverlay == nil)
        #expect(readonly.notification?.text.contains("read-only: cancel is disabled") == true)
    }

    @Test func tooSmallScreensOnlyQuit() {
        var s = TUIFixture.state(width: 30, height: 8)
        s.engine = .none(reason: "test")
        #expect(TUIFixture.send(&s, .down, .char("/"), .char("e")).isEmpty && s.topOverlay == nil && s.taskCursor == 0)
        #expect(TUIFixture.send(&s, .char("q")) == [.quit])
        _ = Reducer.reduce(&s, .resized(width: 100, height: 30), fleet: fleet)
        TUIFixture.send(&s, .down)
        #expect(s.taskCursor == 1)
    }

    @Test func mouseClicksSelectAndWheelScrolls() {
        var s = TUIFixture.state()
        let layout = s.layout
        TUIFixture.send(&s, .mouse(MouseEvent(kind: .click, x: 5, y: layout.taskTop + 1 + 3)))
        #expect(s.taskCursor == 3 && s.focus == .tasks)
        TUIFixture.send(&s, .mouse(MouseEvent(kind: .click, x: 5, y: layout.resourceTop + 2 + 1)))
        #expect(s.focus == .resources && s.resourceCursor == 1)
        TUIFixture.send(&s, .mouse(MouseEvent(kind: .wheelDown, x: 5, y: 10)))
        #expect(s.resourceCursor == 4)
    }

    @Test func fleetChangesKeepTheSelectionOnItsTask() {
        var s = TUIFixture.state()
        TUIFixture.send(&s, .char("s"), .down, .down)
        let selected = s.selectedTaskID
        var changed = fleet
        let target = fleet.task(id: "MT-0004")!
        try! changed.apply(.exclude(taskID: "MT-0004", resourceIDs: target.resources.map(\.id)), context: MutationContext(now: TUIFixture.now, actor: "t", timeZone: TUIFixture.utc))
        _ = Reducer.reduce(&s, .fleetChanged, fleet: changed)
        #expect(s.selectedTaskID == selected)
    }

    @Test func mutationResultsReachTheNotificationLine() {
        var s = TUIFixture.state()
        _ = Reducer.reduce(&s, .writeFailed("refused: x [deadline]"), fleet: fleet)
        #expect(s.notification == StatusLine(text: "refused: x [deadline]", level: .error))
        _ = Reducer.reduce(&s, .saved("saved"), fleet: fleet)
        #expect(s.notification?.level == .success)
    }
}
