import Foundation
import PitstopCore
import PitstopTestSupport
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

    @Test func aFleetWhoseEtcdCannotBeReadLeadsTheAttention() {
        var watch = state(160, 48)
        watch.replicaProblem = ReplicaTrouble(since: "02:10", message: "etcd unreachable or without quorum")
        let text = WatchView.render(watch, fleet: TUIFixture.fleet).text
        #expect(text.contains("⚠ ETCD UNREACHABLE since 02:10: etcd unreachable or without quorum: this shows the last copy"), "\(text)")
    }

    @Test(arguments: [100, 90, 80, 60])
    func aLongStorePathIsCutInTheMiddleAndNeverRunsIntoTheClock(width: Int) {
        var watch = state(width, 24)
        watch.storePath = "/srv/pitstop/teams/database-platform/store"
        let header = WatchView.render(watch, fleet: TUIFixture.fleet).text.split(separator: "\n")[0]
        #expect(header.contains("pid 4242"), "\(header)")
        #expect(header.contains(" ? help · ") && header.contains("12:00:00"), "\(header)")
        if header.contains("/srv") { #expect(header.contains("…") && header.contains("/store ? help"), "\(header)") }
        #expect(width < 80 || (header.contains("/srv") && header.contains("engine: in pid 4242")), "\(header)")
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

/// Overdue reservations and a missing or stopped engine, as the wall screen must say them (SPEC §17).
struct WatchAttentionTests {
    func overdueFleet() throws -> (FleetState, Resource, Date) {
        var fleet = TUIFixture.fleet
        let task = try #require(fleet.tasks.first { $0.resources.contains { $0.status == .pending } })
        let pending = try #require(task.resources.first { $0.status == .pending })
        let at = TUIFixture.now.addingTimeInterval(3600)
        try fleet.apply(.reserve(taskID: task.id, selection: .ids([pending.id]), at: at, stagger: nil, force: false),
                        context: MutationContext(now: TUIFixture.now, actor: "t", timeZone: TUIFixture.utc))
        return (fleet, pending, at)
    }

    func render(_ fleet: FleetState, at now: Date, engine: EngineStatus) -> String {
        var state = WatchState(width: 160, height: 48, now: now, zone: TUIFixture.utc, storePath: "~/s")
        state.engine = engine
        return WatchView.render(state, fleet: fleet).text
    }

    @Test func aReservationWhoseTimePassedIsOverdueNeverInTheFuture() throws {
        // The fixture's first reservations are due at its `now`; five minutes and 44 seconds later they are late.
        let later = TUIFixture.now.addingTimeInterval(5 * 60 + 44)
        let text = render(TUIFixture.fleet, at: later, engine: .daemon(pid: 4242))
        let due = " ◷ \(InstantText.short(TUIFixture.now, in: TUIFixture.utc)) "
        let rows = text.split(separator: "\n").filter { $0.hasPrefix(due) }
        #expect(!rows.isEmpty)
        for row in rows { #expect(row.contains("overdue 4m") || row.contains("overdue 5m"), "\(row)") }
        #expect(text.contains("ATTENTION") && text.contains("reservations are overdue: the oldest"))
        // Before they are due, they are still to come.
        let before = render(TUIFixture.fleet, at: TUIFixture.now.addingTimeInterval(-240), engine: .daemon(pid: 4242))
        #expect(before.split(separator: "\n").filter { $0.hasPrefix(due) }.allSatisfy { $0.contains("in 4m") })
        #expect(!before.contains("overdue:"))
    }

    @Test func anEngineThatIsOffOrStoppedIsNamedUnderAttention() throws {
        let (fleet, _, _) = try overdueFleet()
        let off = render(fleet, at: TUIFixture.now, engine: .none(reason: "none running"))
        #expect(off.contains("ATTENTION") && off.contains("no engine runs on this store"))
        let stopped = render(fleet, at: TUIFixture.now, engine: .stopped(pid: 77))
        #expect(stopped.contains("the engine (process 77) is STOPPED"))
        let running = render(fleet, at: TUIFixture.now, engine: .daemon(pid: 77))
        #expect(!running.contains("no engine runs") && !running.contains("STOPPED"))
    }

    @Test func aStoppedProcessIsSeenAsStopped() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["30"]
        try child.run()
        defer {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
        }
        #expect(!EngineStatus.isStopped(child.processIdentifier))
        kill(child.processIdentifier, SIGSTOP)
        #expect(waitUntil(5) { EngineStatus.isStopped(child.processIdentifier) })
        kill(child.processIdentifier, SIGCONT)
    }
}
