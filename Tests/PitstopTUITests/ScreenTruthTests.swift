import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// The screen never lies (SPEC §17): a write that cuts a wide character leaves no half of it claiming the
/// other; a resize never leaves blank rows while rows are hidden above; times gone by are said as gone by.
struct ScreenTruthTests {
    @Test func aBorderOverAnEmojisRightHalfLeavesNoHalfCharacter() {
        var buffer = CellBuffer(width: 12, height: 1)
        buffer.put("ab🛒cd", x: 0, y: 0)
        #expect(buffer[3, 0].isContinuation)
        buffer.put("│", x: 3, y: 0)
        // The emoji's left half would be drawn two columns wide, over the border: it becomes a blank.
        #expect(buffer[2, 0].character == " " && !buffer[2, 0].isContinuation)
        #expect(buffer[3, 0].character == "│")
        #expect(buffer.text == "ab │cd")
    }

    @Test func aWriteEndingOnAnEmojisLeftHalfBlanksItsRightHalf() {
        var buffer = CellBuffer(width: 12, height: 1)
        buffer.put("ab카트cd", x: 0, y: 0)
        buffer.put("XYZ", x: 0, y: 0)
        // "XYZ" covers 카's left half at column 2; its right half at column 3 must not stay a continuation.
        #expect(!buffer[3, 0].isContinuation)
        #expect(buffer.text == "XYZ 트cd")
        buffer.fill(x: 4, y: 0, width: 1, height: 1, style: .plain)
        #expect(!buffer[5, 0].isContinuation && buffer.text == "XYZ   cd")
    }

    @Test func growingTheWindowAgainShowsTheWholeListWithNoBlankRows() {
        var state = TUIFixture.state(width: 120, height: 60)
        let fleet = TUIFixture.fleet
        TUIFixture.send(&state, .end)
        #expect(state.taskCursor == state.visibleTaskIDs.count - 1)
        for (width, height) in [(20, 5), (120, 60)] {
            _ = Reducer.reduce(&state, .resized(width: width, height: height), fleet: fleet)
        }
        // 17 tasks fit in 60 rows: nothing may stay hidden above.
        #expect(state.visibleTaskIDs.count <= state.layout.taskRows)
        #expect(state.taskScroll == 0)
        let text = Renderer.render(state, fleet: fleet).text
        #expect(text.contains("MT-0001") && text.contains("MT-0099"))
    }

    @Test func aShorterWindowScrollsOnlyAsFarAsTheListNeeds() {
        #expect(AppState.scroll(11, cursor: 15, rows: 13, count: 16) == 3)
        #expect(AppState.scroll(0, cursor: 15, rows: 3, count: 16) == 13)
        #expect(AppState.scroll(5, cursor: 2, rows: 3, count: 16) == 2)
        #expect(AppState.scroll(4, cursor: 0, rows: 10, count: 0) == 0)
    }

    @Test func ctrlLAsksForARepaintInThePanesAndInEveryOverlay() {
        var state = TUIFixture.state()
        #expect(TUIFixture.send(&state, .redraw) == [.repaint])
        TUIFixture.send(&state, .char("?"))
        #expect(TUIFixture.send(&state, .redraw) == [.repaint])
        #expect(state.topOverlay as? HelpOverlay == HelpOverlay(), "the overlay stays open")
    }

    @Test(arguments: [
        (-300.0, "5m ago"), (-3 * 86400 - 7200.0, "3d 2h ago"), (240.0, "in 4m"), (0.2, "now"),
    ])
    func relativeTimesSayWhichSideOfNowTheyAreOn(offset: Double, expected: String) {
        #expect(ViewText.relative(TUIFixture.now.addingTimeInterval(offset), from: TUIFixture.now) == expected)
    }

    @Test func aDeadlineGoneBySaysByHowMuch() {
        #expect(ViewText.countdown(to: TUIFixture.now.addingTimeInterval(-8 * 3600), from: TUIFixture.now) == "overdue by 8h 0m")
        #expect(ViewText.countdown(to: TUIFixture.now.addingTimeInterval(90), from: TUIFixture.now) == "1m")
    }

    @Test func aPastReservationTimeIsRefusedAsPastNotAsSoon() throws {
        var fleet = TUIFixture.fleet
        let task = try #require(fleet.tasks.first { $0.resources.contains { $0.status == .pending } })
        let pending = try #require(task.resources.first { $0.status == .pending })
        let past = TUIFixture.now.addingTimeInterval(-4 * 86400)
        #expect {
            try fleet.apply(.reserve(taskID: task.id, selection: .ids([pending.id]), at: past, stagger: nil, force: false),
                            context: MutationContext(now: TUIFixture.now, actor: "t", timeZone: TUIFixture.utc))
        } throws: { error in
            let text = "\(error)"
            return text.contains("is in the past (4d 0h ago)") && !text.contains("from now")
        }
    }
}
