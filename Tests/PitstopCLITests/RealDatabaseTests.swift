import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §12: the runbooks in `examples/runbooks/`, named by tasks as a team member would, run by a real
/// `pitstop daemon` against a real PostgreSQL primary with a streaming replica and a real MariaDB server. The
/// tests read the answers from the databases themselves, not from Pitstop.
@Suite(.serialized)
struct RealDatabaseTests {
    let dir = ScratchDirectory("pitstop-realdb")
    var store: String { dir.file("store") }

    /// Servers, a store with the example runbooks installed, and the command line with which to drive it; the
    /// daemons get the servers' credentials and host commands through their environment, as the systemd unit
    /// would give them.
    func prepare() throws -> (DatabaseServers, PitstopCommand) {
        let servers = try DatabaseServers(in: dir.file("servers"))
        let cli = PitstopCommand(store: store, environment: [
            "HOME": servers.home, "DB_RESTART_COMMAND": servers.restartCommand, "DB_OPTION_FILE": servers.optionFile,
        ])
        #expect(try cli.run(["store", "init"]).status == 0)
        try DatabaseServers.installRunbooks(into: store)
        #expect(try cli.run(["policy", "set", "minLeadTime", "0"]).status == 0)
        return (servers, cli)
    }

    /// Imports tasks given as JSON objects.
    func importTasks(_ cli: PitstopCommand, _ tasks: [[String: Any]]) throws { try cli.importTasks(tasks, via: dir) }

    /// A task that names runbooks; `resources` as `(id, role, endpoint)`, PostgreSQL members in cluster "orders".
    func task(_ id: String, service: String, runbook: String, parameters: [String: String] = [:], hooks: [String: String] = [:],
              resources: [(String, String, String)]) -> [String: Any] {
        var object: [String: Any] = [
            "id": id, "title": "\(runbook) on the test servers", "service": service, "requirement": "recommended",
            "recommendedAt": "2027-01-01T00:00:00Z", "type": "config-change", "parameters": parameters,
            "executor": ["kind": "runbook", "name": runbook, "timeoutSeconds": 300],
            "resources": resources.map { id, role, endpoint -> [String: Any] in
                var resource: [String: Any] = ["id": id, "name": id, "role": role, "endpoint": endpoint]
                if role != "standalone" { resource["cluster"] = "orders" }
                return resource
            },
        ]
        for (hook, name) in hooks { object[hook] = ["kind": "runbook", "name": name] }
        return object
    }

    /// PG-RESTART: `pg-restart` on the replica and the primary, gated by the lag precheck and the health check.
    func rollingRestart(_ servers: DatabaseServers) -> [String: Any] {
        task("PG-RESTART", service: "PostgreSQL", runbook: "pg-restart", parameters: ["max_lag_seconds": "10"],
             hooks: ["precheck": "pg-lag-check", "healthcheck": "pg-healthcheck"],
             resources: [("pg-replica", "replica", servers.replica), ("pg-primary", "primary", servers.primary)])
    }

    func resources(_ cli: PitstopCommand, _ taskID: String) throws -> [String: [String: Any]] { try cli.resources(of: taskID) }

    func events(_ cli: PitstopCommand, _ taskID: String, _ resourceID: String, _ kind: String) throws -> [[String: Any]] {
        try cli.events(of: taskID, resourceID, kind: kind)
    }

    /// Waits until every listed resource has completed or failed; says which did not, with their output.
    func waitForOutcomes(_ cli: PitstopCommand, _ wanted: [(task: String, resource: String)], limit: Double = 90) throws -> Bool {
        let finished = try waitUntil(limit, every: 0.25) {
            try wanted.allSatisfy { pair in
                let status = try resources(cli, pair.task)[pair.resource]?["status"] as? String
                return status == "completed" || status == "failed"
            }
        }
        if !finished {
            for pair in wanted {
                Issue.record("\(pair.task)/\(pair.resource): \(try cli.run(["output", pair.task, pair.resource]).stdout)")
            }
        }
        return finished
    }

    func stop(_ daemon: Process) { killDaemon(daemon) }

    @Test func aConfigurationChangeReachesEveryServerAndOutlivesTheirRestart() throws {
        let (servers, cli) = try prepare()
        defer { servers.stop() }
        try importTasks(cli, [
            task("PG-CONF", service: "PostgreSQL", runbook: "pg-config-change",
                 parameters: ["setting": "log_min_duration_statement", "value": "250ms"],
                 resources: [("pg-replica", "replica", servers.replica), ("pg-primary", "primary", servers.primary)]),
            task("MY-CONF", service: "MySQL", runbook: "mysql-config-change", parameters: ["setting": "max_connections", "value": "222"],
                 resources: [("mariadb", "standalone", servers.mariadb)]),
        ])
        #expect(try servers.postgres(servers.primary, "SHOW log_min_duration_statement") == "-1")
        #expect(try servers.mariadb("SELECT @@GLOBAL.max_connections") == "151")
        let daemon = try cli.startDaemon()
        defer { stop(daemon) }
        #expect(try cli.run(["reserve", "PG-CONF", "pg-replica", "--at", "now"]).status == 0)
        #expect(try cli.run(["reserve", "PG-CONF", "pg-primary", "--at", "now+2s"]).status == 0)
        #expect(try cli.run(["reserve", "MY-CONF", "mariadb", "--at", "now"]).status == 0)
        #expect(try waitForOutcomes(cli, [("PG-CONF", "pg-replica"), ("PG-CONF", "pg-primary"), ("MY-CONF", "mariadb")]))

        // Pitstop's record: completed, with the runbook's last line and its whole output kept.
        let postgres = try resources(cli, "PG-CONF")
        for (id, endpoint) in [("pg-replica", servers.replica), ("pg-primary", servers.primary)] {
            #expect(postgres[id]?["status"] as? String == "completed")
            #expect(postgres[id]?["lastMessage"] as? String == "log_min_duration_statement = 250ms on \(endpoint) (was -1)")
        }
        let maria = try resources(cli, "MY-CONF")["mariadb"]
        #expect(maria?["status"] as? String == "completed")
        #expect(maria?["lastMessage"] as? String == "max_connections = 222 on \(servers.mariadb) (was 151; SET GLOBAL, kept in \(servers.optionFile))")
        #expect(try cli.run(["output", "MY-CONF", "mariadb"]).stdout.contains("max_connections = 222 on"))

        // The databases' own word: every server has the new value, and keeps it across a restart.
        for endpoint in [servers.replica, servers.primary] {
            #expect(try servers.postgres(endpoint, "SHOW log_min_duration_statement") == "250ms")
        }
        #expect(try servers.mariadb("SELECT @@GLOBAL.max_connections") == "222")
        for endpoint in [servers.replica, servers.primary, servers.mariadb] { try servers.restart(endpoint) }
        for endpoint in [servers.replica, servers.primary] {
            #expect(try servers.postgres(endpoint, "SHOW log_min_duration_statement") == "250ms", "ALTER SYSTEM survives a restart")
        }
        #expect(try servers.mariadb("SELECT @@GLOBAL.max_connections") == "222", "the option file carries the value across a restart")
    }

    @Test func aSettingThatRunsCodeOrNamesAFileIsRefusedUnlessTheOwnerNamesIt() throws {
        let (servers, plain) = try prepare()
        defer { servers.stop() }
        // The owner's allowlist, in the daemon's environment as the systemd unit would give it.
        var cli = plain
        cli.environment["PITSTOP_ALLOWED_SETTINGS"] = "work_mem, log_*, archive_*, general_log*"
        try importTasks(cli, [
            task("PG-CMD", service: "PostgreSQL", runbook: "pg-config-change",
                 parameters: ["setting": "archive_cleanup_command", "value": "touch \(dir.file("owned"))"], resources: [("pg-replica", "replica", servers.replica)]),
            task("PG-DIR", service: "PostgreSQL", runbook: "pg-config-change",
                 parameters: ["setting": "log_directory", "value": "/tmp"], resources: [("pg-primary", "primary", servers.primary)]),
            task("PG-OFF", service: "PostgreSQL", runbook: "pg-config-change",
                 parameters: ["setting": "shared_buffers", "value": "64MB"], resources: [("pg-primary", "primary", servers.primary)]),
            task("PG-OK", service: "PostgreSQL", runbook: "pg-config-change",
                 parameters: ["setting": "work_mem", "value": "8MB"], resources: [("pg-replica", "replica", servers.replica)]),
            task("MY-FILE", service: "MySQL", runbook: "mysql-config-change",
                 parameters: ["setting": "general_log_file", "value": "/tmp/x"], resources: [("mariadb", "standalone", servers.mariadb)]),
        ].map { $0.merging(["retries": 0]) { $1 } })
        let cleanupBefore = try servers.postgres(servers.replica, "SHOW archive_cleanup_command")
        #expect(try cli.run(["policy", "set", "conflictWindow", "0"]).status == 0, "one machine in several of these tasks at once")
        let daemon = try cli.startDaemon()
        defer { stop(daemon) }
        for (taskID, resourceID) in [("PG-CMD", "pg-replica"), ("PG-DIR", "pg-primary"), ("PG-OFF", "pg-primary"), ("PG-OK", "pg-replica"), ("MY-FILE", "mariadb")] {
            #expect(try cli.run(["reserve", taskID, resourceID, "--at", "now"]).status == 0)
        }
        #expect(try waitForOutcomes(cli, [("PG-CMD", "pg-replica"), ("PG-DIR", "pg-primary"), ("PG-OFF", "pg-primary"), ("PG-OK", "pg-replica"), ("MY-FILE", "mariadb")], limit: 150))
        func message(_ taskID: String, _ resourceID: String) throws -> String {
            try resources(cli, taskID)[resourceID]?["lastMessage"] as? String ?? ""
        }
        let command = try message("PG-CMD", "pg-replica")
        #expect(command.contains("refused: archive_cleanup_command runs a program"), "\(command)")
        #expect(try message("PG-DIR", "pg-primary").contains("refused: log_directory runs a program, loads a library or names a file or directory"))
        #expect(try message("PG-OFF", "pg-primary").contains("refused: shared_buffers is not among the settings the store's owner allows"))
        let file = try message("MY-FILE", "mariadb")
        #expect(file.contains("refused: general_log_file"), "\(file)")
        #expect(try resources(cli, "PG-OK")["pg-replica"]?["status"] as? String == "completed")
        // The servers' own word: nothing refused was changed.
        #expect(try servers.postgres(servers.replica, "SHOW archive_cleanup_command") == cleanupBefore)
        #expect(try servers.postgres(servers.primary, "SHOW log_directory") != "/tmp")
        #expect(try servers.mariadb("SELECT @@GLOBAL.general_log_file") != "/tmp/x")
        #expect(try servers.postgres(servers.replica, "SHOW work_mem") == "8MB")
        #expect(!FileManager.default.fileExists(atPath: dir.file("owned")))
    }

    @Test func aRollingRestartGoesReplicaFirstAndSurvivesADaemonKilledInThePrimarysRestart() throws {
        let (servers, cli) = try prepare()
        defer { servers.stop() }
        try importTasks(cli, [
            rollingRestart(servers),
            task("MY-RESTART", service: "MySQL", runbook: "mysql-restart", resources: [("mariadb", "standalone", servers.mariadb)]),
        ])
        let replicaBefore = try servers.postgresStart(servers.replica)
        let primaryBefore = try servers.postgresStart(servers.primary)
        let asked = Date().timeIntervalSince1970

        let first = try cli.startDaemon()
        defer { stop(first) }
        #expect(try cli.run(["reserve", "PG-RESTART", "pg-replica", "--at", "now"]).status == 0)
        // The primary is due a moment later (the topology rule wants it after its replicas), and is held until
        // the replica has completed whenever that is.
        #expect(try cli.run(["reserve", "PG-RESTART", "pg-primary", "--at", "now+1s"]).status == 0)
        #expect(try cli.run(["reserve", "MY-RESTART", "mariadb", "--at", "now"]).status == 0)

        // Kill the daemon the moment the primary's restart begins.
        let restarting = try waitUntil(60, every: 0.02) {
            try cli.run(["output", "PG-RESTART", "pg-primary"]).stdout.contains("restarting \(servers.primary)")
        }
        let replicaOutput = try cli.run(["output", "PG-RESTART", "pg-replica"]).stdout
        #expect(restarting, "the primary's restart began; the replica's output: \(replicaOutput)")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let atTheKill = try cli.run(["output", "PG-RESTART", "pg-primary"]).stdout
        #expect(!atTheKill.contains("healthy:"), "the attempt was still running when its daemon died: \(atTheKill)")
        #expect(try resources(cli, "PG-RESTART")["pg-primary"]?["status"] as? String == "in-progress")

        let second = try cli.startDaemon()
        defer { stop(second) }
        #expect(try waitForOutcomes(cli, [("PG-RESTART", "pg-replica"), ("PG-RESTART", "pg-primary"), ("MY-RESTART", "mariadb")]))

        // Pitstop: one attempt for the primary, adopted by the second daemon, completed after its health check.
        let postgres = try resources(cli, "PG-RESTART")
        for id in ["pg-replica", "pg-primary"] {
            let output = try cli.run(["output", "PG-RESTART", id]).stdout
            #expect(postgres[id]?["status"] as? String == "completed", "\(id): \(output)")
            #expect(postgres[id]?["attempts"] as? Int == 1 && postgres[id]?["failures"] as? Int == 0)
        }
        #expect(try events(cli, "PG-RESTART", "pg-primary", "started").count == 1)
        #expect(try events(cli, "PG-RESTART", "pg-primary", "adopted").count == 1)
        #expect(try events(cli, "PG-RESTART", "pg-primary", "completed").count == 1)
        #expect(postgres["pg-primary"]?["lastMessage"] as? String == "healthy: \(servers.primary) accepts connections, 1 replica streaming")
        let output = try cli.run(["output", "PG-RESTART", "pg-primary"]).stdout
        #expect(output.contains("replication lag") && output.contains("restarted \(servers.primary) (primary): up since"), "\(output)")
        let maria = try resources(cli, "MY-RESTART")["mariadb"]
        #expect(maria?["status"] as? String == "completed" && (maria?["lastMessage"] as? String ?? "").hasPrefix("restarted \(servers.mariadb):"))

        // The servers: both restarted, the replica first; replication streaming again; MariaDB restarted.
        let replicaAfter = try servers.postgresStart(servers.replica)
        let primaryAfter = try servers.postgresStart(servers.primary)
        #expect(replicaAfter > replicaBefore && primaryAfter > primaryBefore, "both PostgreSQL servers restarted")
        #expect(replicaAfter < primaryAfter, "the replica restarted before the primary")
        #expect(try servers.postgres(servers.primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == "1")
        #expect(try servers.postgres(servers.replica, "SELECT status FROM pg_stat_wal_receiver") == "streaming")
        let uptime = try servers.mariadb("SHOW GLOBAL STATUS LIKE 'Uptime'").split(separator: "\t").last.flatMap { Double($0) } ?? .infinity
        #expect(Date().timeIntervalSince1970 - uptime >= asked - 1, "MariaDB started after the test asked for its restart")
    }

    @Test func aReplicaCutOffFromItsPrimaryIsHeldByThePrecheckAndNotRestarted() throws {
        let (servers, cli) = try prepare()
        defer { servers.stop() }
        try importTasks(cli, [
            rollingRestart(servers),
        ])
        try servers.halt(servers.primary)
        #expect(try waitUntil(30) { try servers.postgres(servers.replica, "SELECT count(*) FROM pg_stat_wal_receiver") == "0" },
                "the replica noticed its primary is gone")
        let before = try servers.postgresStart(servers.replica)
        let daemon = try cli.startDaemon()
        defer { stop(daemon) }
        #expect(try cli.run(["reserve", "PG-RESTART", "pg-replica", "--at", "now"]).status == 0)
        #expect(try waitUntil(60, every: 0.25) { try !events(cli, "PG-RESTART", "pg-replica", "precheck-failed").isEmpty })
        let held = try events(cli, "PG-RESTART", "pg-replica", "precheck-failed").first?["message"] as? String ?? ""
        #expect(held.contains("\(servers.replica) is not streaming from its primary"), "\(held)")
        let replica = try resources(cli, "PG-RESTART")["pg-replica"]
        #expect(replica?["status"] as? String == "reserved" && replica?["failures"] as? Int == 0, "held, not failed: \(String(describing: replica))")
        #expect(try servers.postgresStart(servers.replica) == before, "the replica was not restarted")
    }
}
