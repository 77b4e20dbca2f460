import Foundation
import PitstopCore
import PitstopTestSupport
import Testing
@testable import PitstopEngine

/// `pitstop rehearse` below the command line: real supervisors, a command that reads `PITSTOP_DRY_RUN` and
/// answers as a runbook would, and the verdict read from how it ended.
@Suite(.serialized)
struct RehearsalTests {
    let dir = ScratchDirectory("pitstop-rehearsal")

    /// A task whose command says by its resource what to answer: `ok` ready, `no` refused (10), `gone`
    /// unreachable (11), `ssh` ssh's own 255, anything else a failure; it notes that it saw the dry run.
    func task(precheck: HookCommand? = nil) -> MaintenanceTask {
        let script = """
            [ "$PITSTOP_DRY_RUN" = 1 ] || { echo "not a dry run"; exit 3; }
            touch "$0/$PITSTOP_RESOURCE_ID.ran"
            case $PITSTOP_RESOURCE_ID in
            ok) echo "dry run: would upgrade"; exit 0 ;;
            no) echo "refused: replica older"; exit 10 ;;
            gone) echo "unreachable: ssh gone: Connection refused"; exit 11 ;;
            ssh) echo "ssh: connect to host x port 22: No route to host"; exit 255 ;;
            *) echo "broke"; exit 4 ;;
            esac
            """
        var task = MaintenanceTask(
            id: "MT-1", title: "t", service: .postgresql, requirement: .recommended, recommendedAt: Date(), priority: .high,
            type: .engineUpgrade, downtime: false,
            executor: .command(CommandExecutor(argv: ["/bin/sh", "-c", script, dir.path], timeoutSeconds: 30)),
            resources: ["ok", "no", "gone", "ssh", "bad"].map { Resource(id: $0, name: $0) } + [Resource(id: "done", name: "done", status: .completed)])
        task.hooks = TaskHooks(precheck: precheck, healthcheck: .argv(["/bin/sh", "-c", "touch \"$0/healthcheck.ran\"", dir.path]))
        return task
    }

    func rehearsal() -> Rehearsal { Rehearsal(storeDirectory: dir.path, supervisor: BuiltProducts.path("pitstop-supervisor")) }

    @Test func eachResourceGetsTheVerdictItsDryRunGaveAndNothingElseRuns() throws {
        let results = rehearsal().run(task(), resourceIDs: [], concurrency: 2)
        #expect(results.map(\.resourceID) == ["ok", "no", "gone", "ssh", "bad"], "a completed resource is not rehearsed")
        #expect(results.map(\.verdict) == [.ready, .refused, .unreachable, .unreachable, .failed])
        #expect(results[0].message == "ready: dry run: would upgrade")
        #expect(results[1].message == "refused: replica older", "the verdict is not said twice")
        #expect(results[2].message == "unreachable: ssh gone: Connection refused")
        #expect(results[4].line == "exit status 4: broke")
        #expect(!FileManager.default.fileExists(atPath: dir.file("healthcheck.ran")), "a health check needs the change made: not run")
        let output = try String(contentsOfFile: try #require(results[0].outputPath), encoding: .utf8)
        #expect(output.contains("dry run: would upgrade"))
        #expect(results[0].outputPath?.hasPrefix(dir.path + "/rehearsals/outputs/") == true)
    }

    @Test func aPrecheckThatSaysNoIsARefusalAndOneThatCannotReachIsUnreachable() throws {
        let precheck = HookCommand.argv(["/bin/sh", "-c", "[ \"$PITSTOP_RESOURCE_ID\" = gone ] && { echo 'unreachable: ssh gone'; exit 11; }; echo 'lag 40s > 10s'; exit 1"])
        let results = rehearsal().run(task(precheck: precheck), resourceIDs: ["ok", "gone"], concurrency: 4)
        #expect(results.map(\.verdict) == [.refused, .unreachable])
        #expect(results[0].line == "precheck: lag 40s > 10s")
        #expect(!FileManager.default.fileExists(atPath: dir.file("ok.ran")), "the executor never ran after the precheck said no")
    }
}
