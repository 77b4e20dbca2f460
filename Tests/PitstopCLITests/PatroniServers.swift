import Foundation
import PitstopTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real Patroni cluster (one etcd, three PostgreSQL members pg1, pg2, pg3) started by
/// `scripts/patroni-cluster.sh` in a directory of its own on free loopback ports, stopped when the value is
/// released or `stop()` is called, whether or not the test passed.
final class PatroniServers {
    static let writerScript = DatabaseServers.repository.appendingPathComponent("scripts/patroni-writer.py").path

    let directory: String
    /// scripts/patroni-cluster.sh on `directory`.
    let script: ServerScript
    let scope: String
    /// Each member's REST API and PostgreSQL endpoint, by name.
    let api: [String: String]
    let postgres: [String: String]
    private var stopped = false

    init(in directory: String) throws {
        self.directory = directory
        script = ServerScript("patroni-cluster.sh", directory: directory)
        let values = try script.start()
        var api: [String: String] = [:], postgres: [String: String] = [:]
        for n in 1...3 {
            api["pg\(n)"] = values["PATRONI_\(n)"]
            postgres["pg\(n)"] = values["PG_\(n)"]
        }
        guard api.count == 3, postgres.count == 3, let scope = values["SCOPE"] else { throw script.missing(values) }
        (self.api, self.postgres, self.scope) = (api, postgres, scope)
    }

    deinit { stop() }

    func stop() {
        guard !stopped else { return }
        stopped = true
        script.stop()
    }

    var home: String { directory + "/home" }

    /// One value from PostgreSQL of a member.
    func sql(_ member: String, _ statement: String) throws -> String {
        let port = String(postgres[member]?.split(separator: ":").last ?? "")
        let result = try runProcess("/usr/bin/env", ["psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "postgres",
                                                     "-c", statement], environment: ["HOME": home])
        guard result.status == 0 else { throw FixtureError(message: "psql on \(member): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A REST call to a member's Patroni, its JSON answer.
    @discardableResult
    func rest(_ member: String, _ method: String, _ path: String, body: String? = nil) throws -> [String: Any] {
        var arguments = ["-fsS", "--max-time", "60", "-X", method, (api[member] ?? "") + path]
        if let body { arguments += ["-H", "Content-Type: application/json", "-d", body] }
        let result = try runProcess("/usr/bin/curl", arguments)
        guard result.status == 0 else { throw FixtureError(message: "\(method) \(path) on \(member): \(result.stderr)") }
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? ["text": result.stdout]
    }

    /// `GET /cluster` as `name → member`, and whether it is paused.
    func cluster(asking member: String = "pg1") throws -> (members: [String: [String: Any]], paused: Bool) {
        for asked in [member] + api.keys.sorted() {
            guard let object = try? rest(asked, "GET", "/cluster") else { continue }
            let members = object["members"] as? [[String: Any]] ?? []
            return (Dictionary(uniqueKeysWithValues: members.map { ($0["name"] as? String ?? "?", $0) }), object["pause"] as? Bool ?? false)
        }
        throw FixtureError(message: "no member answers GET /cluster")
    }

    /// The running leader's name.
    func leader() throws -> String? {
        try cluster().members.first { ["leader", "master", "primary"].contains($0.value["role"] as? String ?? "") && $0.value["state"] as? String == "running" }?.key
    }

    /// The cluster's timeline, as the leader reports it.
    func timeline() throws -> Int {
        guard let leader = try leader() else { throw FixtureError(message: "no leader") }
        return try cluster().members[leader]?["timeline"] as? Int ?? 0
    }

    /// When each member's PostgreSQL started (epoch seconds).
    func startTimes() throws -> [String: Double] {
        try Dictionary(uniqueKeysWithValues: api.keys.map { ($0, Double(try sql($0, "SELECT extract(epoch FROM pg_postmaster_start_time())")) ?? 0) })
    }

    /// Makes a member replay WAL late (`1h`), or catch up (`0`).
    func delayReplay(_ member: String, _ delay: String) throws {
        try script.run("delay", [member, delay])
        // Patroni applies a reload on its next loop: wait until the server runs with the delay.
        guard try waitUntil(30, every: 0.5, { try sql(member, "SHOW recovery_min_apply_delay") == delay }) else {
            throw FixtureError(message: "\(member) did not take recovery_min_apply_delay = \(delay) within 30 s")
        }
    }

    /// Commits a marker row, then about `kilobytes` of rows, on the leader: WAL for replicas to replay. A
    /// replica with `recovery_min_apply_delay` stops at the marker's commit, so the rows are received but not
    /// replayed (the delay holds back commit records only: one big transaction alone is replayed up to its
    /// commit, and its lag looks like none).
    func churn(_ kilobytes: Int) throws {
        guard let leader = try leader() else { throw FixtureError(message: "no leader") }
        _ = try sql(leader, "CREATE TABLE IF NOT EXISTS churn (x text)")
        _ = try sql(leader, "INSERT INTO churn VALUES ('marker')")
        _ = try sql(leader, "INSERT INTO churn SELECT repeat('x', 1000) FROM generate_series(1, \(kilobytes))")
    }

    /// libpq's connection string over every member (the writer finds the leader with it).
    var everyMember: String {
        let names = api.keys.sorted()
        return "host=\(names.map { _ in "127.0.0.1" }.joined(separator: ",")) port=\(names.map { String(postgres[$0]!.split(separator: ":").last!) }.joined(separator: ",")) user=postgres dbname=postgres"
    }
}

/// The writer of `scripts/patroni-writer.py`, inserting throughout a test; `finish()` stops it and reads
/// what it saw.
final class PatroniWriter {
    let process: Process
    let ackedPath: String
    private let output = Pipe()

    init(_ servers: PatroniServers, in directory: ScratchDirectory) throws {
        ackedPath = directory.file("acked.txt")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [PatroniServers.writerScript, servers.everyMember, ackedPath]
        process.environment = ProcessInfo.processInfo.environment.merging(["HOME": servers.home]) { $1 }
        process.standardOutput = output
        try process.run()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }

    /// Stops the writer: rows acknowledged (their ids), failed inserts and the longest gap between two
    /// acknowledged inserts.
    func finish() throws -> (acked: [Int], failed: Int, maxGap: Double) {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let summary = (try? JSONSerialization.jsonObject(with: output.fileHandleForReading.readDataToEndOfFile())) as? [String: Any] ?? [:]
        let acked = try String(contentsOfFile: ackedPath, encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        return (acked, summary["failed"] as? Int ?? -1, summary["maxGapSeconds"] as? Double ?? -1)
    }
}
