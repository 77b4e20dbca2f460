import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import PitstopTestSupport
import PitstopText
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
    func run(_ keys: [Key], readonly: Bool = false, variables: [String: String] = ["HOME": "/nonexistent"], onDraw: ((CellBuffer) -> Void)? = nil, hangUpAfterKeys: Bool = false) throws -> HeadlessTerminal {
        let terminal = HeadlessTerminal(width: 120, height: 36, keys: keys)
        if hangUpAfterKeys { terminal.hangUp() }
        terminal.onDraw = onDraw
        let environment = ConsoleEnvironment(
            variables: variables, now: { Self.now }, stopRequested: { false }, makeTerminal: { _, _ in terminal })
        try TUIApp.run(
            TUIApp.Options(storeDirectory: storePath, readonly: readonly, noEngine: true, theme: nil, noColor: true, themeDirectories: []),
            environment: environment)
        return terminal
    }

    static func chars(_ text: String) -> [Key] { text.map { .char($0) } }

    // The limits catch a console that never returns. They are generous because a test's time counts from when it
    // is started, and in the whole suite a synchronous test can wait minutes for a thread behind the server
    // suites (a 1-minute limit failed so, after 272 s, in a run on a loaded machine; alone it takes 0.1 s).
    @Test(.timeLimit(.minutes(10))) func aTerminalThatHangsUpEndsTheConsoleWithoutASignal() throws {
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

    @Test func theHistoryOfOneMachineShowsItsEventsInBothTasksAndEnterOpensOne() throws {
        let store = try Store.open(storePath)
        let context = MutationContext(now: Self.now, actor: "alice@bastion (cli)", timeZone: TimeZone(identifier: "UTC")!)
        let tasks = ["HIST-1", "HIST-2"].map { id in
            MaintenanceTask(id: id, title: "history \(id)", service: .postgresql, requirement: .recommended, recommendedAt: Self.now,
                            type: .configChange, resources: [Resource(id: "db-7", name: "orders-db-7"), Resource(id: "db-8", name: "orders-db-8")])
        }
        try store.mutate(.importTasks(tasks), context: context)
        try store.mutate(.setPolicy({ var p = store.state.policy; p.minLeadTime = 0; return p }()), context: context)
        try store.mutate(.reserve(taskID: "HIST-1", selection: .ids(["db-7"]), at: Self.now.addingTimeInterval(7200), stagger: nil, force: false), context: context)
        try store.mutate(.exclude(taskID: "HIST-2", resourceIDs: ["db-7"]), context: context)
        try store.mutate(.exclude(taskID: "HIST-2", resourceIDs: ["db-8"]), context: context)
        var history: String?
        var detail: String?
        // HIST-1's resources, db-7 under the cursor; H; then the second newest event (j) in full.
        let keys: [Key] = [.enter, .char("H"), .char("j"), .enter, .escape, .escape, .char("q")]
        let terminal = try run(keys, onDraw: { frame in
            if frame.text.contains("History of db-7") && history == nil { history = frame.text }
            if frame.text.contains("Event ") && frame.text.contains("target: ") { detail = frame.text }
        })
        let shown = try #require(history)
        #expect(shown.contains("History of db-7 in 2 tasks — newest first (2)"), "\(shown)")
        let boxed = shown.split(separator: "\n").filter { $0.contains("│") }
        let rows = boxed.filter { $0.contains("excluded") || $0.contains("reserved") }
        #expect(rows.count == 2 && rows[0].contains("excluded") && rows[0].contains("HIST-2") && rows[1].contains("reserved") && rows[1].contains("HIST-1"), "newest first, across tasks: \(rows)")
        #expect(!boxed.contains { $0.contains("db-8") }, "another machine's events stay out")
        let opened = try #require(detail)
        #expect(opened.contains("reserved ·") && opened.contains("target: HIST-1/db-7") && opened.contains("by: alice@bastion (cli)"), "\(opened)")
        #expect(terminal.ended)
    }

    @Test func aFieldFilterNarrowsToTasksWithAFailedResourceHighlightsItAndNJumpsToIt() throws {
        let fleet = try makeStore()
        let withFailed = fleet.tasks.filter { $0.resources.contains { $0.status == .failed } }.map(\.id).sorted()
        try #require(!withFailed.isEmpty && withFailed.count < fleet.tasks.count)
        var listed: String?
        var jumped: CellBuffer?
        let keys: [Key] = [.char("/")] + Self.chars("status:fail") + [.enter, .enter, .char("n"), .char("q")]
        _ = try run(keys, onDraw: { frame in
            if frame.text.contains("filter \"status:fail\"") { listed = frame.text }
            if frame.text.contains("ℹ match ") { jumped = frame }
        })
        let list = try #require(listed)
        for id in fleet.tasks.map(\.id) {
            #expect(list.contains(id) == withFailed.contains(id), "\(id) is listed only when it has a failed resource")
        }
        let frame = try #require(jumped)
        // n put the cursor on a failed resource, whose name is drawn as a match; other rows' names are not.
        let lines = frame.text.split(separator: "\n", omittingEmptySubsequences: false)
        let row = try #require(lines.firstIndex { $0.hasPrefix("▌") })
        #expect(lines[row].contains("✘ failed"), "\(lines[row])")
        // The pane's rows: a mark column, then a status symbol.
        let paneRows = lines.indices.filter { y in lines[y].count > 3 && "✔✘○◷▶⊘⏸".contains(lines[y].dropFirst(3).first ?? " ") }
        func highlighted(_ y: Int) -> Bool { (3..<frame.width).contains { frame[$0, y].style.role == .accent && frame[$0, y].style.bold } }
        #expect(paneRows.count > 1)
        for y in paneRows { #expect(highlighted(y) == lines[y].contains("✘ failed"), "row \(y): \(lines[y])") }
    }

    @Test func sortingByEachColumnBothWaysInBothPanesShowsInTheHeaders() throws {
        _ = try makeStore()
        // Every task column ascending then descending, then every resource column the same way.
        var keys: [Key] = []
        for _ in SortKey.allCases { keys += [.char("s"), .char("S")] }
        keys.append(.enter)
        for _ in ResourceSortKey.allCases.dropFirst() { keys += [.char("s"), .char("S")] }
        var said: [String] = []
        _ = try run(keys + [.char("q")], onDraw: { frame in
            if let line = frame.text.split(separator: "\n").first(where: { $0.contains("sorted by") }), said.last != String(line) { said.append(String(line)) }
        })
        var expected: [String] = []
        for key in SortKey.allCases.dropFirst() + [.id] { expected += ["tasks sorted by \(key.rawValue) ▲", "tasks sorted by \(key.rawValue) ▼"] }
        for key in ResourceSortKey.allCases.dropFirst() { expected += ["resources sorted by \(key.rawValue) ▲", "resources sorted by \(key.rawValue) ▼"] }
        #expect(said.map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "ℹ ", with: "") } == expected)
    }

    @Test func aCompletedColonCommandGoesToTheMachineAndTheNextConsoleRecallsIt() throws {
        let fleet = try makeStore()
        let resource = try #require(fleet.tasks.last?.resources.dropFirst(2).first)
        let config = dir.file("config")
        let variables = ["HOME": "/nonexistent", "XDG_CONFIG_HOME": config]
        // ":res " and the id's start, Tab to complete it, Enter; the pane's cursor lands on the machine.
        let all = Set(fleet.tasks.flatMap { $0.resources.map(\.id) })
        let start = (0..<resource.id.count).reversed().map { String(resource.id.prefix($0 + 1)) }
            .last { prefix in all.filter { $0.hasPrefix(prefix) }.count == 1 } ?? resource.id
        var landed: String?
        _ = try run([.char(":")] + Self.chars("res \(start)") + [.tab, .enter, .char("q")], variables: variables, onDraw: { frame in
            // The resource pane's selected row (the task list's has no status symbol two columns in).
            if let row = frame.text.split(separator: "\n").first(where: { $0.hasPrefix("▌  ") }) { landed = String(row) }
        })
        let row = try #require(landed)
        #expect(row.contains(DisplayWidth.fitMiddle(resource.name, to: 20).prefix(8)), "\(row)")
        #expect(try String(contentsOfFile: config + "/pitstop/history", encoding: .utf8).hasSuffix("res \(resource.id)\n"))
        // The next console: ↑ brings the line back.
        var recalled = false
        _ = try run([.char(":"), .up, .escape, .char("q")], variables: variables, onDraw: { frame in
            if frame.text.contains(" :res \(resource.id)") { recalled = true }
        })
        #expect(recalled)
    }

    @Test func aBadConfigFileIsSaidWithItsLineAndTheDefaultsRunAndAGoodOneRemaps() throws {
        _ = try makeStore()
        let config = dir.file("config")
        try FileManager.default.createDirectory(atPath: config + "/pitstop", withIntermediateDirectories: true)
        let file = config + "/pitstop/config.toml"
        let variables = ["HOME": "/nonexistent", "XDG_CONFIG_HOME": config]
        try "sort = \"title\"\n[keys]\nhelp = \"q\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try run([.char("q")], variables: variables)
        #expect(bad.frames.first?.text.contains("config: \(file):3: q would be bound to both help and quit") == true, "\(bad.frames.first?.text ?? "")")
        #expect(bad.ended, "q still quits: the defaults are in force")
        // Fixed: the sort and the remap are in force, and the help names the remapped key.
        try "sort = \"title\"\n[keys]\nhelp = \"F2\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        var help: String?
        let good = try run([.function(2), .escape, .char("q")], variables: variables, onDraw: { frame in
            if frame.text.contains("Keys and symbols") { help = frame.text }
        })
        #expect(help?.split(separator: "\n").contains { $0.contains(" F2 ") && $0.contains("this help") } == true, "\(help ?? "")")
        #expect(good.frames.first?.text.contains("sort: title ▲") == true)
    }

    @Test func aRemappedConfirmationKeyConfirmsInTheRealLoop() throws {
        let fleet = try makeStore()
        let task = try #require(fleet.tasks.first { $0.resources.first?.status == .reserved })
        let config = dir.file("config")
        try FileManager.default.createDirectory(atPath: config + "/pitstop", withIntermediateDirectories: true)
        try "[keys.confirm]\nyes = \"o\"\n".write(toFile: config + "/pitstop/config.toml", atomically: true, encoding: .utf8)
        var footer: String?
        let keys: [Key] = [.char("/")] + Self.chars(task.id) + [.enter, .enter, .char("c"), .char("y"), .char("o"), .char("q")]
        _ = try run(keys, variables: ["HOME": "/nonexistent", "XDG_CONFIG_HOME": config], onDraw: { frame in
            if frame.text.contains("Clear 1 reservation") { footer = frame.text.split(separator: "\n").last.map(String.init) }
        })
        #expect(footer?.contains("o yes") == true, "\(footer ?? "")")
        let stored = try Store.open(storePath, options: StoreOptions(readOnly: true))
        #expect(stored.state.task(id: task.id)?.resources.first?.status == .pending, "o cleared it; y did nothing")
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

    @Test(.timeLimit(.minutes(10))) func ctrlZGivesTheEngineUpWhileStoppedAndTakesItBackWhenFree() throws {
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

    @Test(.timeLimit(.minutes(10))) func anEngineTakenWhileStoppedIsLeftToItsNewOwner() throws {
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

    @Test(.timeLimit(.minutes(10))) func thePlanPreviewIsWorkedOutOffTheLoopAndArrivesAsAMessage() throws {
        _ = try makeStore()
        var placeholderSeen = false
        var quitting = false
        let terminal = HeadlessTerminal(width: 120, height: 36, keys: [.down, .char("p")])
        terminal.onDraw = { frame in
            if frame.text.contains("Working out the plan") { placeholderSeen = true }
            if !quitting && frame.text.contains("deadline risk") || !quitting && frame.text.contains("DEADLINE RISK") {
                quitting = true
                terminal.send([.escape, .char("q")])
            }
        }
        let environment = ConsoleEnvironment(
            variables: ["HOME": "/nonexistent"], now: { Self.now }, stopRequested: { false }, makeTerminal: { _, _ in terminal })
        try TUIApp.run(
            TUIApp.Options(storeDirectory: storePath, readonly: false, noEngine: true, theme: nil, noColor: true, themeDirectories: []),
            environment: environment)
        #expect(placeholderSeen, "the loop drew a frame while the plan was being worked out")
        #expect(quitting, "the preview arrived")
    }

    @Test func aFailedPlanPreviewClosesItsPlaceholderAndSaysWhy() {
        var state = TUIFixture.state()
        TUIFixture.send(&state, .down, .char("p"))
        guard let placeholder = state.topOverlay as? PlanOverlay, placeholder.preview == nil else {
            Issue.record("p opens the placeholder: \(String(describing: state.topOverlay))")
            return
        }
        let taskID = placeholder.taskID
        _ = Reducer.reduce(&state, .planFailed(taskID: taskID, "the fleet changed"), fleet: TUIFixture.fleet)
        #expect(state.topOverlay == nil)
        #expect(state.notification?.text == "plan preview of \(taskID) failed: the fleet changed")
    }

    @Test func ctrlLRepaintsTheWholeTerminal() throws {
        _ = try makeStore()
        let terminal = try run([.redraw, .char("?"), .redraw, .escape, .char("q")])
        #expect(terminal.repaints == 2)
    }
}

/// Two writers on one resource (SPEC §17): a console's editor or prompt that another process's change has
/// overtaken says who changed what and asks again, instead of silently writing over it.
@Suite(.serialized)
struct TwoWritersTests {
    let dir = ScratchDirectory("pitstop-two-writers")
    var storePath: String { dir.file("store") }
    static let now = Date(timeIntervalSince1970: 1_795_608_000)

    func makeStore() throws -> FleetState {
        let store = try Store.open(storePath)
        try store.replaceAll(with: DemoFleet(taskCount: 8, resourceCount: 64, seed: 7).build(now: Self.now), now: Self.now)
        return store.state
    }

    @Test(.timeLimit(.minutes(10))) func theSecondEditorIsToldWhoChangedWhatAndAskedAgain() throws {
        let fleet = try makeStore()
        let task = try #require(fleet.tasks.first { $0.status == .pending && $0.resources.first?.status == .pending && !$0.downtime })
        let resource = try #require(task.resources.first)
        let theirs = Self.now.addingTimeInterval(3 * 3600)
        let other = try Store.open(storePath)
        var step = 0
        var sawConflict: String?
        let terminal = HeadlessTerminal(width: 120, height: 36, keys: [.char("/")] + ConsoleLoopTests.chars(task.id) + [.enter, .enter, .char("e")])
        terminal.onDraw = { frame in
            let text = frame.text
            switch step {
            case 0 where text.contains("Reserve 1 resource of \(task.id)") && text.contains("✔ allowed"):
                // Another operator, in another process, reserves the same resource first.
                _ = try? other.mutate(.reserve(taskID: task.id, selection: .ids([resource.id]), at: theirs, stagger: nil, force: false),
                                      context: MutationContext(now: Self.now, actor: "alice@bastion (cli)", timeZone: TimeZone(identifier: "UTC")!))
                step = 1
                terminal.send([.enter])
            case 1 where text.contains("changed since you opened this"):
                sawConflict = text
                step = 2
                terminal.send([.enter])
            case 2 where text.contains("saved: 1 reservation of \(task.id)"):
                step = 3
                terminal.send([.char("q")])
            default:
                break
            }
        }
        let environment = ConsoleEnvironment(
            variables: ["HOME": "/nonexistent"], now: { Self.now }, stopRequested: { false }, makeTerminal: { _, _ in terminal })
        try TUIApp.run(
            TUIApp.Options(storeDirectory: storePath, readonly: false, noEngine: true, theme: nil, noColor: true, themeDirectories: []),
            environment: environment)
        let conflict = try #require(sawConflict, "the console never said that the resource changed")
        #expect(conflict.contains("\(resource.name) is now reserved for 11-25 15:00 (alice, 11-25 12:00)"), "\(conflict)")
        #expect(step == 3, "the second Enter saved")
        let stored = try Store.open(storePath, options: StoreOptions(readOnly: true))
        let last = Array(stored.state.events.suffix(2))
        #expect(last.map(\.kind) == [.reserved, .rescheduled])
        #expect(ViewText.who(last[0].actor) == "alice", "alice's reservation is in the log, not lost")
        #expect(last[1].actor.hasSuffix("(tui)") && last[1].message.contains("moved from 2026-11-25 15:00"), "\(last[1].message)")
    }

    @Test func aConfirmationOvertakenByAnotherWriterAsksAgain() throws {
        var fleet = TUIFixture.fleet
        var state = TUIFixture.state(width: 120, height: 40)
        let index = try #require(state.visibleTaskIDs.firstIndex { id in fleet.task(id: id)?.resources.first?.status == .reserved })
        for key in Array(repeating: Key.down, count: index) + [.enter, .char("c")] { _ = Reducer.reduce(&state, .key(key), fleet: fleet) }
        let prompt = try #require(state.topOverlay?.confirmation)
        #expect(prompt.title.hasPrefix("Clear 1 reservation"))
        let task = try #require(state.selectedTask(fleet))
        _ = try fleet.apply(.exclude(taskID: task.id, resourceIDs: [task.resources[0].id]),
                            context: MutationContext(now: TUIFixture.now, actor: "bob@ops (tui)", timeZone: TUIFixture.utc))
        _ = Reducer.reduce(&state, .fleetChanged, fleet: fleet)
        #expect(TUIFixture.send(&state, .char("y"), fleet: fleet).isEmpty, "nothing is written on the first y")
        #expect(state.topOverlay?.confirmation?.title.hasPrefix("Changed meanwhile") == true)
        #expect(state.notification?.text.contains("\(task.resources[0].name) is now excluded (bob, 11-25 12:00)") == true, "\(String(describing: state.notification))")
        let effects = TUIFixture.send(&state, .char("y"), fleet: fleet)
        guard case .mutate(_, _, let expecting)? = effects.first else {
            Issue.record("the second y writes: \(effects)")
            return
        }
        #expect(expecting.first?.status == .excluded, "the write expects the state the person was just shown")
    }

    @Test func theStoreRefusesAWriteWhoseResourcesMovedSinceTheWriterLooked() throws {
        let fleet = try makeStore()
        let task = try #require(fleet.tasks.first { $0.resources.first?.status == .pending })
        let resource = try #require(task.resources.first)
        let seen = ResourceVersion(resource, of: task.id)
        let store = try Store.open(storePath)
        let context = MutationContext(now: Self.now, actor: "t", timeZone: TimeZone(identifier: "UTC")!)
        try store.mutate(.exclude(taskID: task.id, resourceIDs: [resource.id]), context: context)
        let before = store.sequence
        #expect(throws: MutationError.changedMeanwhile(taskID: task.id, resourceIDs: [resource.id])) {
            try store.mutate(.include(taskID: task.id, resourceIDs: [resource.id]), context: context, expecting: [seen])
        }
        #expect(store.sequence == before, "nothing was written")
    }
}

/// `u` in the real loop on a store on disk: each kind of change made from the console put back, and an undo
/// refused once another writer moved the resource.
@Suite(.serialized)
struct UndoLoopTests {
    let dir = ScratchDirectory("pitstop-undo")
    var storePath: String { dir.file("store") }
    static let now = Date(timeIntervalSince1970: 1_795_608_000)
    static let context = MutationContext(now: now, actor: "alice@bastion (cli)", timeZone: TimeZone(identifier: "UTC")!)

    /// UNDO-1: r1 and r2 reserved, r3 failed once, r4 excluded, r5 pending; no lead time.
    func makeStore() throws -> Store {
        let store = try Store.open(storePath)
        let task = MaintenanceTask(id: "UNDO-1", title: "undo", service: .postgresql, requirement: .recommended, recommendedAt: Self.now,
                                   type: .configChange, resources: (1...5).map { Resource(id: "r\($0)", name: "db-\($0)") })
        try store.mutate(.importTasks([task]), context: Self.context)
        try store.mutate(.setPolicyValue(key: "minLeadTime", value: "0"), context: Self.context)
        try store.mutate(.reserve(taskID: "UNDO-1", selection: .ids(["r1", "r2", "r3"]), at: Self.now.addingTimeInterval(3 * 3600), stagger: Stagger(spacing: 600, perSlot: 1), force: false), context: Self.context)
        try store.mutate(.start(taskID: "UNDO-1", resourceID: "r3"), context: Self.context)
        try store.mutate(.fail(taskID: "UNDO-1", resourceID: "r3", message: "boom"), context: Self.context)
        try store.mutate(.exclude(taskID: "UNDO-1", resourceIDs: ["r4"]), context: Self.context)
        return store
    }

    func run(_ terminal: HeadlessTerminal) throws {
        let environment = ConsoleEnvironment(
            variables: ["HOME": "/nonexistent"], now: { Self.now }, stopRequested: { false }, makeTerminal: { _, _ in terminal })
        try TUIApp.run(
            TUIApp.Options(storeDirectory: storePath, readonly: false, noEngine: true, theme: nil, noColor: true, themeDirectories: []),
            environment: environment)
    }

    @Test func eachKindOfChangeIsPutBackAndLoggedAsAnUndo() throws {
        let before = try makeStore().state.task(id: "UNDO-1")!
        // r1 clear, r2 exclude, r3 retry, r4 include, r5 reserve — each undone at once with u.
        let keys: [Key] = [.enter, .char("c"), .char("y"), .char("u"),
                           .down, .char("x"), .char("y"), .char("u"),
                           .down, .char("r"), .char("y"), .char("u"),
                           .down, .char("x"), .char("u"),
                           .down, .char("e"), .enter, .char("u"), .char("u"), .char("q")]
        let terminal = HeadlessTerminal(width: 120, height: 36, keys: keys)
        var said: [String] = []
        terminal.onDraw = { frame in
            if let line = frame.text.split(separator: "\n").first(where: { $0.contains("undone: ") || $0.contains("nothing to undo") }), said.last != String(line) { said.append(String(line)) }
        }
        try run(terminal)
        let after = try Store.open(storePath, options: StoreOptions(readOnly: true))
        let task = try #require(after.state.task(id: "UNDO-1"))
        for old in before.resources {
            let now = try #require(task.resource(id: old.id))
            #expect(RestoredResource(now) == RestoredResource(old), "\(old.id) is back as it was")
        }
        let undone = after.state.events.events(ofKind: .undone)
        #expect(undone.count == 5, "\(undone.map(\.message))")
        #expect(undone.allSatisfy { $0.message.hasPrefix("undo of #") && $0.actor.hasSuffix("(tui)") })
        // Each names the first event of the change it undoes, which was made just before it.
        for event in undone {
            let number = UInt64(event.message.dropFirst("undo of #".count).prefix { $0.isNumber })!
            let original = after.state.events.first { $0.sequence == number }
            #expect(original?.resourceID == event.resourceID && original?.kind != .undone, "\(event.message)")
        }
        #expect(said.count == 6 && said.last?.contains("nothing to undo") == true, "\(said)")
    }

    @Test func anEventOfAnAttemptOpensThatAttemptsOutputFromTheHistory() throws {
        let store = try makeStore()
        let attempt = try #require(store.state.events.events(ofResource: "r3").last { $0.attemptID != nil }?.attemptID)
        var detail: String?
        var output: String?
        // r3's history (H), its newest event (the failure) in full (Enter), then its attempt's output (o).
        let terminal = HeadlessTerminal(width: 120, height: 36, keys: [.enter, .down, .down, .char("H"), .enter, .char("o"), .escape, .escape, .escape, .char("q")])
        terminal.onDraw = { frame in
            if frame.text.contains("o shows its output") { detail = frame.text }
            if frame.text.contains("Output — UNDO-1/r3") { output = frame.text }
        }
        try run(terminal)
        #expect(detail?.contains("attempt: \(attempt)") == true, "\(detail ?? "")")
        #expect(output?.contains("attempt \(attempt)") == true, "\(output ?? "")")
    }

    @Test func anUndoIsRefusedWhenAnotherWriterMovedTheResourceSince() throws {
        let store = try makeStore()
        let terminal = HeadlessTerminal(width: 120, height: 36, keys: [.enter, .char("c"), .char("y")])
        var step = 0
        var refusal: String?
        terminal.onDraw = { frame in
            switch step {
            case 0 where frame.text.contains("cleared 1 reservation"):
                // Another operator reserves r1 again, at another time, before this console's u.
                _ = try? store.mutate(.reserve(taskID: "UNDO-1", selection: .ids(["r1"]), at: Self.now.addingTimeInterval(9 * 3600), stagger: nil, force: false), context: Self.context)
                step = 1
                terminal.send([.char("u")])
            case 1 where frame.text.contains("not undone"):
                refusal = frame.text.split(separator: "\n").first { $0.contains("not undone") }.map(String.init)
                step = 2
                terminal.send([.char("q")])
            default: break
            }
        }
        try run(terminal)
        let line = try #require(refusal)
        #expect(line.contains("changed since by another writer or the engine") && line.contains("alice"), "\(line)")
        let r1 = try #require(Store.open(storePath, options: StoreOptions(readOnly: true)).state.task(id: "UNDO-1")?.resource(id: "r1"))
        #expect(r1.status == .reserved && r1.scheduledAt == Self.now.addingTimeInterval(9 * 3600), "alice's reservation stands")
    }
}
