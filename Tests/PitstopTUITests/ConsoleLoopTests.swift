import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import PitstopTestSupport
@testable import PitstopTUI
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The whole console loop on a headless terminal: keys in, frames out, writes in the store on disk — the
/// same `TUIApp.run` as in a real terminal, with the clock, the environment and the terminal injected.
@Suite(.serialized)
struct ConsoleLoopTests {
    let dir = ScratchDirectory("pitstop-console-loop")
    var storePath: String { dir.file("store") }
    static let now = Date(timeIntervalSince1970: 1_795_608_000)

    func makeStore() throws -> FleetState {
        let store = try Store.open(storePath)
        let fleet = DemoFleet(taskCount: 8, resourceCount: 64, seed: 7).build(now: Self.now)
        try store.replaceAll(with: fleet, now: Self.now)
        return fleet
    }

    /// Runs the console until the keys end with `q` (or, with `hangUpAfterKeys`, until the input hangs up once
    /// they are read); returns the terminal with every frame drawn.
    func run(_ keys: [Key], readonly: Bool = false, onDraw: ((CellBuffer) -> Void)? = nil, hangUpAfterKeys: Bool = false) throws -> HeadlessTerminal {
        let terminal = HeadlessTerminal(width: 120, height: 36, keys: keys)
        if hangUpAfterKeys { terminal.hangUp() }
        terminal.onDraw = onDraw
        let environment = ConsoleEnvironment(
            variables: ["HOME": "/nonexistent"], now: { Self.now }, stopRequested: { false }, makeTerminal: { _, _ in terminal })
        try TUIApp.run(
            TUIApp.Options(storeDirectory: storePath, readonly: readonly, noEngine: true, theme: nil, noColor: true, themeDirectories: []),
            environment: environment)
        return terminal
    }

    static func chars(_ text: String) -> [Key] { text.map { .char($0) } }

    @Test(.timeLimit(.minutes(1))) func aTerminalThatHangsUpEndsTheConsoleWithoutASignal() throws {
        _ = try makeStore()
        // No `q`, and the environment never asks to stop: only the input hanging up can end the loop.
        var frames = 0
        let terminal = try run([.down], onDraw: { _ in frames += 1 }, hangUpAfterKeys: true)
        #expect(terminal.ended, "the terminal was given back")
        #expect(frames >= 1)
    }

    @Test func reservingInPlaceWritesTheStoreAndTheScreenSaysSo() throws {
        let fleet = try makeStore()
        let task = try #require(fleet.tasks.first { task in task.status == .pending && task.resources.first?.status == .pending })
        var keys: [Key] = [.char("/")] + Self.chars(task.id) + [.enter, .enter, .char("e"), .enter]
        if task.downtime { keys.append(.char("y")) }
        let terminal = try run(keys + [.char("q")])
        #expect(terminal.ended, "the terminal was given back")
        #expect(terminal.frames.contains { $0.text.contains("saved: 1 reservation of \(task.id)") })
        let stored = try Store.open(storePath, options: StoreOptions(readOnly: true))
        let resource = try #require(stored.state.task(id: task.id)?.resources.first)
        #expect(resource.status == .reserved && resource.scheduledAt != nil)
        #expect(stored.state.events.last?.kind == .reserved && stored.state.events.last?.actor.hasSuffix("(tui)") == true)
    }

    @Test func aStoreBusyWithAnotherWriterIsSaidAndNothingChanges() throws {
        let fleet = try makeStore()
        let task = try #require(fleet.tasks.first { $0.resources.contains { $0.status == .reserved } })
        let reserved = try #require(task.resources.firstIndex { $0.status == .reserved })
        // Another process takes the store's lock once the console is up, and keeps it.
        let held = open(StoreLayout(directory: storePath).lock, O_RDWR)
        defer { close(held) }
        var locked = false
        let keys: [Key] = [.char("/")] + Self.chars(task.id) + [.enter, .enter] + Array(repeating: .down, count: reserved) + [.char("c"), .char("y"), .char("q")]
        let terminal = try run(keys) { _ in
            if !locked { locked = flock(held, LOCK_EX) == 0 }
        }
        #expect(locked)
        #expect(terminal.frames.contains { $0.text.contains("the store is busy: another process holds its lock; nothing changed, try again") })
        flock(held, LOCK_UN)
        let stored = try Store.open(storePath, options: StoreOptions(readOnly: true))
        #expect(stored.state.task(id: task.id)?.resources[reserved].status == .reserved)
    }

    @Test func readOnlyRefusesAChangeAndTheStoreStaysAsItWas() throws {
        _ = try makeStore()
        let before = try Store.open(storePath, options: StoreOptions(readOnly: true)).sequence
        let terminal = try run([.enter, .char("c"), .char("q")], readonly: true)
        #expect(terminal.frames.contains { $0.text.contains("read-only: clear is disabled") })
        #expect(try Store.open(storePath, options: StoreOptions(readOnly: true)).sequence == before)
    }

    /// Runs a console with its own engine; Ctrl-Z is pressed once the first frame is drawn, and `whileStopped`
    /// runs where the process would be stopped. Then `q`, once the console has drawn itself again.
    func runSuspended(whileStopped: @escaping () -> Void) throws -> HeadlessTerminal {
        let terminal = HeadlessTerminal(width: 120, height: 36)
        var pressed = false
        var quitting = false
        // `q` once the console has drawn itself after `fg`.
        terminal.onDraw = { frame in
            if !quitting && frame.text.contains("resumed") {
                quitting = true
                terminal.send([.char("q")])
            }
        }
        let environment = ConsoleEnvironment(
            variables: ["HOME": "/nonexistent"], now: { Date() }, stopRequested: { false }, makeTerminal: { _, _ in terminal },
            suspendRequested: {
                guard !pressed, !terminal.frames.isEmpty else { return false }
                pressed = true
                return true
            },
            suspendProcess: whileStopped)
        try TUIApp.run(
            TUIApp.Options(storeDirectory: storePath, readonly: false, noEngine: false, theme: nil, noColor: true, themeDirectories: []),
            environment: environment)
        return terminal
    }

    @Test(.timeLimit(.minutes(1))) func ctrlZGivesTheEngineUpWhileStoppedAndTakesItBackWhenFree() throws {
        _ = try makeStore()
        var holderWhileStopped: Int32? = 0
        var anotherEngineCouldRun = false
        let terminal = try runSuspended {
            holderWhileStopped = EngineLock.holder(storeDirectory: storePath)
            // Another engine takes the store while the console is stopped, and leaves before `fg`.
            anotherEngineCouldRun = (try? EngineLock(storeDirectory: storePath)) != nil
        }
        #expect(terminal.suspensions == 1, "the terminal was given to the shell")
        #expect(holderWhileStopped == nil, "no engine lock is held while the console is stopped")
        #expect(anotherEngineCouldRun)
        let after = try #require(terminal.frames.last { $0.text.contains("resumed") }).text
        #expect(after.contains("engine: on") && after.contains("resumed; the engine runs here again"), "\(after)")
    }

    @Test(.timeLimit(.minutes(1))) func anEngineTakenWhileStoppedIsLeftToItsNewOwner() throws {
        _ = try makeStore()
        var other: EngineLock?
        let terminal = try runSuspended {
            other = try? EngineLock(storeDirectory: storePath)
        }
        #expect(other != nil)
        let after = try #require(terminal.frames.last { $0.text.contains("resumed") }).text
        #expect(after.contains("engine: in pid \(getpid())"), "\(after)")
        #expect(after.contains("another process took the engine while this console was stopped"))
        #expect(EngineLock.holder(storeDirectory: storePath) == getpid(), "the console did not take the lock back")
        withExtendedLifetime(other) {}
    }

    @Test func ctrlLRepaintsTheWholeTerminal() throws {
        _ = try makeStore()
        let terminal = try run([.redraw, .char("?"), .redraw, .escape, .char("q")])
        #expect(terminal.repaints == 2)
    }
}
