import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// The watch screen as golden frames, and what `--exit-status` reports.
struct WatchScreenTests {
    func state(_ width: Int, _ height: Int, task: String? = nil) -> WatchState {
        var state = WatchState(width: width, height: height, now: TUIFixture.now, zone: TUIFixture.utc, storePath: "~/.local/share/pitstop", taskID: task)
        state.engine = .daemon(pid: 4242)
        return state
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func goldenFrames(width: Int, height: Int) {
        expectGolden(WatchView.render(state(width, height), fleet: TUIFixture.fleet), "watch-\(width)x\(height)")
    }

    @Test func heldReservationsAreListedUnderAttention() throws {
        let (fleet, primary) = try TUIFixture.fleetWithHeldPrimary()
        let text = WatchView.render(state(160, 48), fleet: fleet).text
        #expect(text.contains("ATTENTION"))
        #expect(text.contains("⏸ \(primary.name) (MT-0002) held: waiting for replica members-pg-01-replica2"))
    }

    @Test func narrowsToOneTask() {
        let buffer = WatchView.render(state(100, 30, task: "MT-0002"), fleet: TUIFixture.fleet)
        #expect(buffer.text.contains("task MT-0002") && !buffer.text.contains("MT-0007"))
    }

    @Test func tooSmallSaysSo() {
        #expect(WatchView.render(state(40, 10), fleet: TUIFixture.fleet).text.contains("Terminal too small"))
    }

    @Test func failingWhileAnyResourceFailedOrATaskIsHalted() {
        #expect(WatchView.isFailing(TUIFixture.fleet, state(80, 24)))
        #expect(!WatchView.isFailing(TUIFixture.fleet, state(80, 24, task: "MT-0004")))
        var halted = TUIFixture.fleet
        try! halted.apply(.halt(taskID: "MT-0004", reason: "test"), context: MutationContext(now: TUIFixture.now, actor: "t", timeZone: TUIFixture.utc))
        #expect(WatchView.isFailing(halted, state(80, 24, task: "MT-0004")))
    }

    @Test func theEventListIsBoundedHoweverLongTheLog() {
        var fleet = TUIFixture.fleet
        let drafts = (0..<5000).map { EventDraft(kind: .notified, taskID: "MT-0001", message: "event \($0)") }
        try! fleet.apply(.recordEvents(drafts), context: MutationContext(now: TUIFixture.now, actor: "t", timeZone: TUIFixture.utc))
        let text = WatchView.render(state(120, 400), fleet: fleet).text
        #expect(text.components(separatedBy: "notified").count - 1 <= WatchView.eventLimit)
    }
}
