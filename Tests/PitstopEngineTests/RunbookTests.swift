import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Tasks that name a runbook in `STORE/runbooks/`: run when the owner's files are intact, refused with the
/// fix when anyone else could have changed them.
@Suite(.serialized)
struct RunbookTests {
    let dir = ScratchDirectory("pitstop-runbook")
    var storePath: String { dir.file("store") }
    var runbooks: String { storePath + "/runbooks" }
    let context = MutationContext(now: Date(), actor: "ops (test)", timeZone: TimeZone(identifier: "UTC")!)

    /// A store whose MT-1/db-1 is due now and runs runbook `restart-replica`, installed as given.
    func storeWithARunbookTask(script: String = "#!/bin/sh\necho \"restarted $PITSTOP_RESOURCE_NAME\"\n", hooks: TaskHooks = TaskHooks()) throws {
        let store = try Store.open(storePath)
        var policy = Policy()
        policy.minLeadTime = 0
        try store.mutate(.setPolicy(policy), context: context)
        var task = MaintenanceTask(
            id: "MT-1", title: "t", service: .postgresql, requirement: .recommended, recommendedAt: context.now, type: .configChange,
            executor: .command(CommandExecutor(argv: [], runbook: "restart-replica", timeoutSeconds: 60)), retries: 0,
            resources: [Resource(id: "db-1", name: "db one")])
        task.hooks = hooks
        try store.mutate(.importTasks([task]), context: context)
        try store.mutate(.reserve(taskID: "MT-1", selection: .ids(["db-1"]), at: context.now, stagger: nil, force: false), context: context)
        try FileManager.default.createDirectory(atPath: runbooks, withIntermediateDirectories: false)
        chmod(runbooks, 0o755)
        FileManager.default.createFile(atPath: runbooks + "/restart-replica", contents: Data(script.utf8))
        chmod(runbooks + "/restart-replica", 0o755)
    }

    /// Runs an engine with real supervisors until nothing runs; returns db-1.
    func runEngine() throws -> Resource {
        try runSupervisedEngineUntilIdle(storePath: storePath).state.task(id: "MT-1")!.resources[0]
    }

    @Test func aTaskRunsTheRunbookItNames() throws {
        try storeWithARunbookTask()
        let resource = try runEngine()
        #expect(resource.status == .completed && resource.lastMessage == "restarted db one", "\(resource.lastMessage)")
    }

    @Test func aRunbookOthersCouldChangeIsNotRun() throws {
        let marker = dir.file("ran")
        try storeWithARunbookTask(script: "#!/bin/sh\ntouch \(marker)\n")
        chmod(runbooks + "/restart-replica", 0o775)
        let resource = try runEngine()
        #expect(resource.status == .failed && resource.lastMessage.contains("chmod go-w \(runbooks)/restart-replica"), "\(resource.lastMessage)")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func aGroupWritableRunbookDirectoryIsRefused() throws {
        try storeWithARunbookTask()
        chmod(runbooks, 0o2770)
        let resource = try runEngine()
        #expect(resource.status == .failed && resource.lastMessage.contains("chmod go-w \(runbooks)"), "\(resource.lastMessage)")
    }

    @Test func aMissingOrLinkedRunbookSaysWhere() throws {
        try storeWithARunbookTask()
        try FileManager.default.moveItem(atPath: runbooks + "/restart-replica", toPath: dir.file("elsewhere"))
        try FileManager.default.createSymbolicLink(atPath: runbooks + "/restart-replica", withDestinationPath: dir.file("elsewhere"))
        let resource = try runEngine()
        #expect(resource.status == .failed && resource.lastMessage.contains("symbolic links are not followed"), "\(resource.lastMessage)")
    }

    @Test func theCommandKeepsTheEnginesUmask() throws {
        // The supervisor clears its umask to give the output file an exact mode; the command must not inherit that.
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
        let mask = try #require(UInt32(line.split(separator: "\t").last ?? "", radix: 8))
        let made = dir.file("made-by-the-command")
        try storeWithARunbookTask(script: "#!/bin/sh\ntouch \(made)\necho ok\n")
        #expect(try runEngine().status == .completed)
        var info = stat()
        #expect(stat(made, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o666 & ~mask, "mode \(String(info.st_mode & 0o777, radix: 8)) under umask \(String(mask, radix: 8))")
    }

    /// Installs `script` as runbook `name` beside the task's own.
    func install(_ name: String, _ script: String) {
        FileManager.default.createFile(atPath: runbooks + "/" + name, contents: Data(script.utf8))
        chmod(runbooks + "/" + name, 0o755)
    }

    @Test func hooksNamingRunbooksRunAroundTheAttempt() throws {
        let ledger = dir.file("ledger")
        try storeWithARunbookTask(script: "#!/bin/sh\necho run >> \(ledger)\necho restarted\n",
                                  hooks: TaskHooks(precheck: .runbook("lag-check"), healthcheck: .runbook("health")))
        install("lag-check", "#!/bin/sh\necho \"precheck $PITSTOP_RESOURCE_ID\" >> \(ledger)\n")
        install("health", "#!/bin/sh\necho health >> \(ledger)\necho 'replica not streaming'\nexit 1\n")
        let resource = try runEngine()
        #expect(try String(contentsOfFile: ledger, encoding: .utf8) == "precheck db-1\nrun\nhealth\n")
        #expect(resource.status == .failed && resource.lastMessage == "health check failed: replica not streaming", "\(resource.lastMessage)")
    }

    @Test func aHookRunbookOthersCouldChangeStopsTheAttemptBeforeAnythingRuns() throws {
        let ledger = dir.file("ledger")
        try storeWithARunbookTask(script: "#!/bin/sh\necho run >> \(ledger)\n", hooks: TaskHooks(precheck: .runbook("lag-check")))
        install("lag-check", "#!/bin/sh\necho precheck >> \(ledger)\n")
        chmod(runbooks + "/lag-check", 0o777)
        let resource = try runEngine()
        #expect(resource.status == .failed && resource.lastMessage.contains("runbook lag-check was not run"), "\(resource.lastMessage)")
        #expect(!FileManager.default.fileExists(atPath: ledger))
    }

    @Test func swappingTheRunbooksAfterTheCheckChangesNothingOfWhatRuns() throws {
        // The precheck itself swaps the directory between the check and the run: the window a member had.
        let ledger = dir.file("ledger")
        try storeWithARunbookTask(script: "#!/bin/sh\necho original >> \(ledger)\n", hooks: TaskHooks(precheck: .runbook("lag-check")))
        install("lag-check", """
            #!/bin/sh
            mv \(runbooks) \(runbooks).old && mkdir -m 755 \(runbooks)
            printf '#!/bin/sh\\necho swapped >> \(ledger)\\n' > \(runbooks)/restart-replica && chmod 755 \(runbooks)/restart-replica
            """)
        let resource = try runEngine()
        #expect(resource.status == .completed, "\(resource.lastMessage)")
        #expect(try String(contentsOfFile: ledger, encoding: .utf8) == "original\n")
        #expect(FileManager.default.fileExists(atPath: runbooks + "/restart-replica"), "the swap happened")
    }

    @Test func runbookNamesAreFileNamesNotPaths() {
        #expect(CommandExecutor.isRunbookName("restart-replica_v2.sh"))
        for bad in ["", "../bin/sh", "a/b", ".hidden", "with space", "é", String(repeating: "a", count: 101)] {
            #expect(!CommandExecutor.isRunbookName(bad), "\(bad)")
        }
    }
}
