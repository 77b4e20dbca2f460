import Foundation
import PitstopTestSupport
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §18 under churn: 2,000 executions of a ledger command across two hosts of one fleet in a real etcd, the
/// leading engine killed with SIGKILL every 30 s (and started again at once, as systemd would). Every start the
/// ledger saw was acknowledged in the fleet, none twice, and every execution ends with its true outcome.
@Suite(.serialized)
struct EtcdSoakTests {
    let dir = ScratchDirectory("pitstop-etcd-soak")
    var ledger: String { dir.file("ledger") }
    static let count = 2_000

    func host(_ name: String) -> PitstopCommand { PitstopCommand(store: dir.file("host-\(name)")) }

    @Test func twoThousandExecutionsWithTheLeaderKilledEveryThirtySecondsLoseNothingAndStartNothingTwice() throws {
        let etcd = try EtcdFleet(in: dir.file("etcd"), prefix: "/pitstop/soak")
        defer { etcd.stop() }
        let bind = etcd.bind
        for name in ["a", "b"] { #expect(try host(name).run(["store", "init"] + bind).status == 0) }
        let script = dir.file("run.sh")
        try """
            #!/bin/sh
            echo "start $PITSTOP_RESOURCE_ID $PITSTOP_ATTEMPT_ID" >> "$1"
            sleep 0.4
            echo "end $PITSTOP_RESOURCE_ID $PITSTOP_ATTEMPT_ID" >> "$1"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        var tasks: [String] = []
        for t in 0..<20 {
            let resources = (0..<(Self.count / 20)).map { #"{"id": "r\#(t)-\#($0)", "name": "db \#(t)-\#($0)"}"# }.joined(separator: ",")
            tasks.append("""
                {"id": "T\(t)", "title": "soak \(t)", "service": "MySQL", "requirement": "recommended", "recommendedAt": "2026-12-01T00:00:00Z",
                 "type": "config-change", "retries": 0, "maxConcurrency": 40,
                 "executor": {"kind": "command", "argv": ["/bin/sh", "\(script)", "\(ledger)"], "timeoutSeconds": 60}, "resources": [\(resources)]}
                """)
        }
        let file = dir.file("tasks.json")
        try #"{"tasks": [\#(tasks.joined(separator: ","))]}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let a = host("a")
        #expect(try a.run(["import", file]).status == 0)
        for (policyKey, value) in [("minLeadTime", "0"), ("maxConcurrency", "40"), ("startWindow", "6h")] {
            #expect(try a.run(["policy", "set", policyKey, value]).status == 0)
        }
        for t in 0..<20 { #expect(try a.run(["reserve", "T\(t)", "--all-pending", "--at", "now"]).status == 0) }

        let daemons = Mutex<[String: Process]>([:])
        for name in ["a", "b"] { let d = try host(name).startDaemon(); daemons.withLock { $0[name] = d } }
        defer { daemons.withLock { $0.values.forEach(killDaemon) } }
        let began = Date()
        var kills = 0
        var lastKill = Date()
        func finished() throws -> Int {
            let object = try JSONSerialization.jsonObject(with: Data(try host("b").run(["export"]).stdout.utf8)) as? [String: Any]
            return (object?["tasks"] as? [[String: Any]] ?? []).reduce(0) { sum, task in
                sum + (task["resources"] as? [[String: Any]] ?? []).filter { ["completed", "failed"].contains($0["status"] as? String ?? "") }.count
            }
        }
        // Each second: done yet? And every 30 s, the leader killed and its host's daemon started again.
        _ = try waitUntil(600, every: 1) {
            if Date().timeIntervalSince(lastKill) >= 30, let name = try ["a", "b"].first(where: { try host($0).run(["store", "info"]).stdout.contains("this host    leader") }) {
                daemons.withLock { killDaemon($0[name]!) }
                let again = try host(name).startDaemon()
                daemons.withLock { $0[name] = again }
                kills += 1
                lastKill = Date()
            }
            return try finished() >= Self.count
        }
        let took = Date().timeIntervalSince(began)
        #expect(try finished() == Self.count, "every execution ended")

        let lines = PitstopTestSupport.lines(ofFile: ledger)
        let starts = lines.filter { $0.hasPrefix("start ") }.map { $0.dropFirst("start ".count) }
        let startedResources = starts.map { $0.split(separator: " ")[0] }
        #expect(Set(startedResources).count == starts.count, "a resource started twice: \(starts.count - Set(startedResources).count)")
        // Every start the ledger saw was acknowledged in the fleet: its attempt is the resource's.
        let object = try JSONSerialization.jsonObject(with: Data(try host("a").run(["export"]).stdout.utf8)) as? [String: Any]
        var attemptOf: [String: String] = [:], statusOf: [String: String] = [:], messageOf: [String: String] = [:]
        for task in object?["tasks"] as? [[String: Any]] ?? [] {
            for resource in task["resources"] as? [[String: Any]] ?? [] {
                let id = resource["id"] as? String ?? ""
                attemptOf[id] = (resource["attempt"] as? NSNumber).map { "\($0)" }
                statusOf[id] = resource["status"] as? String
                messageOf[id] = resource["lastMessage"] as? String
            }
        }
        let lost = starts.filter { attemptOf[String($0.split(separator: " ")[0])] != String($0.split(separator: " ")[1]) }
        #expect(lost.isEmpty, "starts the fleet does not know: \(lost.prefix(5))")
        #expect(starts.count == Self.count, "every resource ran once: \(starts.count)")
        let unknown = statusOf.filter { $0.value == "failed" }.keys.filter { messageOf[$0]?.hasPrefix("outcome unknown") == true }
        let failed = statusOf.filter { $0.value == "failed" }.count
        print(String(format: "etcd soak: %d executions in %.0f s, leader killed %d times; %d starts in the ledger, 0 twice, %d lost; %d failed (%d outcome unknown)",
                     Self.count, took, kills, starts.count, lost.count, failed, unknown.count))
        #expect(kills >= 1, "the leader was killed at least once")
    }
}
