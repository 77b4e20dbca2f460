import Foundation
import PitstopTestSupport
import Testing

/// A member points a task's endpoint at a server of their own that asks for the password in clear text (SPEC
/// §29): the runbooks' database clients never send it. Fake servers in Python on loopback speak just enough of
/// each protocol to ask; the runbooks run with the engine's environment (`HOME` holding the credentials).
@Suite(.serialized)
struct CredentialHarvestTests {
    let dir = ScratchDirectory("pitstop-harvest")
    static let secret = "engine-secret-8c1f"

    /// A server on a free loopback port that records whatever the client sends after being asked for a
    /// password in clear text; returns its port once it listens.
    func fakeServer(_ kind: String, recording file: String) throws -> (Process, Int) {
        let program = """
            import socket, struct, sys
            kind, out, ready = sys.argv[1], sys.argv[2], sys.argv[3]
            s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
            open(ready, "w").write(str(s.getsockname()[1]))
            def exact(c, n):
                data = b""
                while len(data) < n:
                    chunk = c.recv(n - len(data))
                    if not chunk: break
                    data += chunk
                return data
            while True:
                c, _ = s.accept(); c.settimeout(10)
                try:
                    if kind == "postgres":
                        while True:
                            n = struct.unpack("!I", exact(c, 4))[0]; body = exact(c, n - 4)
                            if struct.unpack("!I", body[:4])[0] in (80877103, 80877104): c.sendall(b"N"); continue
                            break
                        c.sendall(b"R" + struct.pack("!II", 8, 3))
                        got = c.recv(4096)
                    else:
                        def packet(seq, payload): return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload
                        caps = 0xffffffff & ~0x800 & ~0x20
                        salt = b"abcdefghijklmnopqrst"
                        hs = (b"\\x0a5.5.5-10.11.0-MariaDB\\0" + struct.pack("<I", 7) + salt[:8] + b"\\0" + struct.pack("<H", caps & 0xffff)
                              + b"\\x21" + struct.pack("<H", 2) + struct.pack("<H", caps >> 16) + b"\\x15" + b"\\0" * 10 + salt[8:] + b"\\0"
                              + b"mysql_native_password\\0")
                        c.sendall(packet(0, hs))
                        header = exact(c, 4); exact(c, int.from_bytes(header[:3], "little"))
                        c.sendall(packet(header[3] + 1, b"\\xfemysql_clear_password\\0"))
                        got = c.recv(4096)
                    open(out, "ab").write(got)
                except Exception:
                    pass
                c.close()
            """
        let ready = dir.file("\(kind).port")
        let server = try startInBackground("/usr/bin/python3", ["-c", program, kind, file, ready])
        var port = 0
        #expect(waitUntil(10) { port = Int((try? String(contentsOfFile: ready, encoding: .utf8)) ?? "") ?? 0; return port > 0 })
        return (server, port)
    }

    /// Runs runbook `name` as the engine would, against `endpoint`.
    func runbook(_ name: String, endpoint: String, home: String, parameters: [String: String] = [:]) throws -> ProcessResult {
        var environment = [
            "HOME": home, "PITSTOP_RESOURCE_ENDPOINT": endpoint, "PITSTOP_RESOURCE_ROLE": "standalone", "PGCONNECT_TIMEOUT": "5", "DB_RESTART_COMMAND": "/bin/false",
        ]
        for (key, value) in parameters { environment["PITSTOP_PARAM_" + key.uppercased()] = value }
        return try runProcess(DatabaseServers.repository.appendingPathComponent("examples/runbooks/\(name)").path, [], environment: environment)
    }

    func home(pgpass: String) throws -> String {
        let home = dir.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try pgpass.write(toFile: home + "/.pgpass", atomically: true, encoding: .utf8)
        try "[client]\nuser=pitstop\npassword=\(Self.secret)\n".write(toFile: home + "/.my.cnf", atomically: true, encoding: .utf8)
        chmod(home + "/.pgpass", 0o600)
        chmod(home + "/.my.cnf", 0o600)
        return home
    }

    func received(_ file: String) -> String { (try? String(contentsOfFile: file, encoding: .isoLatin1)) ?? "" }

    @Test func theMariaDBClientNeverSendsThePasswordInClearText() throws {
        let recorded = dir.file("mariadb-got")
        let (server, port) = try fakeServer("mariadb", recording: recorded)
        defer { server.terminate() }
        let home = try home(pgpass: "")
        let configChange = try runbook("mysql-config-change", endpoint: "127.0.0.1:\(port)", home: home, parameters: ["setting": "max_connections", "value": "5"])
        #expect(configChange.status != 0)
        let restart = try runbook("mysql-restart", endpoint: "127.0.0.1:\(port)", home: home)
        #expect(restart.status != 0)
        #expect(!received(recorded).contains(Self.secret), "the fake server got the password: \(received(recorded).debugDescription)")
        #expect(configChange.stdout.contains("mysql_clear_password") || configChange.stderr.contains("mysql_clear_password"), "\(configChange.stdout)\(configChange.stderr)")
    }

    @Test func libpqNeverSendsThePasswordToAnEndpointItIsNotKeptFor() throws {
        let recorded = dir.file("postgres-got")
        let (server, port) = try fakeServer("postgres", recording: recorded)
        defer { server.terminate() }
        // A line for any port: refused before any connection is made (this libpq cannot refuse clear text).
        let wildcard = try home(pgpass: "127.0.0.1:*:*:postgres:\(Self.secret)\n")
        for name in ["pg-config-change", "pg-healthcheck", "pg-lag-check", "pg-restart"] {
            let result = try runbook(name, endpoint: "127.0.0.1:\(port)", home: wildcard, parameters: ["setting": "work_mem", "value": "8MB"])
            let psqlMajor = Int((try runProcess("/usr/bin/psql", ["--version"])).stdout.split(separator: " ").last?.split(separator: ".").first ?? "") ?? 0
            if psqlMajor < 16 {
                #expect(result.status == 10 && result.stdout.contains("has a line for any host or port"), "\(name): \(result.stdout)")
            }
        }
        // Each server its own line: the fake endpoint matches none, so no password is sent.
        let exact = try home(pgpass: "127.0.0.1:5432:*:postgres:\(Self.secret)\n")
        let result = try runbook("pg-healthcheck", endpoint: "127.0.0.1:\(port)", home: exact)
        #expect(result.status != 0)
        #expect(!received(recorded).contains(Self.secret), "the fake server got the password: \(received(recorded).debugDescription)")
    }
}
