import Foundation
import PitstopTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Debian 12 hosts for the real-upgrade suite (SPEC §15), made by `scripts/e2e/host.sh` from the image
/// `scripts/e2e/image.sh` builds once and caches outside the checkout: each with its own root file system
/// (an overlay), its own loopback address, its own sshd and host key and its database server. Pitstop reaches
/// them only over SSH through `sshConfig`; the tests' own checks go in through the host's namespaces (`run`),
/// never through Pitstop. Every host is stopped when the value is released or `stop()` is called.
final class TestHosts {
    static let scripts = DatabaseServers.repository.appendingPathComponent("scripts/e2e").path

    /// What the image holds: the two versions of each database package the machine's apt sources offer.
    struct Image {
        var pgOld: String, pgNew: String, mariadbOld: String, mariadbNew: String
        /// The upstream part of a Debian version: `15.20` of `15.20-0+deb12u1`, `10.11.19` of `1:10.11.19-0+deb12u1`.
        static func upstream(_ version: String) -> String {
            String(version.split(separator: ":").last.map { $0.split(separator: "-")[0] } ?? Substring(version))
        }
    }

    let directory: String
    let image: Image
    private var names: [String] = []
    private var stopped = false

    /// The ssh_config (and beside it known_hosts and the client key) that names every started host.
    var sshConfig: String { directory + "/ssh_config" }

    /// Builds the image when it is not cached yet (a minute or two, once per set of versions).
    init(in directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let built = try Self.script("image.sh", [])
        guard built.status == 0 else { throw FixtureError(message: "scripts/e2e/image.sh failed: \(built.stderr)") }
        var values: [String: String] = [:]
        for line in built.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let pgOld = values["PG_OLD"], let pgNew = values["PG_NEW"], let mariadbOld = values["MARIADB_OLD"],
              let mariadbNew = values["MARIADB_NEW"] else {
            throw FixtureError(message: "scripts/e2e/image.sh printed no versions: \(built.stdout)")
        }
        image = Image(pgOld: pgOld, pgNew: pgNew, mariadbOld: mariadbOld, mariadbNew: mariadbNew)
    }

    deinit { stop() }

    /// Runs `scripts/e2e/NAME ARGUMENTS…` to its end (see `runToExit` for why not through `Process`).
    private static func script(_ name: String, _ arguments: [String]) throws -> ProcessResult {
        try runToExit(scripts + "/" + name, arguments)
    }

    private func script(_ name: String, _ arguments: [String]) throws -> ProcessResult { try Self.script(name, arguments) }

    /// Starts host `name` at `address` (127.0.N.M) running `service` (postgresql, mariadb or none).
    func start(_ name: String, address: String, service: String) throws {
        let result = try script("host.sh", ["start", directory, name, address, service])
        guard result.status == 0 else { throw FixtureError(message: "host \(name) did not start: \(result.stderr)") }
        names.append(name)
    }

    /// Makes `replica`'s PostgreSQL a streaming replica of `primary`'s.
    func replicate(_ replica: String, from primary: String) throws {
        let result = try script("host.sh", ["replicate", directory, replica, primary])
        guard result.status == 0 else { throw FixtureError(message: "replicating \(replica) from \(primary): \(result.stderr)") }
    }

    /// Stops or starts only the sshd of `name`.
    func sshd(_ name: String, running: Bool) throws {
        let result = try script("host.sh", ["sshd", directory, name, running ? "start" : "stop"])
        guard result.status == 0 else { throw FixtureError(message: "sshd on \(name): \(result.stderr)") }
    }

    /// Runs `command` as root inside host `name` and returns its output, trimmed.
    @discardableResult
    func run(_ name: String, _ command: [String]) throws -> String {
        let result = try script("host.sh", ["run", directory, name] + command)
        guard result.status == 0 else { throw FixtureError(message: "on \(name), \(command.joined(separator: " ")): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One value from PostgreSQL on host `name`, asked over its own socket.
    func postgres(_ name: String, _ sql: String) throws -> String {
        try run(name, ["runuser", "-u", "postgres", "--", "psql", "-X", "-A", "-t", "-c", sql])
    }

    /// One value from MariaDB on host `name`, asked over its own socket.
    func mariadb(_ name: String, _ sql: String) throws -> String {
        try run(name, ["mariadb", "-N", "-B", "-e", sql])
    }

    /// The installed version of `package` on host `name`.
    func installed(_ name: String, _ package: String) throws -> String {
        try run(name, ["dpkg-query", "-W", "-f", "${Version}", package])
    }

    /// What `dpkg -l` and the running servers say of host `name`: equal before and after means unchanged.
    func fingerprint(_ name: String) throws -> String {
        let packages = try run(name, ["sh", "-c", "dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\\n'; apt-mark showhold"])
        let servers = try run(name, ["sh", "-c", "ps -eo pid,lstart,comm | grep -E 'postgres|mariadbd' | grep -v grep | sort"])
        return packages + "\n" + servers
    }

    /// Stops every host started here; safe to call again.
    func stop() {
        guard !stopped else { return }
        stopped = true
        for name in names { _ = try? script("host.sh", ["stop", directory, name]) }
    }
}
