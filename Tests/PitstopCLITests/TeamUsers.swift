import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Real users of a real group around a team store: its owner, a member, and a user outside the group, each
/// running the built binaries through `runuser` with umask 077. Needs root to make the users (CI runs as root);
/// each fixture makes its own users and group and removes them, also when its test fails.
final class TeamUsers {
    /// Fixtures made so far in this process. Suites run side by side, and `useradd` and `userdel` fail outright
    /// while another holds /etc/passwd: every fixture makes and removes its accounts under this lock, and takes
    /// its number (which makes its names unique) from it.
    private static let accounts = Mutex(0)
    let dir = ScratchDirectory("pitstop-teamstore")
    let tag: String
    var group: String { "pst-g\(tag)" }
    var owner: String { "pst-o\(tag)" }
    var member: String { "pst-m\(tag)" }
    var outsider: String { "pst-x\(tag)" }
    var store: String { dir.file("store") }
    var binaries: String { dir.file("bin") }

    init() throws {
        tag = String(getpid() % 100_000) + "n" + String(Self.accounts.withLock { count in
            count += 1
            return count
        })
        // Everyone must reach the binaries and the scratch directory; the store inside keeps its own modes.
        chmod(dir.path, 0o1777)
        try FileManager.default.createDirectory(atPath: binaries, withIntermediateDirectories: false)
        chmod(binaries, 0o755)
        for name in ["pitstop", "pitstop-supervisor"] {
            try FileManager.default.copyItem(atPath: BuiltProducts.path(name), toPath: "\(binaries)/\(name)")
            chmod("\(binaries)/\(name)", 0o755)
        }
        try Self.accounts.withLock { _ in
            try system("/usr/sbin/groupadd", [group])
            try system("/usr/sbin/useradd", ["--no-create-home", "--no-user-group", "--gid", group, "--shell", "/bin/sh", owner])
            try system("/usr/sbin/useradd", ["--no-create-home", "--no-user-group", "--gid", group, "--shell", "/bin/sh", member])
            try system("/usr/sbin/useradd", ["--no-create-home", "--no-user-group", "--gid", "users", "--shell", "/bin/sh", outsider])
        }
    }

    deinit {
        let (users, group) = ([owner, member, outsider], group)
        Self.accounts.withLock { _ in
            for user in users {
                // A process a test left running as the user (a member holding a lock) would keep the account.
                _ = try? runProcess("/usr/bin/pkill", ["-KILL", "-u", user])
                _ = try? runProcess("/usr/sbin/userdel", [user])
            }
            _ = try? runProcess("/usr/sbin/groupdel", [group])
        }
    }

    func system(_ program: String, _ arguments: [String]) throws {
        let result = try runProcess(program, arguments)
        #expect(result.status == 0, "\(program) \(arguments): \(result.stderr)")
    }

    /// `pitstop --store STORE ARGUMENTS…` as `user`, with umask 077 and a LOGNAME and USER that lie.
    @discardableResult
    func pitstop(as user: String, _ arguments: [String]) throws -> ProcessResult {
        try runProcess("/usr/sbin/runuser", [
            "-u", user, "--", "/usr/bin/env", "LOGNAME=someone-else", "USER=someone-else", "SUDO_USER=", "TZ=UTC",
            "/bin/sh", "-c", "umask 077; exec \"$@\"", "sh", "\(binaries)/pitstop", "--store", store,
        ] + arguments)
    }

    func modeAndGroup(_ path: String) -> (mode: UInt32, group: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return (0, "missing") }
        let name = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? String(info.st_gid)
        return (info.st_mode & 0o7777, name)
    }

    func makeTeamStore() throws {
        let created = try pitstop(as: owner, ["store", "init", "--group", group])
        #expect(created.status == 0, "\(created.stderr)")
        let tasks = dir.file("tasks.json")
        let object: [String: Any] = ["tasks": [[
            "id": "MT-1", "title": "patch", "service": "MySQL", "requirement": "recommended", "recommendedAt": "2026-12-01T00:00:00Z",
            "type": "os-update", "resources": [["id": "db-1", "name": "db one"], ["id": "db-2", "name": "db two"]],
        ]]]
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: tasks))
        chmod(tasks, 0o644)
        #expect(try pitstop(as: owner, ["import", tasks]).status == 0)
        #expect(try pitstop(as: owner, ["policy", "set", "minLeadTime", "0"]).status == 0)
    }

    func lastActor(as user: String) throws -> String {
        let json = try pitstop(as: user, ["events", "--json"]).stdout
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return ((object?["events"] as? [[String: Any]])?.last?["actor"] as? String) ?? ""
    }

    /// `sh -c SCRIPT` as `user`, with umask 077; `$STORE` names the store.
    @discardableResult
    func shell(as user: String, _ script: String) throws -> ProcessResult {
        try runProcess("/usr/sbin/runuser", [
            "-u", user, "--", "/usr/bin/env", "STORE=\(store)", "PITSTOP=\(binaries)/pitstop", "TZ=UTC", "/bin/sh", "-c", "umask 077; " + script,
        ])
    }

    func tasksFile(_ id: String = "MT-2", executor: [String: Any], hooks: [String: Any] = [:]) throws -> String {
        let file = dir.file("\(id).json")
        let task: [String: Any] = [
            "id": id, "title": "run a script", "service": "MySQL", "requirement": "recommended", "recommendedAt": "2026-12-01T00:00:00Z",
            "type": "config-change", "executor": executor, "resources": [["id": "db-\(id)", "name": "db of \(id)"]],
        ]
        let object: [String: Any] = ["tasks": [task.merging(hooks) { $1 }]]
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o644)
        return file
    }
}
