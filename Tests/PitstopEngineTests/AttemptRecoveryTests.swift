import Foundation
import PitstopCore
@testable import PitstopEngine
@testable import PitstopStore
import PitstopTestSupport
import Testing

/// An engine taking over a store on which another engine died at each point of starting an attempt, with
/// real supervisors and a ledger script: the attempt runs exactly once and is recorded once.
@Suite(.serialized)
struct AttemptRecoveryTests {
    let dir = ScratchDirectory("pitstop-recovery")
    var storePath: String { dir.file("store") }
    var ledger: String { dir.file("ledger") }
    let context = MutationContext(now: Date(), actor: "ops (test)", timeZone: TimeZone(identifier: "UTC")!)

    /// A store where MT-1/db-1 is in progress: its start was written, as an engine does before it spawns.
    func storeWithAWrittenStart() throws -> Store {
        let store = try Store.open(storePath)
        var policy = Policy()
        policy.minLeadTime = 0
        try store.mutate(.setPolicy(policy), context: context)
        let argv = ["/bin/sh", "-c", "echo \"start $PITSTOP_ATTEMPT_ID\" >> \"$0\"; sleep 0.3; echo done on $PITSTOP_RESOURCE_NAME", ledger]
        let task = MaintenanceTask(
            id: "MT-1", title: "t", service: .postgresql, requirement: .recommended, recommendedAt: context.now, type: .configChange,
            executor: .command(CommandExecutor(argv: argv, timeoutSeconds: 60)), retries: 2,
            resources: [Resource(id: "db-1", name: "db one")])
        try store.mutate(.importTasks([task]), context: context)
        try store.mutate(.reserve(taskID: "MT-1", selection: .ids(["db-1"]), at: context.now, stagger: nil, force: false), context: context)
        try store.mutate(.start(taskID: "MT-1", resourceID: "db-1"), context: context)
        return store
    }

    func resource(_ store: Store) -> Resource { store.state.task(id: "MT-1")!.resources[0] }

    /// Runs a fresh engine on the store (real clock, real supervisors) until nothing runs.
    func runEngine() throws -> Store { try runSupervisedEngineUntilIdle(storePath: storePath) }

    func expectRanOnceAndCompleted(_ store: Store) throws {
        let ledgerText = try String(contentsOfFile: ledger, encoding: .utf8)
        #expect(ledgerText.split(separator: "\n").count == 1, "one run: \(ledgerText)")
        let r = resource(store)
        #expect(r.status == .completed && r.failures == 0 && r.lastMessage == "done on db one")
        #expect(store.state.events.filter { $0.kind == .restarted }.count == 1)
        #expect(store.state.events.filter { $0.kind == .started }.count == 1 && store.state.events.filter { $0.kind == .completed }.count == 1)
    }

    @Test func killedAfterTheDurableStartBeforeAnyRecord() throws {
        let first = try storeWithAWrittenStart()
        #expect(resource(first).status == .inProgress && resource(first).attemptID != nil)
        try expectRanOnceAndCompleted(try runEngine())
    }

    @Test func killedAfterWritingTheRecordBeforeTheSpawn() throws {
        let first = try storeWithAWrittenStart()
        let id = try #require(resource(first).attemptID)
        let files = AttemptFiles(storeDirectory: storePath)
        try files.prepare()
        // The record as the engine writes it before spawning; the engine's death released its lock.
        let job = ExecutionJob(task: first.state.task(id: "MT-1")!, resource: resource(first))
        try AttemptRecord.header(attemptID: id, job: job, now: Date()).write(toFile: files.record(id), atomically: false, encoding: .utf8)
        try expectRanOnceAndCompleted(try runEngine())
    }

    @Test func aSupervisorThatKeepsDyingBeforeExecFailsTheAttemptInsteadOfLooping() throws {
        _ = try storeWithAWrittenStart()
        let store = try Store.open(storePath)
        // A "supervisor" that exits at once without writing anything, as one killed at birth would. The clock
        // is the engine's own, so the retries' backoff passes at once.
        let clock = ManualClock(Date())
        let engine = Engine(store: store, clock: clock, executors: SupervisedExecutors(storeDirectory: storePath, supervisor: "/bin/true"))
        try engine.start()
        try waitUntil(30) {
            clock.advance(by: 10)
            try engine.tick()
            return engine.isIdle
        }
        _ = try store.poll()
        #expect(!FileManager.default.fileExists(atPath: ledger), "the command never ran")
        #expect(resource(store).attempts == 3, "each attempt was tried, none ran")
        #expect(resource(store).status == .failed && resource(store).lastMessage.contains("stopped 3 times before starting the command"))
    }

    @Test func theLoopStopsWithinOneCheckWhileTheDiskRefusesWrites() throws {
        _ = try storeWithAWrittenStart()
        let store = try Store.open(storePath)
        let engine = Engine(store: store, executors: SupervisedExecutors(storeDirectory: storePath, supervisor: BuiltProducts.path("pitstop-supervisor")))
        let disk = StoreFailureTests.FullDisk()
        var waiting = false
        var checksAfterStop = 0
        var writesAfterStop = 0
        let counting = CountingSeam(disk) { if waiting { writesAfterStop += 1 } }
        try FileIO.$seam.withValue(counting) {
            try EngineLoop(engine: engine, interval: 0.05).run(shouldStop: {
                if waiting { checksAfterStop += 1 }
                return waiting
            }) { status in
                if case .waiting(_, let reason) = status {
                    #expect(reason.contains("No space left on device"))
                    waiting = true
                }
            }
        }
        // One look in the pause before the next try, one at the head of the loop; no further write is tried.
        #expect(waiting && checksAfterStop <= 2 && writesAfterStop == 0, "checks \(checksAfterStop), writes \(writesAfterStop)")
    }

    @Test func retentionRemovesOldAttemptFilesButNeverARunningOnes() throws {
        let files = AttemptFiles(storeDirectory: dir.path)
        try files.prepare()
        let old = Date().addingTimeInterval(-40 * 86400)
        for id in [1, 2, 3] as [UInt64] {
            FileManager.default.createFile(atPath: files.record(id), contents: Data("pitstop-attempt 1\n".utf8))
            FileManager.default.createFile(atPath: files.output(id), contents: Data("out\n".utf8))
            for path in [files.record(id), files.output(id)] {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
            }
        }
        // Attempt 2's supervisor still holds its record; attempt 3 is a resource's current attempt.
        let held = open(files.record(2), O_RDONLY)
        defer { close(held) }
        #expect(flock(held, LOCK_EX) == 0)
        let removed = AttemptRetention.prune(files, olderThan: Date().addingTimeInterval(-30 * 86400), keeping: [3])
        #expect(removed == 2)
        #expect(!FileManager.default.fileExists(atPath: files.record(1)) && !FileManager.default.fileExists(atPath: files.output(1)))
        #expect(FileManager.default.fileExists(atPath: files.record(2)) && FileManager.default.fileExists(atPath: files.output(2)))
        #expect(FileManager.default.fileExists(atPath: files.record(3)) && FileManager.default.fileExists(atPath: files.output(3)))
    }

    @Test func retentionRemovesOldRehearsalsToo() throws {
        let rehearsals = AttemptFiles.rehearsals(storeDirectory: dir.path)
        try rehearsals.prepare()
        #expect(rehearsals.outputsDirectory == dir.path + "/rehearsals/outputs")
        let old = Date().addingTimeInterval(-40 * 86400)
        for path in [rehearsals.record(7), rehearsals.output(7)] {
            FileManager.default.createFile(atPath: path, contents: Data("x\n".utf8))
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
        }
        FileManager.default.createFile(atPath: rehearsals.output(8), contents: Data("recent\n".utf8))
        #expect(AttemptRetention.prune(storeDirectory: dir.path, state: FleetState(), now: Date()) == 2)
        #expect(!FileManager.default.fileExists(atPath: rehearsals.output(7)) && FileManager.default.fileExists(atPath: rehearsals.output(8)))
    }

    @Test func aTeamStoresAttemptFilesGetTheTeamsModes() throws {
        try FileManager.default.createDirectory(atPath: storePath, withIntermediateDirectories: false)
        chmod(storePath, 0o2770)
        _ = try storeWithAWrittenStart()
        let store = try runEngine()
        #expect(resource(store).status == .completed)
        let files = AttemptFiles(storeDirectory: storePath)
        func mode(_ path: String) -> UInt32 {
            var info = stat()
            return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
        }
        for directory in [files.attemptsDirectory, files.outputsDirectory, files.machinesDirectory] {
            #expect(mode(directory) == 0o2770, "\(directory): \(String(mode(directory), radix: 8))")
        }
        let records = try FileManager.default.contentsOfDirectory(atPath: files.attemptsDirectory).filter { $0.hasSuffix(".attempt") }
        let attemptID = try #require(records.first.flatMap { UInt64($0.dropLast(".attempt".count)) })
        for file in [files.record(attemptID), files.output(attemptID), files.machineLock("db-1")] {
            #expect(mode(file) == 0o660, "\(file): \(String(mode(file), radix: 8))")
        }
    }
}

/// Passes every call to another seam and counts the writes.
final class CountingSeam: FileSystemSeam, @unchecked Sendable {
    let inner: any FileSystemSeam
    let onWrite: () -> Void
    init(_ inner: any FileSystemSeam, onWrite: @escaping () -> Void) {
        self.inner = inner
        self.onWrite = onWrite
    }
    func before(_ call: FileCall) -> FaultAction {
        if case .write = call { onWrite() }
        return inner.before(call)
    }
    func after(_ call: FileCall, fd: Int32) { inner.after(call, fd: fd) }
}

/// Gates around real attempts on the engine's own clock: a precheck holds (not a failure), is checked again
/// each minute, and lets the attempt run once it passes; held past the start window, the resource is pending.
@Suite(.serialized)
struct PrecheckEngineTests {
    let dir = ScratchDirectory("pitstop-precheck")
    var storePath: String { dir.file("store") }
    var gate: String { dir.file("gate") }
    var ledger: String { dir.file("ledger") }

    func engine() throws -> (Engine, Store, ManualClock) {
        let store = try Store.open(storePath)
        let clock = ManualClock(Date())
        var policy = Policy()
        policy.minLeadTime = 0
        policy.notifyLeadTimes = []
        let context = MutationContext(now: clock.now, actor: "ops (test)", timeZone: .current)
        try store.mutate(.setPolicy(policy), context: context)
        var task = MaintenanceTask(
            id: "T", title: "t", service: .postgresql, requirement: .recommended, recommendedAt: clock.now, type: .configChange,
            executor: .command(CommandExecutor(argv: ["/bin/sh", "-c", "echo ran >> \"$0\"; echo applied", ledger], timeoutSeconds: 60)), retries: 0,
            resources: [Resource(id: "db-1", name: "db one")])
        task.hooks = TaskHooks(precheck: .argv(["/bin/sh", "-c", "[ -e \"$0\" ] || { echo 'replication lag 40s'; exit 1; }", gate]))
        try store.mutate(.importTasks([task]), context: context)
        try store.mutate(.reserve(taskID: "T", selection: .ids(["db-1"]), at: clock.now, stagger: nil, force: false), context: context)
        let engine = Engine(store: store, clock: clock, executors: SupervisedExecutors(storeDirectory: storePath, supervisor: BuiltProducts.path("pitstop-supervisor")))
        try engine.start()
        return (engine, store, clock)
    }

    /// Ticks (without moving the clock) until `condition` holds on the store, for at most 10 s of real time.
    func tick(_ engine: Engine, until condition: (Resource) -> Bool) throws -> Resource {
        var resource = engine.store.state.task(id: "T")!.resources[0]
        try waitUntil(10) {
            try engine.tick()
            _ = try engine.store.poll()
            resource = engine.store.state.task(id: "T")!.resources[0]
            return condition(resource)
        }
        return resource
    }

    @Test func aPrecheckHoldsThenReleasesWhenItPasses() throws {
        let (engine, store, clock) = try engine()
        let held = try tick(engine) { $0.status == .reserved && $0.heldReason != nil }
        #expect(held.heldReason == "precheck: replication lag 40s" && held.failures == 0 && held.attempts == 0)
        #expect(!FileManager.default.fileExists(atPath: ledger))
        // Within the minute nothing starts again; once the gate opens and the minute passes, it runs.
        try engine.tick()
        #expect(store.state.events.filter { $0.kind == .started }.count == 1)
        FileManager.default.createFile(atPath: gate, contents: nil)
        clock.advance(by: 61)
        let done = try tick(engine) { $0.status == .completed }
        #expect(done.status == .completed && done.lastMessage == "applied" && done.heldReason == nil)
        #expect(try String(contentsOfFile: ledger, encoding: .utf8) == "ran\n", "one run")
        #expect(store.state.events.filter { $0.kind == .precheckFailed }.count == 1)
        #expect(store.state.events.filter { $0.kind == .started }.count == 2 && store.state.events.filter { $0.kind == .failed }.isEmpty)
    }

    @Test func aPrecheckThatNeverPassesEndsPendingWithTheReason() throws {
        let (engine, store, clock) = try engine()
        _ = try tick(engine) { $0.heldReason != nil }
        clock.advance(by: 16 * 60)
        let pending = try tick(engine) { $0.status == .pending }
        #expect(pending.status == .pending && pending.failures == 0 && pending.lastMessage == "held past its start window: precheck: replication lag 40s")
        let held = try #require(store.state.events.last { $0.kind == .held })
        #expect(held.message.contains("precheck: replication lag 40s"))
        #expect(!FileManager.default.fileExists(atPath: ledger))
    }
}
