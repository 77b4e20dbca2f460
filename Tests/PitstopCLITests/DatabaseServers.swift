import Foundation
import PitstopTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Real PostgreSQL (a primary and a streaming replica) and MariaDB servers, started by
/// `scripts/db-servers.sh` in a directory of their own on free loopback ports, and stopped when the value is
/// released or `stop()` is called, whether or not the test passed.
final class DatabaseServers {
    /// The repository, where the fixture script and the example runbooks live.
    static let repository = ServerScript.repository

    let directory: String
    /// scripts/db-servers.sh on `directory`.
    let script: ServerScript
    /// `127.0.0.1:PORT` of each server.
    let primary: String, replica: String, mariadb: String
    private var stopped = false

    /// Makes and starts the servers under `directory`; throws with the script's own message when it cannot.
    init(in directory: String) throws {
        self.directory = directory
        script = ServerScript("db-servers.sh", directory: directory)
        let endpoints = try script.start()
        guard let primary = endpoints["PG_PRIMARY"], let replica = endpoints["PG_REPLICA"], let mariadb = endpoints["MARIADB"] else {
            throw script.missing(endpoints)
        }
        (self.primary, self.replica, self.mariadb) = (primary, replica, mariadb)
    }

    deinit { stop() }

    /// Stops every server (immediately for PostgreSQL); safe to call again.
    func stop() {
        guard !stopped else { return }
        stopped = true
        script.stop()
    }

    /// The client side's HOME, with `.pgpass` and `.my.cnf`: the credentials the runbooks read.
    var home: String { directory + "/home" }
    /// The host's restart command the runbooks call (`DB_RESTART_COMMAND`).
    var restartCommand: String { directory + "/db-restart" }
    /// The option file the MariaDB server includes (`DB_OPTION_FILE`).
    var optionFile: String { directory + "/mariadb/pitstop.cnf" }

    /// Restarts the server at `endpoint` outside Pitstop, as an operator would.
    func restart(_ endpoint: String) throws {
        let result = try runProcess(restartCommand, [endpoint])
        guard result.status == 0 else { throw FixtureError(message: "restarting \(endpoint) failed: \(result.stderr)") }
    }

    /// Stops the server at `endpoint` alone, as an outage would.
    func halt(_ endpoint: String) throws {
        try script.run("halt", [endpoint])
    }

    /// One value from PostgreSQL at `endpoint`.
    func postgres(_ endpoint: String, _ sql: String) throws -> String {
        let port = String(endpoint.split(separator: ":").last ?? "")
        let result = try runProcess("/usr/bin/env", ["psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p", port, "-U", "postgres",
                                                     "-d", "postgres", "-c", sql], environment: ["HOME": home])
        guard result.status == 0 else { throw FixtureError(message: "psql at \(endpoint): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One value from the MariaDB server.
    func mariadb(_ sql: String) throws -> String {
        let port = String(mariadb.split(separator: ":").last ?? "")
        let result = try runProcess("/usr/bin/env", ["mariadb", "--protocol=TCP", "-h", "127.0.0.1", "-P", port, "-N", "-B", "-e", sql],
                                    environment: ["HOME": home])
        guard result.status == 0 else { throw FixtureError(message: "mariadb: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// When PostgreSQL at `endpoint` started, in seconds since 1970.
    func postgresStart(_ endpoint: String) throws -> Double {
        try Double(postgres(endpoint, "SELECT extract(epoch FROM pg_postmaster_start_time())")) ?? 0
    }

    /// Copies the example runbooks into `STORE/runbooks/` the way the README tells an owner to.
    static func installRunbooks(into store: String) throws {
        let source = repository.appendingPathComponent("examples/runbooks").path
        let target = store + "/runbooks"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        chmod(target, 0o755)
        for name in try FileManager.default.contentsOfDirectory(atPath: source) where access(source + "/" + name, X_OK) == 0 {
            try? FileManager.default.removeItem(atPath: target + "/" + name)
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: target + "/" + name)
            chmod(target + "/" + name, 0o755)
        }
    }
}

