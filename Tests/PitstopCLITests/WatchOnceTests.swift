import Foundation
import PitstopTestSupport
import Testing

/// `pitstop watch --once` for scripts: plain text, no escapes unless asked, and an exit status for monitors.
@Suite(.serialized)
struct WatchOnceTests {
    let dir = ScratchDirectory("pitstop-watch")

    func pitstop(_ arguments: String..., store: String? = nil) throws -> ProcessResult {
        try PitstopCommand(store: store ?? dir.file("store"), environment: ["COLUMNS": "100"]).run(arguments)
    }

    func prepare(failing: Bool, store: String? = nil) throws {
        let file = dir.file("tasks-\(failing).json")
        let status = failing ? #""status": "failed", "failures": 1"# : #""status": "completed", "attempts": 1"#
        try """
            {"tasks": [{"id": "MT-1", "title": "kernel patch", "service": "MySQL", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "type": "kernel-upgrade",
              "resources": [{"id": "db-1", "name": "db one", \(status)}, {"id": "db-2", "name": "db two"}]}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try pitstop("import", file, store: store).status == 0)
    }

    @Test func printsOnePlainFrame() throws {
        try prepare(failing: false)
        let result = try pitstop("watch", "--once")
        #expect(result.status == 0)
        #expect(result.stdout.contains("Pitstop watch") && result.stdout.contains("RESOURCES") && result.stdout.contains("RECENT EVENTS"))
        #expect(!result.stdout.contains("\u{1B}"), "no escape codes without --color")
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
        #expect(try pitstop("watch", "--once", "--color").stdout.contains("\u{1B}[0;"))
    }

    @Test func exitStatusIsZeroWhenHealthyAndOneWhenSomethingFailed() throws {
        try prepare(failing: false)
        #expect(try pitstop("watch", "--once", "--exit-status").status == 0)
        let failing = dir.file("failing")
        try prepare(failing: true, store: failing)
        let result = try pitstop("watch", "--once", "--exit-status", store: failing)
        #expect(result.status == 1 && result.stderr.isEmpty)
        #expect(try pitstop("watch", "--once", store: failing).status == 0, "without --exit-status a failure is shown, not signalled")
    }

    @Test func refusesAnUnknownTaskAndAMissingTerminal() throws {
        try prepare(failing: false)
        let unknown = try pitstop("watch", "--once", "--task", "MT-9")
        #expect(unknown.status == 1 && unknown.stderr.hasPrefix("error: no task MT-9"))
        let interactive = try pitstop("watch")
        #expect(interactive.status == 1 && interactive.stderr.contains("watch needs a terminal"))
    }
}
