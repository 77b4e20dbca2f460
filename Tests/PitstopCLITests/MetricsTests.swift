import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §19: `pitstop daemon --metrics` scraped while it runs and read by Prometheus' own Python client
/// (`prometheus_client`, in the virtualenv `scripts/setup.sh --test` makes): the counts are the fleet's, and a
/// failure moves the failure count.
@Suite(.serialized)
struct MetricsTests {
    let dir = ScratchDirectory("pitstop-metrics")
    static let python = "/var/cache/pitstop-e2e/prometheus-client-0.26.0/bin/python"

    /// A loopback port nobody listens on now.
    func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Every sample of the page, parsed by prometheus_client: `name{label="v",…}` (labels sorted) → value.
    func scrape(_ port: UInt16) throws -> [String: Double] {
        let program = """
            import json, sys, urllib.request
            from prometheus_client.parser import text_string_to_metric_families
            text = urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()
            out = {}
            for family in text_string_to_metric_families(text):
                for s in family.samples:
                    labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(s.labels.items()))
                    out[s.name + ("{" + labels + "}" if labels else "")] = s.value
            print(json.dumps(out))
            """
        let result = try runProcess(Self.python, ["-c", program, "http://127.0.0.1:\(port)/metrics"])
        guard result.status == 0 else { throw FixtureError(message: "scrape failed: \(result.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Double] ?? [:]
    }

    @Test func aScrapeReadsTheFleetsCountsAndAFailureMovesTheFailureCount() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            Issue.record("\(Self.python) is missing: run scripts/setup.sh --test (it makes the virtualenv with prometheus_client)")
            return
        }
        let cli = PitstopCommand(store: dir.file("store"))
        #expect(try cli.run(["demo"]).status == 0)
        let file = dir.file("failing.json")
        try """
            {"tasks": [{"id": "FAIL-1", "title": "fails", "service": "MySQL", "requirement": "recommended", "recommendedAt": "2026-12-01T00:00:00Z",
              "type": "config-change", "retries": 0, "executor": {"kind": "command", "argv": ["/bin/false"], "timeoutSeconds": 10},
              "resources": [{"id": "f-1", "name": "fails one"}]}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try cli.run(["import", file]).status == 0)
        #expect(try cli.run(["policy", "set", "minLeadTime", "0"]).status == 0)
        let port = try freePort()
        let daemon = try startInBackground(PitstopCommand.binary, ["--store", cli.store, "daemon", "--interval", "0.1", "--metrics", "127.0.0.1:\(port)"])
        defer { killDaemon(daemon) }
        var first: [String: Double] = [:]
        #expect(try waitUntil(20, every: 0.2) { first = (try? scrape(port)) ?? [:]; return first["pitstop_engine_tick_seconds_count"] ?? 0 > 0 })

        // The counts are the fleet's, task by task, as `export` gives it (read right after the scrape: the
        // demo's engine moves on, so a task in flux may differ by what moved in between; most do not).
        let object = try JSONSerialization.jsonObject(with: Data(try cli.run(["export"]).stdout.utf8)) as? [String: Any]
        var matching = 0, tasks = 0
        for task in object?["tasks"] as? [[String: Any]] ?? [] {
            tasks += 1
            let id = task["id"] as? String ?? ""
            let statuses = (task["resources"] as? [[String: Any]] ?? []).map { $0["status"] as? String ?? "" }
            let same = ["pending", "reserved", "in-progress", "completed", "failed", "excluded"].allSatisfy { status in
                first["pitstop_resources{status=\"\(status)\",task=\"\(id)\"}"] == Double(statuses.filter { $0 == status }.count)
            }
            if same { matching += 1 }
        }
        #expect(tasks == 17 && matching >= 14, "\(matching) of \(tasks) tasks counted alike")
        #expect(first["pitstop_resources{status=\"pending\",task=\"FAIL-1\"}"] == 1)
        #expect(first["pitstop_engine_leader"] == 1 && first["pitstop_tasks_halted"] != nil && first["pitstop_notifications_total{result=\"sent\"}"] != nil && first["pitstop_notifications_dropped_total"] == 0)
        #expect(first["pitstop_engine_tick_seconds_bucket{le=\"+Inf\"}"] == first["pitstop_engine_tick_seconds_count"])

        let failuresBefore = try #require(first["pitstop_resource_failures"])
        #expect(try cli.run(["reserve", "FAIL-1", "f-1", "--at", "now"]).status == 0)
        var after: [String: Double] = [:]
        #expect(try waitUntil(20, every: 0.3) {
            after = (try? scrape(port)) ?? [:]
            return after["pitstop_resources{status=\"failed\",task=\"FAIL-1\"}"] == 1
        })
        #expect(try #require(after["pitstop_resource_failures"]) >= failuresBefore + 1, "the failure is counted")

        // Anything but GET /metrics is told so.
        let other = try runProcess("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/"])
        #expect(other.stdout == "404")
    }

    @Test func aMetricsAddressThatCannotBeServedIsOneLine() throws {
        let cli = PitstopCommand(store: dir.file("store"))
        #expect(try cli.run(["store", "init"]).status == 0)
        let bad = try cli.run(["daemon", "--metrics", "10.255.255.1:9464"])
        #expect(bad.status != 0 && bad.stderr.hasPrefix("error: --metrics 10.255.255.1:9464: cannot listen there:") && bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
        let malformed = try cli.run(["daemon", "--metrics", "localhost:x"])
        #expect(malformed.status != 0 && malformed.stderr.contains("give ADDR:PORT"), "\(malformed.stderr)")
    }

    @Test func aClientThatDribblesItsRequestOrNeverReadsBlocksNoOtherScrape() throws {
        let cli = PitstopCommand(store: dir.file("store"))
        #expect(try cli.run(["store", "init"]).status == 0)
        let port = try freePort()
        let daemon = try startInBackground(PitstopCommand.binary, ["--store", cli.store, "daemon", "--interval", "0.2", "--metrics", "127.0.0.1:\(port)"])
        defer { killDaemon(daemon) }
        let url = "http://127.0.0.1:\(port)/metrics"
        #expect(waitUntil(20, every: 0.2) { (try? runProcess("/usr/bin/curl", ["-sf", "--max-time", "2", url]))?.status == 0 })
        // One client sends a byte every second and never ends its request; others send theirs and never read.
        let slow = try startInBackground("/usr/bin/python3", ["-c", """
            import socket, sys, time
            port = int(sys.argv[1])
            idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(8)]
            for s in idle: s.sendall(b"GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
            dribbler = socket.create_connection(("127.0.0.1", port))
            dribbler.send(b"G")
            open(sys.argv[2], "w").close()
            for byte in b"GET /metrics HTTP/1.1\\r\\n" * 2:
                dribbler.send(bytes([byte]))
                time.sleep(1)
            """, String(port), dir.file("connected")])
        defer { slow.terminate() }
        #expect(waitUntil(10) { FileManager.default.fileExists(atPath: dir.file("connected")) })
        for _ in 0..<3 {
            let started = Date()
            let scrape = try runProcess("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "3", url])
            #expect(scrape.stdout == "200", "a scrape beside the slow clients: \(scrape.stdout) after \(Date().timeIntervalSince(started)) s")
        }
        #expect(slow.isRunning, "the slow client was still dribbling while the scrapes were answered")
    }
}
