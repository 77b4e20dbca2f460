import Foundation
import PitstopEngine
import PitstopStore
import PitstopTestSupport
import Testing
import PitstopCore

/// `pitstop daemon` as a real process beside CLI writers on one store.
@Suite(.serialized)
struct DaemonProcessTests {
    let dir = ScratchDirectory("pitstop-daemon")
    var store: String { dir.file("store") }
    var binary: String { BuiltProducts.path("pitstop") }

    func pitstop(_ arguments: String...) throws -> ProcessResult {
        try PitstopCommand(store: store).run(arguments)
    }

    func prepare() throws {
        let file = dir.file("tasks.json")
        try """
            {"tasks": [{"id": "MT-1", "title": "fast upgrade", "service": "MySQL", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "type": "os-update",
              "executor": {"kind": "simulated", "durationSeconds": 1, "jitter": 0},
              "resources": [{"id": "db-1", "name": "db one"}, {"id": "db-2", "name": "db two"}]}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try pitstop("import", file).status == 0)
        #expect(try pitstop("policy", "set", "minLeadTime", "0").status == 0)
    }

    func startDaemon() throws -> Process {
        try PitstopCommand(store: store).startDaemon()
    }

    @Test func aDaemonRunsWhatTheCLIReservesAndTheCLISeesIt() throws {
        try prepare()
        let daemon = try startDaemon()
        defer {
            daemon.interrupt()
            daemon.waitUntilExit()
        }
        #expect(try pitstop("reserve", "MT-1", "db-1", "--at", "now+1s").status == 0)
        #expect(try waitUntil(20) { try pitstop("task", "MT-1", "--json").stdout.contains(#""status" : "completed""#) })
        let events = try pitstop("events", "--task", "MT-1").stdout
        #expect(events.contains("started") && events.contains("completed") && events.contains("(engine)"))
    }

    @Test func aSecondDaemonIsRefusedNamingTheFirst() throws {
        try prepare()
        let daemon = try startDaemon()
        defer {
            daemon.interrupt()
            daemon.waitUntilExit()
        }
        // The first daemon holds the engine lock (not just created its file).
        #expect(waitUntil(20) { EngineLock.holder(storeDirectory: store) == daemon.processIdentifier })
        let second = try pitstop("daemon", "--once")
        #expect(second.status != 0)
        #expect(second.stderr.contains("another engine already runs on this store (process \(daemon.processIdentifier))"), "\(second.stderr)")
    }

    @Test func daemonOnceRunsWhatIsDueAndExits() throws {
        try prepare()
        #expect(try pitstop("reserve", "MT-1", "db-1", "db-2", "--at", "now").status == 0)
        let result = try pitstop("daemon", "--once", "--interval", "0.1")
        #expect(result.status == 0 && result.stderr.contains("stopped"))
        let task = try pitstop("task", "MT-1", "--json").stdout
        #expect(task.components(separatedBy: #""status" : "completed""#).count == 4, "both resources and the task")
    }

    @Test func sigtermStopsTheDaemonAndTheNextOneRecordsTheAttempt() throws {
        try prepare()
        let daemon = try startDaemon()
        #expect(try pitstop("reserve", "MT-1", "db-1", "--at", "now").status == 0)
        #expect(try waitUntil(20) { try pitstop("task", "MT-1", "--json").stdout.contains("in-progress") })
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        #expect(try pitstop("daemon", "--once", "--interval", "0.1").status == 0)
        let task = try pitstop("task", "MT-1", "--json").stdout
        #expect(task.components(separatedBy: #""status" : "completed""#).count == 2, "the resource and the task")
    }
}

/// A viewer following a store another process writes.
@Suite(.serialized)
struct StoreFollowerTests {
    @Test func wakesOnAnotherProcessesWriteAndReadsOnlyThat() throws {
        let dir = ScratchDirectory("pitstop-follow")
        let path = dir.file("store")
        #expect(try runProcess(BuiltProducts.path("pitstop"), ["--store", path, "demo", "--tasks", "4", "--resources", "12"]).status == 0)
        let follower = StoreFollower(store: try Store.open(path, options: StoreOptions(readOnly: true)))
        #expect(follower.usesInotify)
        _ = follower.wait(timeout: 0)
        #expect(try follower.poll() == .unchanged)
        let task = follower.store.state.tasks[3]
        let writer = try runProcess(BuiltProducts.path("pitstop"), ["--store", path, "exclude", task.id, task.resources[0].id])
        #expect(writer.status == 0)
        let wake = follower.wait(timeout: 5)
        #expect(wake.contains(.store))
        let batches = try #require(try follower.poll().batches)
        #expect(batches.count == 1 && batches[0].events[0].kind == .excluded)
        #expect(follower.store.state.task(id: task.id)!.resources[0].status == .excluded)
    }
}
