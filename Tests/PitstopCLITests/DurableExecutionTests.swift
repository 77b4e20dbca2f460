import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §10 with real processes: a shell script stands in for an upgrade, printing progress for about three
/// seconds and writing its starts and ends to a ledger. Daemons and consoles are killed, closed and quit
/// around it; the script must finish, run once, and be recorded once.
@Suite(.serialized)
struct DurableExecutionTests {
    let dir = ScratchDirectory("pitstop-durable")
    var store: String { dir.file("store") }
    var ledger: String { dir.file("ledger") }
    var binary: String { BuiltProducts.path("pitstop") }

    func pitstop(_ arguments: String...) throws -> ProcessResult {
        try PitstopCommand(store: store).run(arguments)
    }

    /// One task, one resource `db-1` ("db one"), whose command is the ledger script; retries allowed, so that a
    /// test can tell "not retried" from "no retries left".
    func prepare(steps: Int = 10) throws {
        let script = dir.file("upgrade.sh")
        try """
            #!/bin/sh
            echo "start $PITSTOP_ATTEMPT_ID $$" >> "$1"
            i=1
            while [ $i -le \(steps) ]; do
              echo "PITSTOP_PROGRESS=$((i * 100 / \(steps)))"
              echo "step $i of \(steps) on $PITSTOP_RESOURCE_NAME"
              sleep 0.3
              i=$((i + 1))
            done
            echo "end $PITSTOP_ATTEMPT_ID $$" >> "$1"
            echo "upgrade finished on $PITSTOP_RESOURCE_NAME"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let file = dir.file("tasks.json")
        try """
            {"tasks": [{"id": "MT-1", "title": "engine upgrade", "service": "MySQL", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "type": "engine-upgrade", "retries": 2,
              "executor": {"kind": "command", "argv": ["/bin/sh", "\(script)", "\(ledger)"], "timeoutSeconds": 120},
              "resources": [{"id": "db-1", "name": "db one"}]}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try pitstop("import", file).status == 0)
        #expect(try pitstop("policy", "set", "minLeadTime", "0").status == 0)
    }

    func startDaemon() throws -> Process {
        try PitstopCommand(store: store).startDaemon()
    }

    /// A daemon running the script's attempt, which has printed `step` steps; stop it with `stop(_:)`.
    func daemonRunningTheAttempt(steps: Int = 10, untilStep step: Int) throws -> Process {
        try prepare(steps: steps)
        let daemon = try startDaemon()
        #expect(try pitstop("reserve", "MT-1", "db-1", "--at", "now").status == 0)
        try waitForStep(step)
        return daemon
    }

    func stop(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    var ledgerLines: [String] {
        lines(ofFile: ledger)
    }

    func resource() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(try pitstop("task", "MT-1", "--json").stdout.utf8)) as? [String: Any]
        return try #require((object?["resources"] as? [[String: Any]])?.first)
    }

    func status() throws -> String { try resource()["status"] as? String ?? "?" }

    func events(_ kind: String) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(try pitstop("events", "--task", "MT-1", "--json").stdout.utf8)) as? [String: Any]
        return (object?["events"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == kind }
    }

    /// The attempt has started and printed at least `step` steps.
    func waitForStep(_ step: Int) throws {
        #expect(try waitUntil(20) { try pitstop("output", "MT-1", "db-1").stdout.contains("step \(step) of") }, "the script reached step \(step)")
    }

    /// After the script ran to its end exactly once, the next engine records it completed with its last line.
    func expectCompletedOnce() throws {
        #expect(ledgerLines.filter { $0.hasPrefix("start") }.count == 1, "one start in the ledger: \(ledgerLines)")
        #expect(ledgerLines.filter { $0.hasPrefix("end") }.count == 1, "the script ran to its end: \(ledgerLines)")
        let r = try resource()
        #expect(r["status"] as? String == "completed")
        #expect(r["lastMessage"] as? String == "upgrade finished on db one")
        #expect(r["failures"] as? Int == 0)
        #expect(try events("started").count == 1 && events("completed").count == 1 && events("failed").isEmpty)
    }

    @Test func aKilledDaemonsAttemptFinishesAndTheNextDaemonAdoptsIt() throws {
        let first = try daemonRunningTheAttempt(untilStep: 2)
        defer { stop(first) }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        try waitForStep(4)  // it keeps printing with nobody reading: no SIGPIPE
        #expect(try status() == "in-progress")
        let second = try startDaemon()
        defer { stop(second) }
        #expect(try waitUntil(20) { try status() == "completed" })
        #expect(try events("adopted").count == 1, "the second daemon followed the live attempt")
        try expectCompletedOnce()
    }

    @Test func anAttemptThatEndedWhileNoEngineRanIsRecordedByTheNext() throws {
        let first = try daemonRunningTheAttempt(steps: 4, untilStep: 1)
        defer { stop(first) }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(waitUntil(20) { ledgerLines.contains { $0.hasPrefix("end") } })
        #expect(try status() == "in-progress", "nobody has recorded it yet")
        let once = try pitstop("daemon", "--once", "--interval", "0.1")
        #expect(once.status == 0)
        try expectCompletedOnce()
        #expect(try events("adopted").isEmpty)
    }

    @Test func aStoppedDaemonLeavesItsAttemptRunning() throws {
        let daemon = try daemonRunningTheAttempt(untilStep: 1)
        defer { stop(daemon) }
        daemon.terminate()
        #expect(waitUntil(5) { !daemon.isRunning }, "SIGTERM stops the daemon at once, whatever runs")
        #expect(daemon.terminationStatus == 0)
        #expect(!ledgerLines.contains { $0.hasPrefix("end") }, "the attempt was still running when the daemon left")
        #expect(try pitstop("daemon", "--once", "--interval", "0.1").status == 0)
        try expectCompletedOnce()
    }

    @Test func aKilledSupervisorIsOutcomeUnknownAndNeverRetried() throws {
        let daemon = try daemonRunningTheAttempt(untilStep: 2)
        defer { stop(daemon) }
        let attempt = try #require(try resource()["attempt"] as? Int)
        let record = try String(contentsOfFile: "\(store)/attempts/\(attempt).attempt", encoding: .utf8)
        let supervisor = try #require(record.split(separator: "\n").first { $0.hasPrefix("supervisor ") }?.split(separator: " ")[1]).flatMap { Int32($0) }
        kill(try #require(supervisor), SIGKILL)
        #expect(try waitUntil(20) { try status() == "failed" })
        let r = try resource()
        #expect(r["lastMessage"] as? String == "outcome unknown: the supervisor of attempt \(attempt) was lost; check db one before retrying")
        #expect(try events("outcome-unknown").count == 1)
        #expect(try events("notified").contains { ($0["message"] as? String)?.contains("OUTCOME UNKNOWN") == true })
        #expect(waitUntil(20) { ledgerLines.contains { $0.hasPrefix("end") } }, "the command itself ran on")
        // Failed, not in progress with a second attempt: a retry would have kept it in progress (retries: 2).
        #expect(try resource()["attempts"] as? Int == 1 && events("attempt-failed").isEmpty)
        #expect(try events("started").count == 1 && ledgerLines.filter { $0.hasPrefix("start") }.count == 1)
    }

    @Test func cancelFromTheCommandLineStopsTheGroupAndIsNotRetried() throws {
        let daemon = try daemonRunningTheAttempt(steps: 100, untilStep: 1)
        defer { stop(daemon) }
        let cancel = try pitstop("cancel", "MT-1", "db-1")
        #expect(cancel.status == 0 && cancel.stdout.contains("is stopping the command") && cancel.stdout.contains("stopped"), "\(cancel.stdout)\(cancel.stderr)")
        #expect(try waitUntil(10) { try status() == "failed" })
        let r = try resource()
        #expect((r["lastMessage"] as? String)?.hasPrefix("cancelled by ") == true && (r["lastMessage"] as? String)?.hasSuffix("(cli)") == true)
        #expect(try events("cancelled").count == 1)
        #expect(try resource()["attempts"] as? Int == 1 && events("attempt-failed").isEmpty, "failed at once, not retried")
        #expect(try events("started").count == 1 && ledgerLines.count == 1, "killed before its end, and not started again")
        let again = try pitstop("cancel", "MT-1", "db-1")
        #expect(again.status != 0 && again.stderr.contains("only an attempt in progress can be cancelled"))
    }

    @Test func outputFollowsARunningAttemptToItsEnd() throws {
        let daemon = try daemonRunningTheAttempt(steps: 4, untilStep: 1)
        defer { stop(daemon) }
        let followed = try pitstop("output", "MT-1", "db-1", "--follow")
        #expect(followed.status == 0)
        #expect(followed.stdout.contains("step 1 of 4") && followed.stdout.hasSuffix("upgrade finished on db one\n"))
        #expect(followed.stderr.contains("ended: exit status 0"))
        let missing = try pitstop("output", "MT-1", "db-1", "--attempt", "99999")
        #expect(missing.status != 0 && missing.stderr.contains("no output for attempt 99999"))
    }

    // MARK: The console

    func console() throws -> TmuxSession {
        let command = "env TERM=screen-256color LANG=C.UTF-8 TZ=UTC \(binary) --store \(store); echo PITSTOP-EXITED $?; sleep 600"
        let session = try TmuxSession(command: command, width: 120, height: 30)
        try session.waitFor("engine: on")
        return session
    }

    @Test func quittingTheConsoleLeavesTheAttemptToTheNextEngine() throws {
        try prepare()
        let tmux = try console()
        #expect(try pitstop("reserve", "MT-1", "db-1", "--at", "now").status == 0)
        try waitForStep(2)
        try tmux.send("q")
        let screen = try tmux.waitFor("PITSTOP-EXITED 0")
        #expect(screen.contains("1 attempt keeps running under its supervisor"))
        #expect(waitUntil(20) { ledgerLines.contains { $0.hasPrefix("end") } })
        #expect(try pitstop("daemon", "--once", "--interval", "0.1").status == 0)
        try expectCompletedOnce()
    }

    @Test func closingTheConsolesTerminalLeavesTheAttemptRunning() throws {
        try prepare()
        let tmux = try console()
        #expect(try pitstop("reserve", "MT-1", "db-1", "--at", "now").status == 0)
        try waitForStep(2)
        try tmux.tmux(["kill-server"])  // the terminal goes away: SIGHUP to everything in it
        #expect(waitUntil(20) { ledgerLines.contains { $0.hasPrefix("end") } })
        #expect(try pitstop("daemon", "--once", "--interval", "0.1").status == 0)
        try expectCompletedOnce()
    }

    @Test func cancelFromTheConsoleAsksThenStopsTheAttempt() throws {
        try prepare(steps: 100)
        let tmux = try console()
        #expect(try pitstop("reserve", "MT-1", "db-1", "--at", "now").status == 0)
        try waitForStep(1)
        try tmux.send("Enter")  // into the resource pane of MT-1, on db-1
        try tmux.send("K")
        try tmux.waitFor("Cancel 1 running attempt?")
        try tmux.send("y")
        try tmux.waitFor("stopping attempt")
        #expect(try waitUntil(15) { try status() == "failed" })
        #expect((try resource()["lastMessage"] as? String)?.contains("(tui)") == true)
        try tmux.send("q")
        try tmux.waitFor("PITSTOP-EXITED 0")
    }
}
