import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// The `:` command line: completion, history, what each command does, and what an unknown one says.
struct CommandLineTests {
    let fleet = TUIFixture.fleet

    func typed(_ s: inout AppState, _ text: String) {
        TUIFixture.send(&s, .char(":"))
        for c in text { TUIFixture.send(&s, .char(c)) }
    }

    var prompt: (AppState) -> CommandLinePrompt? { { $0.topOverlay as? CommandLinePrompt } }

    @Test func tabCompletesACommandThenATaskIdAndCyclesWhenTheyShareNoMore() throws {
        var s = TUIFixture.state()
        typed(&s, "ta")
        TUIFixture.send(&s, .tab)
        #expect(prompt(s)?.text == "task ")
        TUIFixture.send(&s, .char("M"), .tab)
        #expect(prompt(s)?.text == "task MT-00", "extended as far as every id agrees")
        TUIFixture.send(&s, .tab)
        let ids = fleet.tasks.map(\.id).sorted()
        #expect(prompt(s)?.text == "task \(ids[0])" && prompt(s)?.hint?.hasPrefix("\(ids.count) matches: \(ids[0]) \(ids[1])") == true)
        TUIFixture.send(&s, .tab)
        #expect(prompt(s)?.text == "task \(ids[1])" && prompt(s)?.hint == "2 of \(ids.count)")
        TUIFixture.send(&s, .enter)
        #expect(s.topOverlay == nil && s.selectedTaskID == ids[1] && s.commandHistory == ["task \(ids[1])"])
    }

    @Test func resGoesToTheMachineInWhicheverTaskEvenPastTheFilter() throws {
        var s = TUIFixture.state()
        let task = try #require(fleet.tasks.last)
        let resource = try #require(task.resources.last)
        s.filter = "zzzz-nothing"
        s.refreshVisibleTasks(fleet)
        typed(&s, "res \(resource.id)")
        TUIFixture.send(&s, .enter)
        #expect(s.filter.isEmpty && s.focus == .resources)
        #expect(s.resourceUnderCursor(fleet)?.resource.id == resource.id)
    }

    @Test func anUnknownCommandNamesTheNearestAndKeepsTheLine() {
        var s = TUIFixture.state()
        typed(&s, "tsak MT-0001")
        TUIFixture.send(&s, .enter)
        #expect(prompt(s)?.text == "tsak MT-0001")
        #expect(prompt(s)?.hint == "unknown command :tsak; did you mean :task? (:help lists them)")
        TUIFixture.send(&s, .escape)
        #expect(s.topOverlay == nil && s.commandHistory.isEmpty, "nothing run, nothing remembered")
    }

    @Test func reserveOpensTheEditorAtTheTimeAndWritesNothing() throws {
        var s = TUIFixture.state()
        let task = try #require(fleet.tasks.first { $0.resources.contains { $0.status == .pending } })
        typed(&s, "task \(task.id)")
        TUIFixture.send(&s, .enter)
        typed(&s, "reserve now+2h")
        let effects = TUIFixture.send(&s, .enter)
        let editor = try #require(s.topOverlay as? ScheduleEditor)
        #expect(editor.instant == TUIFixture.now.addingTimeInterval(7200))
        #expect(!effects.contains { if case .mutate = $0 { true } else { false } }, "only the editor's Enter writes")
        var bad = TUIFixture.state()
        typed(&bad, "reserve tomorrow-ish")
        TUIFixture.send(&bad, .enter)
        #expect(prompt(bad)?.hint?.isEmpty == false && bad.topOverlay is CommandLinePrompt)
        var readonly = TUIFixture.state(readonly: true)
        typed(&readonly, "reserve now+2h")
        TUIFixture.send(&readonly, .enter)
        #expect(prompt(readonly)?.hint == "read-only: reserve is disabled (started with --readonly)")
    }

    @Test func statusSortThemeAndQuit() {
        var s = TUIFixture.state()
        s.themeNames = ["default", "light"]
        typed(&s, "status failed")
        TUIFixture.send(&s, .enter)
        #expect(s.filter == "status:failed")
        #expect(s.visibleTaskIDs.allSatisfy { id in fleet.task(id: id)!.resources.contains { $0.status == .failed } })
        typed(&s, "sort deadline desc")
        TUIFixture.send(&s, .enter)
        #expect(s.sort == .deadline && s.sortDescending)
        typed(&s, "theme light")
        #expect(TUIFixture.send(&s, .enter).contains(.loadTheme("light")))
        typed(&s, "theme neon")
        TUIFixture.send(&s, .enter)
        #expect(prompt(s)?.hint == "no theme neon (default, light)")
        TUIFixture.send(&s, .escape)
        typed(&s, "q")
        TUIFixture.send(&s, .enter)
        #expect(s.quit)
    }

    @Test func upAndDownGoThroughTheHistoryAndBackToWhatWasTyped() {
        var s = TUIFixture.state()
        s.commandHistory = ["task MT-0001", "status failed"]
        typed(&s, "the")
        TUIFixture.send(&s, .up)
        #expect(prompt(s)?.text == "status failed")
        TUIFixture.send(&s, .up, .up)
        #expect(prompt(s)?.text == "task MT-0001")
        TUIFixture.send(&s, .down)
        #expect(prompt(s)?.text == "status failed")
        TUIFixture.send(&s, .down)
        #expect(prompt(s)?.text == "the")
    }

    @Test func idsCompleteByPrefixFromTheSortedIndex() {
        let sorted = ["a-1", "a-10", "a-2", "b-1", "b-10"]
        #expect(FleetIDIndex.starting(with: "a-1", in: sorted, limit: 10).ids == ["a-1", "a-10"])
        #expect(FleetIDIndex.starting(with: "b", in: sorted, limit: 1) == (["b-1"], 2))
        #expect(FleetIDIndex.starting(with: "c", in: sorted, limit: 5).total == 0)
        #expect(FleetIDIndex.starting(with: "", in: sorted, limit: 2).total == 5)
    }

    @Test func theHistoryFileKeepsLinesAcrossConsolesAndStaysBounded() throws {
        let dir = NSTemporaryDirectory() + "pitstop-history-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let history = CommandHistory(environment: ["XDG_CONFIG_HOME": dir, "HOME": "/nonexistent"])
        #expect(history.path == dir + "/pitstop/history" && history.load().isEmpty)
        for n in 0..<(2 * CommandHistory.limit + 5) { #expect(history.append("task MT-\(n)") == nil) }
        let kept = history.load()
        #expect(kept.count == CommandHistory.limit && kept.last == "task MT-\(2 * CommandHistory.limit + 4)")
        #expect(CommandHistory(environment: [:]).path == nil)
    }
}
