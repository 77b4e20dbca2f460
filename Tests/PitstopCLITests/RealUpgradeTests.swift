import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §15: the upgrade runbooks in `examples/runbooks/`, run by a real `pitstop daemon` over SSH against
/// Debian 12 hosts the tests make (`TestHosts`): a PostgreSQL primary and its streaming replica on two hosts,
/// a MariaDB server on a third, all at the older of the two versions the machine's apt sources offer. Every
/// check of what happened is read from the hosts and their servers, not from Pitstop.
@Suite(.serialized)
struct RealUpgradeTests {
    let dir = ScratchDirectory("pitstop-upgrade")
    var store: String { dir.file("store") }

    /// Hosts (`pg-a` primary, `pg-b` its replica, `my-c` MariaDB, each as asked) and a store with the example
    /// runbooks installed, whose daemons reach the hosts through the hosts' ssh_config alone.
    func prepare(_ subnet: Int, postgres: Bool = true, mariadb: Bool = true) throws -> (TestHosts, PitstopCommand) {
        let hosts = try TestHosts(in: dir.file("hosts"))
        if postgres {
            try hosts.start("pg-a", address: "127.0.\(subnet).1", service: "postgresql")
            try hosts.start("pg-b", address: "127.0.\(subnet).2", service: "postgresql")
            try hosts.replicate("pg-b", from: "pg-a")
        }
        if mariadb { try hosts.start("my-c", address: "127.0.\(subnet).3", service: "mariadb") }
        let cli = PitstopCommand(store: store, environment: ["PITSTOP_SSH_CONFIG": hosts.sshConfig])
        #expect(try cli.run(["store", "init"]).status == 0)
        try DatabaseServers.installRunbooks(into: store)
        #expect(try cli.run(["policy", "set", "minLeadTime", "0"]).status == 0)
        return (hosts, cli)
    }

    func importTasks(_ cli: PitstopCommand, _ tasks: [[String: Any]]) throws { try cli.importTasks(tasks, via: dir) }

    /// A task naming `runbook`, gated by `host-precheck`; `resources` as `(id, role, host)`, the PostgreSQL
    /// members in cluster "orders".
    func task(_ id: String, service: String, type: String, runbook: String, parameters: [String: String] = [:],
              resources: [(String, String, String)]) -> [String: Any] {
        [
            "id": id, "title": "\(runbook) on the test hosts", "service": service, "requirement": "recommended",
            "recommendedAt": "2027-01-01T00:00:00Z", "type": type, "parameters": parameters, "maxConcurrency": 3, "retries": 0,
            "executor": ["kind": "runbook", "name": runbook, "timeoutSeconds": 600],
            "precheck": ["kind": "runbook", "name": "host-precheck"],
            "resources": resources.map { id, role, host -> [String: Any] in
                var resource: [String: Any] = ["id": id, "name": "orders-\(id)", "role": role, "host": host]
                if role != "standalone" { resource["cluster"] = "orders" }
                return resource
            },
        ]
    }

    func resources(_ cli: PitstopCommand, _ taskID: String) throws -> [String: [String: Any]] { try cli.resources(of: taskID) }

    func events(_ cli: PitstopCommand, _ taskID: String, _ resourceID: String, _ kind: String) throws -> [[String: Any]] {
        try cli.events(of: taskID, resourceID, kind: kind)
    }

    /// Waits until every listed resource has completed or failed; records the outputs of those that did not.
    func waitForOutcomes(_ cli: PitstopCommand, _ task: String, _ ids: [String], limit: Double = 240) throws -> Bool {
        let finished = try waitUntil(limit, every: 0.5) {
            let now = try resources(cli, task)
            return ids.allSatisfy { ["completed", "failed"].contains(now[$0]?["status"] as? String ?? "") }
        }
        if !finished {
            for id in ids { Issue.record("\(task)/\(id): \(try cli.run(["output", task, id]).stdout)") }
        }
        return finished
    }

    func stop(_ daemon: Process) { killDaemon(daemon) }

    func rehearse(_ cli: PitstopCommand, _ task: String) throws -> [String: String] {
        let result = try cli.run(["rehearse", task, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let results = object?["results"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: results.map { ($0["resourceId"] as? String ?? "?", $0["verdict"] as? String ?? "?") })
    }

    @Test func aFleetIsRehearsedThenUpdatedAndUpgradedReplicaFirstThroughAKilledDaemon() throws {
        let (hosts, cli) = try prepare(31)
        defer { hosts.stop() }
        let image = hosts.image
        let pgTarget = TestHosts.Image.upstream(image.pgNew), mariadbTarget = TestHosts.Image.upstream(image.mariadbNew)
        try importTasks(cli, [
            task("OS", service: "PostgreSQL", type: "os-update", runbook: "os-update",
                 resources: [("pg-b", "replica", "pg-b"), ("pg-a", "primary", "pg-a")]),
            task("OS-MY", service: "MySQL", type: "os-update", runbook: "os-update", resources: [("my-c", "standalone", "my-c")]),
            task("PG", service: "PostgreSQL", type: "engine-upgrade", runbook: "pg-minor-upgrade", parameters: ["target_version": pgTarget],
                 resources: [("pg-b", "replica", "pg-b"), ("pg-a", "primary", "pg-a")]),
            task("MY", service: "MySQL", type: "engine-upgrade", runbook: "mariadb-minor-upgrade",
                 parameters: ["target_version": mariadbTarget], resources: [("my-c", "standalone", "my-c")]),
        ])
        #expect(try hosts.installed("pg-a", "postgresql-15") == image.pgOld && hosts.installed("my-c", "mariadb-server") == image.mariadbOld)

        // The afternoon before: every resource rehearsed, every one ready, and not a package or server moved.
        let before = try ["pg-a", "pg-b", "my-c"].map(hosts.fingerprint)
        for task in ["OS", "OS-MY", "PG", "MY"] {
            let verdicts = try rehearse(cli, task)
            #expect(!verdicts.isEmpty && verdicts.values.allSatisfy { $0 == "ready" }, "\(task): \(verdicts)")
        }
        #expect(try ["pg-a", "pg-b", "my-c"].map(hosts.fingerprint) == before, "a rehearsal changed nothing on any host")
        #expect(try events(cli, "PG", "pg-a", "rehearsed").count == 1)

        // The OS update: every host's packages move, its database packages and its server do not.
        let pgStart = try hosts.postgres("pg-a", "SELECT pg_postmaster_start_time()")
        let mariadbPID = try hosts.run("my-c", ["pgrep", "-xo", "mariadbd"])
        let libssl = try hosts.installed("pg-a", "libssl3")
        let daemon = try cli.startDaemon()
        defer { stop(daemon) }
        #expect(try cli.run(["reserve", "OS", "pg-b", "--at", "now"]).status == 0)
        #expect(try cli.run(["reserve", "OS", "pg-a", "--at", "now+1s"]).status == 0)
        #expect(try cli.run(["reserve", "OS-MY", "my-c", "--at", "now"]).status == 0)
        #expect(try waitForOutcomes(cli, "OS", ["pg-b", "pg-a"]) && waitForOutcomes(cli, "OS-MY", ["my-c"]))
        for (task, id) in [("OS", "pg-a"), ("OS", "pg-b"), ("OS-MY", "my-c")] {
            let r = try resources(cli, task)[id]
            let output = try cli.run(["output", task, id]).stdout
            #expect(r?["status"] as? String == "completed", "\(id): \(output)")
            #expect((r?["lastMessage"] as? String)?.contains("server up as before") == true, "\(id)")
        }
        #expect(try hosts.installed("pg-a", "libssl3") != libssl, "the OS update upgraded the host's other packages")
        #expect(try hosts.installed("pg-a", "postgresql-15") == image.pgOld && hosts.installed("pg-b", "libpq5") == image.pgOld)
        #expect(try hosts.installed("my-c", "mariadb-server") == image.mariadbOld)
        #expect(try hosts.postgres("pg-a", "SELECT pg_postmaster_start_time()") == pgStart, "the primary kept running")
        #expect(try hosts.run("my-c", ["pgrep", "-xo", "mariadbd"]) == mariadbPID, "MariaDB kept running")
        for host in ["pg-a", "pg-b", "my-c"] {
            #expect(try hosts.run(host, ["apt-mark", "showhold"]).isEmpty, "\(host): the holds were released")
            #expect(try hosts.run(host, ["dpkg", "--audit"]).isEmpty)
        }

        // The engine upgrade: the replica first; the daemon killed in the middle of the primary's.
        #expect(try cli.run(["reserve", "PG", "pg-b", "--at", "now"]).status == 0)
        #expect(try cli.run(["reserve", "PG", "pg-a", "--at", "now+1s"]).status == 0)
        #expect(try cli.run(["reserve", "MY", "my-c", "--at", "now"]).status == 0)
        let upgrading = try waitUntil(180, every: 0.1) {
            try cli.run(["output", "PG", "pg-a"]).stdout.contains("upgrading pg-a (primary)")
        }
        let primaryOutput = try cli.run(["output", "PG", "pg-a"]).stdout
        #expect(upgrading, "the primary's upgrade began: \(primaryOutput)")
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        #expect(try resources(cli, "PG")["pg-a"]?["status"] as? String == "in-progress")
        let second = try cli.startDaemon()
        defer { stop(second) }
        #expect(try waitForOutcomes(cli, "PG", ["pg-b", "pg-a"]) && waitForOutcomes(cli, "MY", ["my-c"]))
        let pg = try resources(cli, "PG")
        for id in ["pg-b", "pg-a"] {
            let output = try cli.run(["output", "PG", id]).stdout
            #expect(pg[id]?["status"] as? String == "completed", "\(id): \(output)")
            #expect(pg[id]?["attempts"] as? Int == 1)
        }
        #expect(try events(cli, "PG", "pg-a", "started").count == 1 && events(cli, "PG", "pg-a", "adopted").count == 1)
        #expect(try resources(cli, "MY")["my-c"]?["status"] as? String == "completed")

        // The hosts' word: the new version runs everywhere, the replica restarted first and streams again.
        for host in ["pg-a", "pg-b"] {
            #expect(try hosts.installed(host, "postgresql-15") == image.pgNew)
            #expect(try hosts.postgres(host, "SELECT version()").hasPrefix("PostgreSQL \(pgTarget) "))
        }
        let replicaStart = try Double(hosts.postgres("pg-b", "SELECT extract(epoch FROM pg_postmaster_start_time())")) ?? .infinity
        let primaryStart = try Double(hosts.postgres("pg-a", "SELECT extract(epoch FROM pg_postmaster_start_time())")) ?? 0
        #expect(replicaStart < primaryStart, "the replica was upgraded and restarted before the primary")
        #expect(try hosts.postgres("pg-b", "SELECT status FROM pg_stat_wal_receiver") == "streaming")
        #expect(try hosts.postgres("pg-a", "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == "1")
        #expect(try hosts.installed("my-c", "mariadb-server") == image.mariadbNew)
        #expect(try hosts.mariadb("my-c", "SELECT VERSION()").hasPrefix(mariadbTarget + "-MariaDB"))
        #expect(try hosts.run("my-c", ["pgrep", "-xo", "mariadbd"]) != mariadbPID, "MariaDB restarted into the new version")
    }

    @Test func anUnreachableHostIsNamedByTheRehearsalAndHeldByThePrecheckWithNothingChanged() throws {
        let (hosts, cli) = try prepare(32, postgres: false)
        defer { hosts.stop() }
        try importTasks(cli, [
            task("MY", service: "MySQL", type: "engine-upgrade", runbook: "mariadb-minor-upgrade",
                 parameters: ["target_version": TestHosts.Image.upstream(hosts.image.mariadbNew)], resources: [("my-c", "standalone", "my-c")]),
        ])
        try hosts.sshd("my-c", running: false)
        let rehearsal = try cli.run(["rehearse", "MY"])
        #expect(rehearsal.status == 1 && rehearsal.stdout.contains("unreachable") && rehearsal.stdout.contains("Connection refused"), "\(rehearsal.stdout)")
        #expect(try (events(cli, "MY", "my-c", "rehearsed").first?["message"] as? String ?? "").hasPrefix("unreachable: "))

        let daemon = try cli.startDaemon()
        defer { stop(daemon) }
        #expect(try cli.run(["reserve", "MY", "my-c", "--at", "now"]).status == 0)
        let held = try waitUntil(60, every: 0.25) { try !events(cli, "MY", "my-c", "precheck-failed").isEmpty }
        #expect(held, "the precheck held the upgrade")
        let message = try events(cli, "MY", "my-c", "precheck-failed").first?["message"] as? String ?? ""
        #expect(message.contains("unreachable: ssh my-c"), "\(message)")
        #expect(try resources(cli, "MY")["my-c"]?["status"] as? String == "reserved")
        #expect(try hosts.installed("my-c", "mariadb-server") == hosts.image.mariadbOld, "nothing was installed")
    }

    @Test func aVersionTheRepositoryLacksFailsWithAptsLineAndAPrimaryBeforeItsReplicaIsRefused() throws {
        let (hosts, cli) = try prepare(33, mariadb: false)
        defer { hosts.stop() }
        try importTasks(cli, [
            task("PG-BAD", service: "PostgreSQL", type: "engine-upgrade", runbook: "pg-minor-upgrade", parameters: ["target_version": "15.99"],
                 resources: [("pg-b", "replica", "pg-b")]),
            task("PG", service: "PostgreSQL", type: "engine-upgrade", runbook: "pg-minor-upgrade",
                 parameters: ["target_version": TestHosts.Image.upstream(hosts.image.pgNew)],
                 resources: [("pg-b", "replica", "pg-b"), ("pg-a", "primary", "pg-a")]),
        ])
        let replicaStart = try hosts.postgres("pg-b", "SELECT pg_postmaster_start_time()")
        let primaryStart = try hosts.postgres("pg-a", "SELECT pg_postmaster_start_time()")
        let daemon = try cli.startDaemon()
        defer { stop(daemon) }
        #expect(try cli.run(["reserve", "PG-BAD", "pg-b", "--at", "now"]).status == 0)
        // The operator takes the replica out and asks for the primary alone: the runbook refuses it.
        #expect(try cli.run(["exclude", "PG", "pg-b"]).status == 0)
        #expect(try cli.run(["reserve", "PG", "pg-a", "--at", "now"]).status == 0)
        #expect(try waitForOutcomes(cli, "PG-BAD", ["pg-b"]) && waitForOutcomes(cli, "PG", ["pg-a"]))

        let bad = try resources(cli, "PG-BAD")["pg-b"]
        #expect(bad?["status"] as? String == "failed")
        let badMessage = bad?["lastMessage"] as? String ?? ""
        #expect(badMessage.contains("E: Version '15.99' for 'postgresql-15' was not found"), "\(badMessage)")
        let refused = try resources(cli, "PG")["pg-a"]
        #expect(refused?["status"] as? String == "failed")
        let refusedMessage = refused?["lastMessage"] as? String ?? ""
        #expect(refusedMessage.contains("exit status 10: refused: replica pg-b still runs"), "\(refusedMessage)")

        // Both servers untouched and running, at the old version.
        #expect(try hosts.postgres("pg-b", "SELECT pg_postmaster_start_time()") == replicaStart)
        #expect(try hosts.postgres("pg-a", "SELECT pg_postmaster_start_time()") == primaryStart)
        for host in ["pg-a", "pg-b"] { #expect(try hosts.installed(host, "postgresql-15") == hosts.image.pgOld) }
    }
}
