import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §16: Pitstop on a real Patroni cluster (etcd, Patroni and PostgreSQL from Debian's packages), driven by
/// a real `pitstop daemon` through the example runbooks. What happened is read from Patroni and PostgreSQL.
@Suite(.serialized)
struct PatroniTests {
    let dir = ScratchDirectory("pitstop-patroni")
    var store: String { dir.file("store") }

    func prepare() throws -> (PatroniServers, PitstopCommand) {
        let servers = try PatroniServers(in: dir.file("cluster"))
        let cli = PitstopCommand(store: store, environment: ["HOME": servers.home])
        #expect(try cli.run(["store", "init"]).status == 0)
        try DatabaseServers.installRunbooks(into: store)
        #expect(try cli.run(["policy", "set", "minLeadTime", "0"]).status == 0)
        return (servers, cli)
    }

    /// `discover` with a template of task fields, imported.
    func discoverAndImport(_ servers: PatroniServers, _ cli: PitstopCommand, _ template: [String: Any]) throws {
        let templatePath = dir.file("template-\(UUID().uuidString.prefix(6)).json")
        try JSONSerialization.data(withJSONObject: template).write(to: URL(fileURLWithPath: templatePath))
        let discovered = try cli.run(["discover", "patroni", servers.api["pg2"]!, "--task-template", templatePath])
        #expect(discovered.status == 0, "\(discovered.stderr)")
        let document = dir.file("discovered-\(UUID().uuidString.prefix(6)).json")
        try discovered.stdout.write(toFile: document, atomically: true, encoding: .utf8)
        let imported = try cli.run(["import", document])
        #expect(imported.status == 0, "\(imported.stderr)")
    }

    func task(_ id: String, runbook: String, parameters: [String: String]) -> [String: Any] {
        [
            "id": id, "title": "\(runbook) under Patroni", "service": "PostgreSQL", "requirement": "recommended",
            "recommendedAt": "2027-01-01T00:00:00Z", "type": "config-change", "parameters": parameters,
            "executor": ["kind": "runbook", "name": runbook, "timeoutSeconds": 600],
            "switchover": ["kind": "runbook", "name": "patroni-switchover"],
        ]
    }

    func id(_ servers: PatroniServers, _ member: String) -> String { "\(servers.scope)-\(member)" }

    func status(_ cli: PitstopCommand, _ task: String, _ resource: String) throws -> [String: Any] {
        try cli.resources(of: task)[resource] ?? [:]
    }

    /// Waits until each resource completed or failed; records the output of those that did not.
    func waitForOutcomes(_ cli: PitstopCommand, _ task: String, _ resources: [String], limit: Double = 240) throws -> Bool {
        let finished = try waitUntil(limit, every: 0.5) {
            try resources.allSatisfy { ["completed", "failed"].contains(try status(cli, task, $0)["status"] as? String ?? "") }
        }
        if !finished {
            for resource in resources { Issue.record("\(resource): \(try status(cli, task, resource)) \(try cli.run(["output", task, resource]).stdout)") }
        }
        return finished
    }

    @Test func discoverGivesEveryMemberInItsRoleAndFollowsASwitchover() throws {
        let servers = try PatroniServers(in: dir.file("cluster"))
        defer { servers.stop() }
        let cli = PitstopCommand(store: store)
        func roles() throws -> [String: String] {
            let result = try cli.run(["discover", "patroni", servers.api["pg3"]!])
            #expect(result.status == 0, "\(result.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let resources = ((object?["tasks"] as? [[String: Any]])?.first?["resources"] as? [[String: Any]]) ?? []
            for resource in resources {
                let labels = resource["labels"] as? [String: String] ?? [:]
                let member = labels["patroni_member"] ?? "?"
                #expect(resource["cluster"] as? String == servers.scope && labels["patroni_url"] == servers.api[member])
                #expect(resource["endpoint"] as? String == servers.postgres[member] && resource["host"] as? String == "127.0.0.1")
            }
            return Dictionary(uniqueKeysWithValues: resources.map { (($0["labels"] as? [String: String])?["patroni_member"] ?? "?", $0["role"] as? String ?? "?") })
        }
        #expect(try roles() == ["pg1": "primary", "pg2": "replica", "pg3": "replica"])
        try servers.rest("pg1", "POST", "/switchover", body: #"{"leader": "pg1", "candidate": "pg2"}"#)
        #expect(try waitUntil(60, every: 0.5) { try servers.leader() == "pg2" && (try? roles()) == ["pg1": "replica", "pg2": "primary", "pg3": "replica"] })

        // A URL that does not answer is named, and nothing is printed.
        let refused = try cli.run(["discover", "patroni", servers.api["pg1"]!, "http://127.0.0.1:9"])
        #expect(refused.status != 0 && refused.stdout.isEmpty)
        #expect(refused.stderr.contains("http://127.0.0.1:9") && refused.stderr.contains("Connection refused"), "\(refused.stderr)")
    }

    @Test func aRollingSettingChangeRestartsEachMemberOnceAndSwitchesOverOnceToAQualifyingReplica() throws {
        let (servers, cli) = try prepare()
        defer { servers.stop() }
        try discoverAndImport(servers, cli, task("PG-SB", runbook: "patroni-config-change",
                                                 parameters: ["setting": "shared_buffers", "value": "32MB", "max_lag_bytes": "1048576"]))
        let startsBefore = try servers.startTimes()
        let timelineBefore = try servers.timeline()
        #expect(try servers.sql("pg1", "SHOW shared_buffers") == "16MB")
        let writer = try PatroniWriter(servers, in: dir)
        #expect(try waitUntil(20, every: 0.1) { ((try? String(contentsOfFile: writer.ackedPath, encoding: .utf8)) ?? "").count > 20 }, "the writer writes")

        let daemon = try cli.startDaemon()
        defer { killDaemon(daemon) }
        let began = Date()
        #expect(try cli.run(["reserve", "PG-SB", id(servers, "pg2"), id(servers, "pg3"), "--at", "now"]).status == 0)
        // The primary after its replicas (the topology rule), held until they complete.
        #expect(try cli.run(["reserve", "PG-SB", id(servers, "pg1"), "--at", "now+2s"]).status == 0)
        let members = ["pg1", "pg2", "pg3"].map { id(servers, $0) }
        #expect(try waitForOutcomes(cli, "PG-SB", members))
        let took = Date().timeIntervalSince(began)
        let written = try writer.finish()

        // Pitstop's record.
        for member in members { #expect(try status(cli, "PG-SB", member)["status"] as? String == "completed", "\(member)") }
        let switchover = try cli.run(["output", "PG-SB", id(servers, "pg1")]).stdout
        let chosen = try #require(switchover.split(separator: "\n").first { $0.hasPrefix("switching over from pg1 to ") }?.split(separator: " ")[5])
        #expect(switchover.components(separatedBy: "switching over from").count == 2, "one switchover:\n\(switchover)")

        // Patroni's and PostgreSQL's word.
        #expect(try servers.leader() == String(chosen), "the chosen candidate leads")
        #expect(try servers.timeline() == timelineBefore + 1, "the timeline advanced exactly once")
        let startsAfter = try servers.startTimes()
        for member in ["pg1", "pg2", "pg3"] {
            #expect(startsAfter[member]! > startsBefore[member]!, "\(member) restarted")
            #expect(try servers.sql(member, "SHOW shared_buffers") == "32MB", "\(member) runs the new setting")
            #expect(try servers.sql(member, "SELECT pg_is_in_recovery()") == (member == String(chosen) ? "f" : "t"))
        }
        // Each replica restarted once, by its own attempt; the old leader once, by its demotion in the
        // switchover (Patroni restarts it as a replica, with the new setting), so its attempt restarts nothing.
        for member in ["pg1", "pg2", "pg3"] {
            let output = try cli.run(["output", "PG-SB", id(servers, member)]).stdout
            let restarts = output.components(separatedBy: "restarting \(member)").count - 1
            #expect(restarts == (member == "pg1" ? 0 : 1), "\(member):\n\(output)")
        }
        // The live roles the switchover reported, against the task's word (discovered before it).
        #expect(try status(cli, "PG-SB", id(servers, "pg1"))["liveRole"] as? String == "replica")
        #expect(try status(cli, "PG-SB", id(servers, String(chosen)))["liveRole"] as? String == "primary")
        let leader = try #require(try servers.leader())
        let stored = Set(try servers.sql(leader, "SELECT string_agg(id::text, ',') FROM pitstop_writes").split(separator: ",").compactMap { Int($0) })
        let lost = written.acked.filter { !stored.contains($0) }
        #expect(written.acked.count > 100 && lost.isEmpty, "acknowledged rows lost: \(lost.prefix(10))")
        #expect(written.maxGap < 30, "the writer's longest gap")
        // Each member's time, from its start to its completion in the audit log.
        let reader = ISO8601DateFormatter()
        reader.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func time(_ event: [String: Any]?) -> Date? { (event?["time"] as? String).flatMap { reader.date(from: $0) } }
        var perMember: [String] = []
        for member in ["pg2", "pg3", "pg1"] {
            let started = time(try cli.events(of: "PG-SB", id(servers, member), kind: "started").last)
            let completed = time(try cli.events(of: "PG-SB", id(servers, member), kind: "completed").last)
            if let started, let completed { perMember.append(String(format: "%@ %.1f s", member, completed.timeIntervalSince(started))) }
        }
        print(String(format: "patroni rolling change: %.1f s for 3 members (%@); switchover to %@; writer: %d rows acknowledged, %d inserts refused, longest gap %.2f s, none lost",
                     took, perMember.joined(separator: ", "), String(chosen), written.acked.count, written.failed, written.maxGap))
    }

    @Test func aDaemonKilledDuringTheSwitchoverIsAdoptedAndNoSecondSwitchoverHappens() throws {
        let (servers, cli) = try prepare()
        defer { servers.stop() }
        try discoverAndImport(servers, cli, task("PG-RS", runbook: "patroni-restart", parameters: [:]))
        // Only the primary in this task: its attempt is the switchover, then its restart as a replica.
        for member in ["pg2", "pg3"] { #expect(try cli.run(["exclude", "PG-RS", id(servers, member)]).status == 0) }
        let timelineBefore = try servers.timeline()
        let primary = id(servers, "pg1")
        let first = try cli.startDaemon()
        defer { killDaemon(first) }
        #expect(try cli.run(["reserve", "PG-RS", primary, "--at", "now"]).status == 0)
        #expect(try waitUntil(60, every: 0.05) { try cli.run(["output", "PG-RS", primary]).stdout.contains("switching over from pg1") })
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let second = try cli.startDaemon()
        defer { killDaemon(second) }
        #expect(try waitForOutcomes(cli, "PG-RS", [primary]))
        #expect(try status(cli, "PG-RS", primary)["status"] as? String == "completed")
        let output = try cli.run(["output", "PG-RS", primary]).stdout
        #expect(output.components(separatedBy: "switching over from").count == 2, "one switchover:\n\(output)")
        #expect(try servers.timeline() == timelineBefore + 1, "the timeline advanced exactly once")
        #expect(try servers.leader() != "pg1" && servers.sql("pg1", "SELECT pg_is_in_recovery()") == "t")
    }

    @Test func aLaggingReplicaIsNeverChosenAndWithNoCandidateThePrimaryIsHeldNotFailed() throws {
        let (servers, cli) = try prepare()
        defer { servers.stop() }
        // Patroni 3.0 resumes a replay paused with pg_wal_replay_pause() within a loop, so lag is made the way
        // a delayed replica makes it: WAL received at once, replayed an hour late.
        try servers.delayReplay("pg2", "1h")
        try servers.delayReplay("pg3", "1h")
        try discoverAndImport(servers, cli, task("PG-RS", runbook: "patroni-restart", parameters: ["max_lag_bytes": "65536"]))
        for member in ["pg2", "pg3"] { #expect(try cli.run(["exclude", "PG-RS", id(servers, member)]).status == 0) }
        #expect(try waitUntil(30, every: 0.5) {
            try servers.churn(2000)
            return try servers.cluster().members.values.allSatisfy { ($0["lag"] as? Int ?? 1) == 0 || $0["role"] as? String == "leader" }
        }, "Patroni itself sees no lag: the WAL is received")
        let primary = id(servers, "pg1")
        let daemon = try cli.startDaemon()
        defer { killDaemon(daemon) }
        #expect(try cli.run(["reserve", "PG-RS", primary, "--at", "now"]).status == 0)
        let heldForLag = try waitUntil(60, every: 0.5) { (try status(cli, "PG-RS", primary)["held"] as? String)?.contains("no replica qualifies") == true }
        if !heldForLag { Issue.record("not held for lag:\n\(try cli.run(["output", "PG-RS", primary]).stdout)") }
        let held = try status(cli, "PG-RS", primary)
        #expect(held["status"] as? String == "reserved" && (held["failures"] as? Int ?? 0) == 0, "held, not failed: \(held)")
        #expect((held["held"] as? String ?? "").contains("pg2 lags") && (held["held"] as? String ?? "").contains("pg3 lags"), "\(held)")
        #expect(try servers.leader() == "pg1")

        // pg3 catches up; pg2 still lags: the next look (each minute) switches over to pg3, never to pg2.
        try servers.delayReplay("pg3", "0")
        #expect(try waitForOutcomes(cli, "PG-RS", [primary], limit: 150))
        #expect(try status(cli, "PG-RS", primary)["status"] as? String == "completed")
        #expect(try servers.leader() == "pg3")
        #expect(try cli.run(["output", "PG-RS", primary]).stdout.contains("not pg2: lags"))
    }

    @Test func aPausedClusterHoldsEveryMemberUntilItIsResumed() throws {
        let (servers, cli) = try prepare()
        defer { servers.stop() }
        try discoverAndImport(servers, cli, task("PG-RS", runbook: "patroni-restart", parameters: [:]))
        try servers.rest("pg1", "PATCH", "/config", body: #"{"pause": true}"#)
        #expect(try waitUntil(20, every: 0.5) { try servers.cluster().paused })
        let daemon = try cli.startDaemon()
        defer { killDaemon(daemon) }
        let replicas = ["pg2", "pg3"].map { id(servers, $0) }
        #expect(try cli.run(["reserve", "PG-RS"] + replicas + ["--at", "now"]).status == 0)
        #expect(try waitUntil(60, every: 0.5) {
            try replicas.allSatisfy { (try status(cli, "PG-RS", $0)["held"] as? String)?.contains("cluster paused in Patroni") == true }
        })
        let startsBefore = try servers.startTimes()
        try servers.rest("pg1", "PATCH", "/config", body: #"{"pause": false}"#)
        #expect(try waitForOutcomes(cli, "PG-RS", replicas, limit: 150))
        let startsAfter = try servers.startTimes()
        for (index, member) in ["pg2", "pg3"].enumerated() {
            #expect(try status(cli, "PG-RS", replicas[index])["status"] as? String == "completed")
            #expect(startsAfter[member]! > startsBefore[member]!, "\(member) restarted once resumed")
        }
        #expect(startsAfter["pg1"] == startsBefore["pg1"], "the primary was not reserved and did not restart")
    }
}
