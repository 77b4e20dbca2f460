import Foundation
import PitstopCore
import PitstopText
@testable import PitstopTUI
import Testing

/// Text that informs (SPEC §17): names cut in the middle keep what tells them apart, the cluster's roles get
/// a column where there is room, and the schedule editor's preview follows what is typed, never the value
/// before it; digits that make no time stay on screen with the reason.
struct ReadableTextTests {
    @Test(arguments: [
        ("payments-mysql-02-replica1", 20, "payments…02-replica1"),
        ("payments-mysql-02-replica1", 26, "payments-mysql-02-replica1"),
        ("카트🛒-pg-01-replica1", 14, "카트…replica1"),
        ("abcdef", 3, "ab…"),
    ])
    func namesAreCutInTheMiddle(name: String, width: Int, expected: String) {
        let cut = DisplayWidth.truncateMiddle(name, to: width)
        #expect(cut == expected)
        #expect(DisplayWidth.of(cut) <= width)
    }

    @Test func replicasOfOneClusterStayDistinctAtEveryWidth() throws {
        let fleet = TUIFixture.fleet
        for width in [80, 120, 200] {
            var state = TUIFixture.state(width: width, height: 60)
            let index = try #require(state.visibleTaskIDs.firstIndex { id in fleet.task(id: id)!.resources.count > 10 })
            state.taskCursor = index
            let task = try #require(state.selectedTask(fleet))
            let text = Renderer.render(state, fleet: fleet).text
            let rows = text.split(separator: "\n").map(String.init)
            // Every shown resource row has a different name cell, as the names themselves are different.
            let shown = task.resources.prefix(state.layout.resourceRows).map { resource -> String in
                DisplayWidth.truncateMiddle(resource.name, to: ResourcePaneView.nameWidth(width))
            }
            #expect(Set(shown).count == shown.count, "\(width) columns: two names read the same")
            for name in shown { #expect(rows.contains { $0.contains(name) }, "\(width) columns: \(name) not on screen") }
        }
    }

    @Test func roleAndClusterColumnsAppearWhereThereIsRoom() {
        var narrow = TUIFixture.state(width: 120, height: 30)
        narrow.taskCursor = 1
        #expect(!Renderer.render(narrow, fleet: TUIFixture.fleet).text.contains("ROLE"))
        var wide = TUIFixture.state(width: 180, height: 30)
        wide.taskCursor = 1
        let text = Renderer.render(wide, fleet: TUIFixture.fleet).text
        #expect(text.contains("ROLE") && text.contains("CLUSTER") && text.contains(" primary "))
    }

    func editor(resources: Int = 3, zone: TimeZone = TUIFixture.utc, at instant: Date = TUIFixture.now.addingTimeInterval(2 * 86400)) -> ScheduleEditor {
        ScheduleEditor(taskID: "MT-0004", resourceIDs: (1...resources).map { "r\($0)" }, instant: instant, zone: zone)
    }

    @Test func aSpacingBeingTypedIsPreviewedAtOnce() {
        var e = editor()
        e.field = .spacing
        e.type("5")
        #expect(e.text(of: .spacing) == "5__")
        #expect(e.stagger?.spacing == 300, "the preview is 5 minutes, not the 15 before")
        #expect(e.lastInstant == e.instant.addingTimeInterval(600))
    }

    @Test func aMonthThatDoesNotExistStaysOnScreenWithTheReason() {
        var e = editor()
        let before = e.instant
        e.field = .month
        e.type("1")
        e.type("3")
        #expect(e.field == .month, "the cursor stays on the field to fix")
        #expect(e.text(of: .month) == "13")
        #expect(e.wallTimeProblem == "month 13 does not exist (01–12)")
        #expect(e.instant == before)
        e.type("0")
        e.type("2")
        #expect(e.wallTimeProblem == nil && e.value(of: .month) == 2 && e.field == .day)
    }

    @Test func anHourInADaylightSavingGapStaysTypedWithTheReason() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        // 2027-03-28: clocks go from 02:00 to 03:00 in Berlin.
        let day = try InstantParser.parse("2027-03-28 09:00", now: TUIFixture.now, zone: berlin).date
        var e = editor(resources: 1, zone: berlin, at: day)
        e.field = .hour
        e.type("0")
        e.type("2")
        #expect(e.text(of: .hour) == "02", "the typed hour is what the field shows")
        #expect(e.wallTimeProblem?.contains("does not exist") == true, "\(String(describing: e.wallTimeProblem))")
        #expect(e.field == .hour)
        e.backspace()
        #expect(e.wallTimeProblem == nil)
    }
}
