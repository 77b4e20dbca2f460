import Foundation
import PitstopCore
import PitstopTestSupport
import Testing
@testable import PitstopEngine

/// The command executor with real child processes.
@Suite(.serialized)
struct CommandExecutorTests {
    let dir = ScratchDirectory("pitstop-cmd")

    func job(_ argv: [String], name: String = "db-1", timeout: Double = 30, cwd: String? = nil) -> ExecutionJob {
        ExecutionJob(
            taskID: "MT-0001", resourceID: "i-123", resourceName: name, taskType: .engineUpgrade, service: .mysql,
            attempt: 2, executor: .command(CommandExecutor(argv: argv, workingDirectory: cwd, timeoutSeconds: timeout)))
    }

    /// Polls with the real clock until the attempt finishes or `limit` passes.
    func finish(_ execution: any Execution, limit: TimeInterval = 15) -> ExecutionStatus {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            let status = execution.poll(now: Date())
            if case .finished = status { return status }
            usleep(10_000)
        }
        return execution.poll(now: Date())
    }

    @Test func exitZeroSucceedsAndOtherCodesFail() throws {
        let executors = StandardExecutors()
        #expect(finish(try executors.start(job(["/bin/sh", "-c", "echo upgraded"]), now: Date())) == .finished(success: true, message: "upgraded"))
        #expect(finish(try executors.start(job(["/bin/sh", "-c", "echo 'replica lag' >&2; exit 3"]), now: Date()))
            == .finished(success: false, message: "exit status 3: replica lag"))
        #expect(throws: ExecutionStartError.self) { try executors.start(job(["/nonexistent/upgrade"]), now: Date()) }
    }

    @Test func valuesReachTheChildOnlyThroughItsEnvironment() throws {
        let hostile = "db 1 \"quoted\" 'single' $(touch \(dir.file("pwned"))) `id` ; rm -rf /"
        let out = dir.file("env.txt")
        let script = "printf '%s\\n' \"$PITSTOP_TASK_ID\" \"$PITSTOP_RESOURCE_ID\" \"$PITSTOP_RESOURCE_NAME\" \"$PITSTOP_TASK_TYPE\" \"$PITSTOP_SERVICE\" \"$PITSTOP_ATTEMPT\" > \"$1\""
        let execution = try StandardExecutors().start(job(["/bin/sh", "-c", script, "sh", out], name: hostile), now: Date())
        #expect(finish(execution) == .finished(success: true, message: "exit status 0"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines.prefix(6)) == ["MT-0001", "i-123", hostile, "engine-upgrade", "MySQL", "2"])
        #expect(!FileManager.default.fileExists(atPath: dir.file("pwned")), "the name ran nothing")
    }

    @Test func runsInItsWorkingDirectory() throws {
        let execution = try StandardExecutors().start(job(["/bin/pwd"], cwd: dir.path), now: Date())
        #expect(finish(execution) == .finished(success: true, message: dir.path))
    }

    @Test func progressLinesSetProgress() throws {
        let execution = try StandardExecutors().start(job(["/bin/sh", "-c", "echo PITSTOP_PROGRESS=42; sleep 5"]), now: Date())
        let deadline = Date().addingTimeInterval(5)
        var seen: Int?
        while seen == nil && Date() < deadline {
            if case .running(let progress, _) = execution.poll(now: Date()) { seen = progress }
            usleep(10_000)
        }
        #expect(seen == 42)
        execution.cancel(now: Date())
        #expect(finish(execution).isFailure)
    }

    @Test func aTimeoutStopsTheWholeProcessGroup() throws {
        let pids = dir.file("pids")
        // The child forks a grandchild that would outlive it, then both sleep far past the timeout.
        let script = "sleep 300 & echo $! > \"$1\"; echo $$ >> \"$1\"; sleep 300"
        let start = Date()
        let execution = try StandardExecutors().start(job(["/bin/sh", "-c", script, "sh", pids], timeout: 1), now: start)
        let status = finish(execution, limit: 20)
        #expect(status == .finished(success: false, message: "timed out after 1s; process group stopped"))
        let ids = try String(contentsOfFile: pids, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(ids.count == 2)
        let deadline = Date().addingTimeInterval(5)
        while ids.contains(where: { kill($0, 0) == 0 }) && Date() < deadline { usleep(20_000) }
        #expect(ids.allSatisfy { kill($0, 0) != 0 }, "child and grandchild are gone")
    }

    @Test func outputIsBoundedInMemoryAndOnDisk() throws {
        let executors = StandardExecutors(outputDirectory: dir.path)
        let execution = try executors.start(job(["/bin/sh", "-c", "i=0; while [ $i -lt 40000 ]; do echo line $i of chatty output; i=$((i+1)); done"]), now: Date())
        #expect(finish(execution, limit: 30) == .finished(success: true, message: "line 39999 of chatty output"))
        #expect(execution.outputTail.count <= OutputCollector.tailLines)
        let log = dir.file("MT-0001--i-123--attempt2.log")
        let size = (try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0
        #expect(size > 0 && size <= OutputCollector.fileLimit + 100)
    }
}

extension ExecutionStatus {
    var isFailure: Bool {
        if case .finished(false, _) = self { return true }
        return false
    }
}
