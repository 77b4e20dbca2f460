import Foundation
import PitstopTestSupport
import Testing

/// The whole product under load, in real processes: a daemon runs thousands of simulated executions while
/// two consoles (one read-only) and a watch screen follow it in tmux and a CLI writer keeps reserving.
/// At the end every acknowledged write is present, the events match the executions, the screens agree with
/// fresh ones, and no process holds more memory than a fresh one opening the final store.
/// Short here; `make soak` runs 50,000 executions (`PITSTOP_SOAK_EXECUTIONS`, `PITSTOP_SOAK_TIMEOUT`).
@Suite(.serialized)
struct FleetSoakTests {
    let dir = ScratchDirectory("pitstop-soak")
    var store: String { dir.file("store") }
    var binary: String { BuiltProducts.path("pitstop") }

    func pitstop(_ arguments: String...) throws -> ProcessResult {
        try PitstopCommand(store: store, environment: ["LOGNAME": "soak"]).run(arguments)
    }

    static func residentKB(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    func importFleet(executions: Int, writerSlots: Int) throws {
        func resources(_ prefix: String, _ count: Int) -> String {
            (0..<count).map { #"{"id": "\#(prefix)\#($0)", "name": "\#(prefix)-db-\#($0)"}"# }.joined(separator: ",")
        }
        let file = dir.file("soak.json")
        try """
            {"tasks": [
              {"id": "SOAK", "title": "soak", "service": "MySQL", "requirement": "recommended",
               "recommendedAt": "2026-12-01T00:00:00Z", "type": "os-update", "retries": 0,
               "executor": {"kind": "simulated", "durationSeconds": 0.02, "jitter": 0, "failureRate": 0.1},
               "resources": [\(resources("s", executions))]},
              {"id": "WRITES", "title": "reserved by the CLI during the soak", "service": "PostgreSQL",
               "requirement": "recommended", "recommendedAt": "2026-12-01T00:00:00Z", "type": "config-change",
               "resources": [\(resources("w", writerSlots))]}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try pitstop("import", file).status == 0)
        // A start window as long as the run: a slow machine must not turn the last reservations into missed ones.
        for (key, value) in [("minLeadTime", "0"), ("startWindow", "7d"), ("maxConcurrency", "64"), ("notifyLeadTimes", ""), ("autoApply", "false")] {
            #expect(try pitstop("policy", "set", key, value).status == 0)
        }
    }

    func startDaemon() throws -> Process {
        try PitstopCommand(store: store).startDaemon(interval: 0.05)
    }

    /// Waits until `daemon` holds the store's engine lock, so that no console starts an engine of its own.
    func waitForEngine(_ daemon: Process) throws {
        let holds = waitUntil(30) {
            !daemon.isRunning || (try? String(contentsOfFile: store + "/engine.lock", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) == String(daemon.processIdentifier)
        }
        try #require(holds && daemon.isRunning, "the daemon did not take the engine lock")
    }

    func terminal(_ arguments: String) throws -> (session: TmuxSession, pid: Int32) {
        let session = try TmuxSession(
            command: "exec env TERM=screen-256color LANG=C.UTF-8 TZ=UTC \(binary) --store \(store) \(arguments)", width: 140, height: 40)
        let pid = try #require(Int32(try session.tmux(["list-panes", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)))
        return (session, pid)
    }

    /// The task-list rows of a console screen: what the console shows about the tasks, without the clock.
    static func taskRows(_ screen: String) -> [String] {
        screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { $0.contains("SOAK") || $0.contains("WRITES") }
    }

    @Test func everyProcessStaysCorrectAndFlatWhileADaemonRunsThousandsOfExecutions() throws {
        let environment = ProcessInfo.processInfo.environment
        let executions = Int(environment["PITSTOP_SOAK_EXECUTIONS"] ?? "") ?? 1500
        let timeout = Double(environment["PITSTOP_SOAK_TIMEOUT"] ?? "") ?? 120
        let writerSlots = 4000
        try importFleet(executions: executions, writerSlots: writerSlots)
        #expect(try pitstop("reserve", "SOAK", "--all-pending", "--at", "now+3s").status == 0)

        let daemon = try startDaemon()
        defer {
            daemon.interrupt()
            daemon.waitUntilExit()
        }
        try waitForEngine(daemon)
        // The daemon is the store's one engine; this console writes but runs none (a window could otherwise
        // take the engine over when the daemon is stopped for the fresh-daemon comparison below).
        let console = try terminal("tui --no-engine")
        let readonlyConsole = try terminal("--readonly tui")
        let watch = try terminal("watch --interval 0.25")
        for screen in [console.session, readonlyConsole.session, watch.session] { try screen.waitFor(timeout: 30) { $0.contains("SOAK") || $0.contains("Pitstop watch") } }
        let followers = [("daemon", daemon.processIdentifier), ("console", console.pid), ("read-only console", readonlyConsole.pid), ("watch", watch.pid)]

        // The CLI writer: one reservation after another until the daemon is done; each exit 0 is an acknowledgement.
        var acknowledged: [Int] = []
        var samples: [String: [Int]] = [:]
        var finished = 0
        let start = Date()
        var next = 0
        while Date().timeIntervalSince(start) < timeout {
            if next < writerSlots, try pitstop("reserve", "WRITES", "w\(next)", "--at", "now+3d").status == 0 { acknowledged.append(next) }
            next += 1
            for (name, pid) in followers { if let kb = Self.residentKB(pid) { samples[name, default: []].append(kb) } }
            if next % 10 == 0 {
                let task = try JSONSerialization.jsonObject(with: Data(try pitstop("task", "SOAK", "--json").stdout.utf8)) as? [String: Any]
                let counts = task?["counts"] as? [String: Int] ?? [:]
                finished = (counts["completed"] ?? 0) + (counts["failed"] ?? 0)
                if finished == executions { break }
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(daemon.isRunning, "the daemon ran throughout")
        #expect(followers.allSatisfy { !(samples[$0.0] ?? []).isEmpty }, "every follower was measured: \(samples.mapValues(\.count))")
        #expect(finished == executions, "the daemon finished \(finished) of \(executions) executions in \(Int(elapsed))s")
        #expect(acknowledged.count > 10, "the CLI writer got \(acknowledged.count) reservations through")

        // Every acknowledged reservation is in the store, and nothing else was reserved in WRITES.
        let writes = try JSONSerialization.jsonObject(with: Data(try pitstop("task", "WRITES", "--json").stdout.utf8)) as? [String: Any]
        let reserved = Set(((writes?["resources"] as? [[String: Any]]) ?? []).filter { $0["scheduledAt"] is String }.compactMap { $0["id"] as? String })
        #expect(reserved == Set(acknowledged.map { "w\($0)" }), "acknowledged \(acknowledged.count), present \(reserved.count)")

        // Events match executions: one start and one end per execution.
        let log = try JSONSerialization.jsonObject(with: Data(try pitstop("events", "--task", "SOAK", "--json").stdout.utf8)) as? [String: Any]
        let kinds = ((log?["events"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }
        let task = try JSONSerialization.jsonObject(with: Data(try pitstop("task", "SOAK", "--json").stdout.utf8)) as? [String: Any]
        let counts = task?["counts"] as? [String: Int] ?? [:]
        #expect(kinds.filter { $0 == "started" }.count == executions)
        #expect(kinds.filter { $0 == "completed" }.count == counts["completed"] ?? -1)
        #expect(kinds.filter { $0 == "failed" }.count == counts["failed"] ?? -1)

        // The long-running screens show what fresh ones show.
        let freshConsole = try terminal("--readonly tui")
        let freshWatch = try terminal("watch --interval 0.25")
        let freshRows = Self.taskRows(try freshConsole.session.waitFor(timeout: 30) { $0.contains("SOAK") && $0.contains("WRITES") })
        for (name, session) in [("console", console.session), ("read-only console", readonlyConsole.session)] {
            let rows = try session.waitFor(timeout: 10) { Self.taskRows($0) == freshRows }
            #expect(Self.taskRows(rows) == freshRows, "\(name) after the soak:\n\(rows)")
        }
        let resourcesLine = { (screen: String) in screen.split(separator: "\n").first { $0.contains("RESOURCES") }.map(String.init) ?? "" }
        let freshLine = resourcesLine(try freshWatch.session.waitFor(timeout: 30) { $0.contains("RESOURCES") })
        let watched = try watch.session.waitFor(timeout: 10) { resourcesLine($0) == freshLine }
        #expect(resourcesLine(watched) == freshLine)

        // Memory: each follower holds no more than a fresh process of its kind on the final store, within a
        // tenth (at least 8 MB) for allocator noise: at 50,000 executions that catches a leak of 160 bytes each.
        let freshDaemonKB: Int = try {
            daemon.interrupt()
            daemon.waitUntilExit()
            let fresh = try startDaemon()
            defer { fresh.interrupt(); fresh.waitUntilExit() }
            try waitForEngine(fresh)
            // Measured once it has settled: two readings a quarter second apart within 1%.
            var last = 0
            waitUntil(20, every: 0.25) {
                let now = Self.residentKB(fresh.processIdentifier) ?? 0
                defer { last = now }
                return last > 0 && abs(now - last) * 100 <= last
            }
            return last
        }()
        let fresh = ["daemon": freshDaemonKB, "console": Self.residentKB(freshConsole.pid) ?? 0,
                     "read-only console": Self.residentKB(freshConsole.pid) ?? 0, "watch": Self.residentKB(freshWatch.pid) ?? 0]
        var report: [String] = []
        for (name, _) in followers {
            let series = samples[name] ?? []
            let settled = Array(series.dropFirst(series.count / 4))
            let last = series.last ?? 0
            report.append("\(name) \(settled.first ?? 0)→\(last) KB (fresh \(fresh[name]!) KB)")
            #expect(last <= fresh[name]! + max(8 * 1024, fresh[name]! / 10), "\(name) holds \(last) KB, a fresh one \(fresh[name]!) KB")
        }
        print("soak: \(executions) executions in \(Int(elapsed))s, \(acknowledged.count) CLI reservations acknowledged and present; RSS " + report.joined(separator: "; "))
    }
}
