import Foundation
import PitstopCore
import PitstopStore
import PitstopTestSupport
import Testing
@testable import PitstopEngine

/// Attempts under their supervisor, with real processes: the record, the output file, timeouts, the machine
/// lock, cancellation, and what a follower concludes when the supervisor is gone.
@Suite(.serialized)
struct SupervisedExecutionTests {
    let dir = ScratchDirectory("pitstop-supervised")
    var executors: SupervisedExecutors { SupervisedExecutors(storeDirectory: dir.path, supervisor: BuiltProducts.path("pitstop-supervisor")) }
    var files: AttemptFiles { executors.files }

    func job(_ argv: [String], id: UInt64 = 7, machine: String = "i-123", name: String = "db-1", timeout: Double = 30, cwd: String? = nil) -> ExecutionJob {
        ExecutionJob(
            taskID: "MT-0001", resourceID: machine, resourceName: name, taskType: .engineUpgrade, service: .mysql,
            attempt: 2, attemptID: id, executor: .command(CommandExecutor(argv: argv, workingDirectory: cwd, timeoutSeconds: timeout)))
    }

    func start(_ job: ExecutionJob) throws -> any Execution {
        try #require(try executors.start(job, now: Date()) { true })
    }

    /// Polls with the real clock until the attempt ends or `limit` passes.
    func finish(_ execution: any Execution, limit: TimeInterval = 20) -> ExecutionStatus {
        var status: ExecutionStatus?
        waitUntil(limit, every: 0.01) {
            status = execution.poll(now: Date())
            if case .running = status { return false }
            return true
        }
        return status!  // waitUntil checks at least once
    }

    @Test func exitZeroSucceedsAndOtherCodesFail() throws {
        // Three machines: a supervisor lets go of its machine only as it exits, just after its outcome is written.
        #expect(finish(try start(job(["/bin/sh", "-c", "echo upgraded"], id: 1, machine: "m-1"))) == .finished(success: true, message: "upgraded"))
        #expect(finish(try start(job(["/bin/sh", "-c", "echo 'replica lag' >&2; exit 3"], id: 2, machine: "m-2")))
            == .finished(success: false, message: "exit status 3: replica lag"))
        #expect(finish(try start(job(["/nonexistent/upgrade"], id: 3, machine: "m-3")))
            == .finished(success: false, message: "exit status 127: pitstop: cannot start /nonexistent/upgrade: No such file or directory"))
    }

    @Test func theRecordHoldsEveryStepAndTheSupervisorHasItsOwnSession() throws {
        let execution = try start(job(["/bin/sh", "-c", "echo $$ > \"$0\"; sleep 0.3; echo done", dir.file("child")]))
        let record = files.record(7)
        #expect(AttemptFiles.isLocked(record), "locked from the moment it is handed over")
        #expect(finish(execution) == .finished(success: true, message: "done"))
        let read = try #require(AttemptRecord.read(record))
        #expect(read.attemptID == 7 && read.taskID == "MT-0001" && read.resourceID == "i-123" && read.number == 2)
        let supervisor = try #require(read.supervisorPID)
        #expect(supervisor != getpid() && read.execAt != nil && read.endedAt != nil)
        #expect(read.end == .exited(code: 0, reason: nil))
        let child = try String(contentsOfFile: dir.file("child"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(read.childPID.map(String.init) == child)
        // The outcome is written just before the supervisor exits, and the lock goes with the process.
        #expect(waitUntil { !AttemptFiles.isLocked(record) }, "released when the supervisor exits")
    }

    @Test func valuesReachTheChildOnlyThroughItsEnvironment() throws {
        let hostile = "db 1 \"quoted\" 'single' $(touch \(dir.file("pwned"))) `id` ; rm -rf /"
        let out = dir.file("env.txt")
        let script = "printf '%s\\n' \"$PITSTOP_TASK_ID\" \"$PITSTOP_RESOURCE_ID\" \"$PITSTOP_RESOURCE_NAME\" \"$PITSTOP_TASK_TYPE\" \"$PITSTOP_SERVICE\" \"$PITSTOP_ATTEMPT\" \"$PITSTOP_ATTEMPT_ID\" > \"$1\""
        let execution = try start(job(["/bin/sh", "-c", script, "sh", out], name: hostile))
        #expect(finish(execution) == .finished(success: true, message: "exit status 0"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines.prefix(7)) == ["MT-0001", "i-123", hostile, "engine-upgrade", "MySQL", "2", "7"])
        #expect(!FileManager.default.fileExists(atPath: dir.file("pwned")), "the name ran nothing")
    }

    @Test func topologyAndParametersReachTheChildAsVariables() throws {
        let out = dir.file("topology.txt")
        var topology = job(["/bin/sh", "-c", "env | grep -E '^PITSTOP_(RESOURCE_(ENDPOINT|HOST|ROLE|CLUSTER)|CLUSTER_REPLICAS|LABEL_|PARAM_)' | sort > \"$0\"", out])
        topology.cluster = "orders"
        topology.role = .replica
        topology.endpoint = "127.0.0.1:5433"
        topology.host = "127.0.0.1"
        topology.clusterReplicas = ["db-2", "admin@db-3"]
        topology.labels = ["zone": "eu-1b", "rack-id": "7"]
        topology.parameters = ["setting": "work_mem", "max.lag": "10s"]
        #expect(finish(try start(topology)) == .finished(success: true, message: "exit status 0"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == [
            "PITSTOP_CLUSTER_REPLICAS=db-2 admin@db-3", "PITSTOP_LABEL_RACK_ID=7", "PITSTOP_LABEL_ZONE=eu-1b", "PITSTOP_PARAM_MAX_LAG=10s", "PITSTOP_PARAM_SETTING=work_mem",
            "PITSTOP_RESOURCE_CLUSTER=orders", "PITSTOP_RESOURCE_ENDPOINT=127.0.0.1:5433", "PITSTOP_RESOURCE_HOST=127.0.0.1",
            "PITSTOP_RESOURCE_ROLE=replica",
        ])
    }

    @Test func aPrecheckThatSaysNoHoldsAndNothingRuns() throws {
        let marker = dir.file("ran")
        var held = job(["/bin/sh", "-c", "touch \"$0\"", marker])
        held.hooks = TaskHooks(precheck: .argv(["/bin/sh", "-c", "echo 'replication lag 40s > 10s'; exit 1"]))
        #expect(finish(try start(held)) == .held(reason: "precheck: replication lag 40s > 10s"))
        #expect(!FileManager.default.fileExists(atPath: marker), "the command never ran")
        let record = try #require(AttemptRecord.read(files.record(7)))
        #expect(record.execAt == nil && record.end == .held("exit 1"))
    }

    @Test func aFailingHealthCheckFailsTheAttempt() throws {
        var checked = job(["/bin/sh", "-c", "echo upgraded"], machine: "m-h")
        checked.hooks = TaskHooks(healthcheck: .argv(["/bin/sh", "-c", "echo 'replica not streaming'; exit 2"]))
        #expect(finish(try start(checked)) == .finished(success: false, message: "health check failed: replica not streaming"))
        var healthy = job(["/bin/sh", "-c", "echo upgraded"], id: 8, machine: "m-i")
        healthy.hooks = TaskHooks(precheck: .argv(["/bin/true"]), healthcheck: .argv(["/bin/sh", "-c", "echo healthy"]))
        #expect(finish(try start(healthy)) == .finished(success: true, message: "healthy"))
    }

    @Test func theSwitchoverRunsBeforeAPrimarysAttemptOnly() throws {
        let ledger = dir.file("ledger")
        func member(_ id: UInt64, _ role: ResourceRole, switchover: String) -> ExecutionJob {
            var member = job(["/bin/sh", "-c", "echo main >> \"$0\"", ledger], id: id, machine: "m-\(id)")
            member.role = role
            member.cluster = "orders"
            member.hooks = TaskHooks(switchover: .argv(["/bin/sh", "-c", switchover, ledger]))
            return member
        }
        #expect(finish(try start(member(11, .replica, switchover: "echo switchover >> \"$0\""))) == .finished(success: true, message: "exit status 0"))
        #expect(finish(try start(member(12, .primary, switchover: "echo switchover >> \"$0\""))) == .finished(success: true, message: "exit status 0"))
        #expect(try String(contentsOfFile: ledger, encoding: .utf8) == "main\nswitchover\nmain\n")
        #expect(finish(try start(member(13, .primary, switchover: "echo 'no replica in sync'; exit 1")))
            == .finished(success: false, message: "switchover failed: no replica in sync"))
        #expect(try String(contentsOfFile: ledger, encoding: .utf8) == "main\nswitchover\nmain\n", "the primary's command did not run")
        #expect(AttemptRecord.read(files.record(13))?.execAt != nil, "a switchover changes things: it runs after exec is recorded")
    }

    @Test func runsInItsWorkingDirectory() throws {
        let execution = try start(job(["/bin/pwd"], cwd: dir.path))
        #expect(finish(execution) == .finished(success: true, message: dir.path))
    }

    @Test func progressComesFromTheOutputFile() throws {
        let execution = try start(job(["/bin/sh", "-c", "echo PITSTOP_PROGRESS=42; echo halfway; sleep 30"]))
        var seen: ExecutionStatus?
        waitUntil(10, every: 0.01) {
            seen = execution.poll(now: Date())
            return seen == .running(progress: 42, message: "halfway")
        }
        #expect(seen == .running(progress: 42, message: "halfway"))
        #expect(try AttemptCanceller.cancel(store: try storeFor(cancel: true), taskID: "MT-0001", resourceID: "i-123", actor: "ops (test)", now: Date(), zone: .current)
            != .recorded(attemptID: 7))
        #expect(finish(execution) == .cancelled(by: "ops (test)"))
    }

    @Test func aTimeoutStopsTheWholeProcessGroup() throws {
        let pids = dir.file("pids")
        // The child forks a grandchild that would outlive it, then both sleep far past the timeout.
        let script = "sleep 300 & echo $! > \"$1\"; echo $$ >> \"$1\"; sleep 300"
        let execution = try start(job(["/bin/sh", "-c", script, "sh", pids], timeout: 1))
        #expect(finish(execution) == .finished(success: false, message: "timed out after 1s; process group stopped"))
        let ids = try String(contentsOfFile: pids, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(ids.count == 2)
        #expect(waitUntil { ids.allSatisfy { kill($0, 0) != 0 } }, "child and grandchild are gone")
    }

    @Test func outputIsBoundedOnDiskAndKeepsTheEnd() throws {
        // 2.6 MB of output: the file is cut back to its last mebibyte under a note.
        let script = "i=0; while [ $i -lt 70000 ]; do echo line $i of chatty output padded to forty; i=$((i+1)); done"
        let execution = try start(job(["/bin/sh", "-c", script]))
        #expect(finish(execution, limit: 60) == .finished(success: true, message: "line 69999 of chatty output padded to forty"))
        let text = try String(contentsOfFile: files.output(7), encoding: .utf8)
        #expect(text.utf8.count <= 2 * 1_048_576 + 100)
        #expect(text.hasPrefix("[pitstop: ") && text.hasSuffix("line 69999 of chatty output padded to forty\n"))
    }

    @Test func aSecondAttemptOnTheSameMachineWaitsForTheFirst() throws {
        let first = try start(job(["/bin/sh", "-c", "sleep 1"], id: 20))
        #expect(throws: AttemptError.machineBusy(resourceID: "i-123")) { try executors.start(job(["/bin/true"], id: 21), now: Date()) { true } }
        #expect(finish(first) == .finished(success: true, message: "exit status 0"))
        // The supervisor writes the outcome, then exits and lets go of the machine.
        #expect(waitUntil { !AttemptFiles.isLocked(files.machineLock("i-123")) })
        #expect(finish(try start(job(["/bin/sh", "-c", "echo second"], id: 21))) == .finished(success: true, message: "second"))
    }

    @Test func anAttemptNoLongerWantedOnceTheMachineIsLockedNeverRuns() throws {
        let marker = dir.file("ran")
        let execution = try executors.start(job(["/bin/sh", "-c", "touch \"$0\"", marker]), now: Date()) { false }
        #expect(execution == nil)
        #expect(!FileManager.default.fileExists(atPath: marker) && AttemptRecord.read(files.record(7)) == nil)
    }

    @Test func aLostSupervisorIsOutcomeUnknownAndTheCommandRunsOn() throws {
        let marker = dir.file("finished")
        let execution = try start(job(["/bin/sh", "-c", "sleep 1; touch \"$0\"", marker]))
        let record = files.record(7)
        #expect(waitUntil { AttemptRecord.read(record)?.childPID != nil })
        let supervisor = try #require(AttemptRecord.read(record)?.supervisorPID)
        kill(supervisor, SIGKILL)
        #expect(finish(execution) == .lost)
        #expect(waitUntil { FileManager.default.fileExists(atPath: marker) }, "the upgrade itself was not killed with its supervisor")
    }

    @Test func aRecordThatNeverReachedExecMeansTheCommandNeverRan() throws {
        try files.prepare()
        // What an engine killed between writing the record and spawning the supervisor leaves behind.
        try AttemptRecord.header(attemptID: 9, job: job(["/bin/true"], id: 9), now: Date()).write(toFile: files.record(9), atomically: false, encoding: .utf8)
        #expect(finish(try #require(executors.follow(job(["/bin/true"], id: 9), now: Date()))) == .neverStarted)
        // No record at all (killed right after the durable start) reads the same.
        #expect(finish(try #require(executors.follow(job(["/bin/true"], id: 10), now: Date()))) == .neverStarted)
    }

    @Test func aSimulatedAttemptRunsUnderItsSupervisorToo() throws {
        var simulated = job([], id: 30)
        simulated.executor = .simulated(SimulatedExecutor(durationSeconds: 0.4, jitter: 0, failureRate: 0, seed: 1))
        #expect(finish(try start(simulated)) == .finished(success: true, message: "SIM: engine upgrade finished in 0s"))
        #expect(AttemptRecord.read(files.record(30))?.childPID != nil)
        let output = try String(contentsOfFile: files.output(30), encoding: .utf8)
        #expect(output.contains("PITSTOP_PROGRESS=50") && output.contains("SIM: engine upgrade 50%"))
    }

    /// A store whose MT-0001/i-123 is in progress in attempt 7, so that `AttemptCanceller` finds it.
    func storeFor(cancel: Bool) throws -> Store {
        let store = try Store.open(dir.path)
        let now = Date()
        let context = MutationContext(now: now, actor: "ops (test)", timeZone: .current)
        var policy = Policy()
        policy.minLeadTime = 0
        try store.mutate(.setPolicy(policy), context: context)
        let task = MaintenanceTask(
            id: "MT-0001", title: "t", service: .mysql, requirement: .recommended, recommendedAt: now, type: .engineUpgrade,
            resources: [Resource(id: "i-123", name: "db-1", scheduledAt: now, status: .inProgress, attempts: 2, attemptID: 7)])
        try store.mutate(.importTasks([task]), context: context)
        return store
    }
}
