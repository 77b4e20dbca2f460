import Foundation
import PitstopTestSupport
import Testing

/// A watch screen following a daemon that runs thousands of executions: its resident memory stays flat.
/// Short here; `make soak` runs it for an hour (`PITSTOP_SOAK_SECONDS`, `PITSTOP_SOAK_RESOURCES`).
@Suite(.serialized)
struct WatchSoakTests {
    let dir = ScratchDirectory("pitstop-soak")
    var store: String { dir.file("store") }

    func pitstop(_ arguments: String...) throws -> ProcessResult {
        try runProcess(BuiltProducts.path("pitstop"), ["--store", store] + arguments, environment: ["TZ": "UTC"])
    }

    static func residentKB(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    @Test func watchMemoryStaysFlatWhileADaemonRunsThousandsOfExecutions() throws {
        let environment = ProcessInfo.processInfo.environment
        let seconds = Double(environment["PITSTOP_SOAK_SECONDS"] ?? "") ?? 12
        let count = Int(environment["PITSTOP_SOAK_RESOURCES"] ?? "") ?? 2000
        let resources = (0..<count).map { #"{"id": "r\#($0)", "name": "soak-db-\#($0)"}"# }.joined(separator: ",")
        let file = dir.file("soak.json")
        try """
            {"tasks": [{"id": "SOAK", "title": "soak", "service": "MySQL", "requirement": "recommended",
              "recommendedAt": "2026-12-01T00:00:00Z", "type": "os-update", "retries": 0,
              "executor": {"kind": "simulated", "durationSeconds": 0.02, "jitter": 0, "failureRate": 0.1},
              "resources": [\(resources)]}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try pitstop("import", file).status == 0)
        #expect(try pitstop("policy", "set", "minLeadTime", "0").status == 0)
        #expect(try pitstop("policy", "set", "maxConcurrency", "64").status == 0)
        #expect(try pitstop("policy", "set", "notifyLeadTimes", "").status == 0)
        #expect(try pitstop("reserve", "SOAK", "--all-pending", "--at", "now+2s").status == 0)

        let watch = try TmuxSession(
            command: "exec env TERM=screen-256color LANG=C.UTF-8 \(BuiltProducts.path("pitstop")) --store \(store) watch --interval 0.25",
            width: 120, height: 40)
        try watch.waitFor("Pitstop watch")
        let pid = try #require(Int32(try watch.tmux(["list-panes", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)))

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: BuiltProducts.path("pitstop"))
        daemon.arguments = ["--store", store, "daemon", "--interval", "0.05"]
        // Not the test's own stdout: a child holding that pipe would keep `swift test` waiting if this process died.
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer {
            daemon.interrupt()
            daemon.waitUntilExit()
        }

        var samples: [Int] = []
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            usleep(500_000)
            if let kb = Self.residentKB(pid) { samples.append(kb) }
        }
        let status = try JSONSerialization.jsonObject(with: Data(try pitstop("task", "SOAK", "--json").stdout.utf8)) as? [String: Any]
        let counts = status?["counts"] as? [String: Int] ?? [:]
        let finished = (counts["completed"] ?? 0) + (counts["failed"] ?? 0)
        let started = try pitstop("events", "--task", "SOAK", "--json").stdout.components(separatedBy: #""kind" : "started""#).count - 1
        #expect(finished > count / 4, "the daemon ran executions: \(finished) finished")
        #expect(started >= finished, "every finished execution was started: \(started) started")
        // Ignore the first quarter (start-up); after that the watch must not grow with the work it shows.
        let settled = Array(samples.dropFirst(samples.count / 4))
        let growth = (settled.max() ?? 0) - (settled.first ?? 0)
        print("soak: \(Int(seconds))s, \(finished) executions finished, watch RSS \(settled.first ?? 0) → \(settled.last ?? 0) KB (max growth \(growth) KB)")
        #expect(growth < 16 * 1024, "watch memory grew by \(growth) KB")
    }
}
