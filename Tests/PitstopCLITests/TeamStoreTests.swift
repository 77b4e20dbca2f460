import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A team store used by real users of a real group: its owner, a member, and a user outside the group, each
/// running the built binaries through `runuser` with umask 077. Needs root to make the users (CI runs as
/// root); every test makes its own users and group and removes them, also when it fails.
@Suite(.serialized, .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd"),
                              "making users needs root and useradd"))
final class TeamStoreTests {
    let dir = ScratchDirectory("pitstop-teamstore")
    let tag = String(getpid() % 100_000) + String(Int.random(in: 10...99))
    var group: String { "pst-g\(tag)" }
    var owner: String { "pst-o\(tag)" }
    var member: String { "pst-m\(tag)" }
    var outsider: String { "pst-x\(tag)" }
    var store: String { dir.file("store") }
    var binaries: String { dir.file("bin") }

    init() throws {
        // Everyone must reach the binaries and the scratch directory; the store inside keeps its own modes.
        chmod(dir.path, 0o1777)
        try FileManager.default.createDirectory(atPath: binaries, withIntermediateDirectories: false)
        chmod(binaries, 0o755)
        for name in ["pitstop", "pitstop-supervisor"] {
            try FileManager.default.copyItem(atPath: BuiltProducts.path(name), toPath: "\(binaries)/\(name)")
            chmod("\(binaries)/\(name)", 0o755)
        }
        try system("/usr/sbin/groupadd", [group])
        try system("/usr/sbin/useradd", ["--no-create-home", "--no-user-group", "--gid", group, "--shell", "/bin/sh", owner])
        try system("/usr/sbin/useradd", ["--no-create-home", "--no-user-group", "--gid", group, "--shell", "/bin/sh", member])
        try system("/usr/sbin/useradd", ["--no-create-home", "--no-user-group", "--gid", "users", "--shell", "/bin/sh", outsider])
    }

    deinit {
        for user in [owner, member, outsider] { _ = try? runProcess("/usr/sbin/userdel", [user]) }
        _ = try? runProcess("/usr/sbin/groupdel", [group])
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

    @Test func storeInitWithAGroupMakesEveryFileGroupWritableUnderAStrictUmask() throws {
        try makeTeamStore()
        #expect(modeAndGroup(store).mode == 0o2770 && modeAndGroup(store).group == group)
        for file in ["snapshot", "journal", "lock"] {
            let (mode, owningGroup) = modeAndGroup("\(store)/\(file)")
            #expect(mode == 0o660 && owningGroup == group, "\(file): \(String(mode, radix: 8)) \(owningGroup)")
        }
    }

    @Test func aMemberReservesAndTheEventNamesTheMemberWhateverLognameSays() throws {
        try makeTeamStore()
        let reserved = try pitstop(as: member, ["reserve", "MT-1", "db-1", "--at", "now+1h"])
        #expect(reserved.status == 0, "\(reserved.stderr)")
        let actor = try lastActor(as: owner)
        #expect(actor.hasPrefix("\(member)@") && actor.hasSuffix(" (cli)") && !actor.contains("someone-else"), "\(actor)")
    }

    @Test func filesAMemberCreatesStayUsableByTheOwner() throws {
        try makeTeamStore()
        // Compaction writes a new snapshot and journal, owned by the member who ran it.
        let compacted = try pitstop(as: member, ["store", "compact"])
        #expect(compacted.status == 0, "\(compacted.stderr)")
        for file in ["snapshot", "journal", "snapshot.bak", "journal.bak"] {
            let (mode, owningGroup) = modeAndGroup("\(store)/\(file)")
            #expect(mode == 0o660 && owningGroup == group, "\(file): \(String(mode, radix: 8)) \(owningGroup)")
        }
        let reserved = try pitstop(as: owner, ["reserve", "MT-1", "db-2", "--at", "now+2h"])
        #expect(reserved.status == 0, "\(reserved.stderr)")
        #expect(try lastActor(as: member).hasPrefix("\(owner)@"))
    }

    @Test func aUserOutsideTheGroupCanNeitherReadNorWrite() throws {
        try makeTeamStore()
        let before = try pitstop(as: owner, ["events", "--json"]).stdout
        let read = try pitstop(as: outsider, ["tasks"])
        #expect(read.status != 0 && read.stderr.contains(store), "\(read.stderr)")
        let write = try pitstop(as: outsider, ["reserve", "MT-1", "db-1", "--at", "now+1h"])
        #expect(write.status != 0 && write.stderr.contains(store), "\(write.stderr)")
        #expect(try pitstop(as: owner, ["events", "--json"]).stdout == before, "the store is unchanged")
    }

    @Test func aTeamStoreOthersCanWriteIsRefusedWithTheFix() throws {
        try makeTeamStore()
        chmod(store, 0o2777)
        let refused = try pitstop(as: member, ["reserve", "MT-1", "db-1", "--at", "now+1h"])
        #expect(refused.status != 0 && refused.stderr.contains("chmod o-rwx \(store)"), "\(refused.stderr)")
        chmod(store, 0o2770)
        #expect(try pitstop(as: member, ["reserve", "MT-1", "db-1", "--at", "now+1h"]).status == 0)
    }

    @Test func aPrivateStoreStaysItsOwnersAlone() throws {
        #expect(try pitstop(as: owner, ["store", "init"]).status == 0)
        #expect(modeAndGroup(store).mode == 0o700)
        let refused = try pitstop(as: member, ["policy", "set", "maxConcurrency", "3"])
        #expect(refused.status != 0, "\(refused.stderr)")
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

    @Test func aMembersImportOfARawCommandIsRefusedAndTheStoreUnchanged() throws {
        try makeTeamStore()
        let before = try pitstop(as: owner, ["events", "--json"]).stdout
        let file = try tasksFile(executor: ["kind": "command", "argv": ["/bin/sh", "-c", "id > /tmp/owned"]])
        let refused = try pitstop(as: member, ["import", file])
        #expect(refused.status != 0, "\(refused.stdout)")
        #expect(refused.stderr.contains("only the owner of the store") && refused.stderr.contains("(\(owner))")
                && refused.stderr.contains("task MT-2 runs a command"), "\(refused.stderr)")
        #expect(try pitstop(as: owner, ["events", "--json"]).stdout == before, "the store is unchanged")
        // A runbook the owner installed, or a simulated executor, is open to members; the owner may import the command.
        let runbook = try pitstop(as: member, ["import", try tasksFile("MT-4", executor: ["kind": "runbook", "name": "restart-replica"])])
        #expect(runbook.status == 0, "\(runbook.stderr)")
        let exported = try pitstop(as: member, ["export"]).stdout
        #expect(exported.contains("\"kind\" : \"runbook\"") && exported.contains("\"name\" : \"restart-replica\""), "\(exported)")
        #expect(try pitstop(as: member, ["import", try tasksFile(executor: ["kind": "simulated"])]).status == 0)
        // Hooks likewise: by name open to members, as an argv the owner's alone.
        let runbookHook = ["kind": "runbook", "name": "pg-lag-check"]
        let named = try pitstop(as: member, ["import", try tasksFile("MT-5", executor: ["kind": "simulated"], hooks: ["precheck": runbookHook])])
        #expect(named.status == 0, "\(named.stderr)")
        let rawHook = try pitstop(as: member, ["import", try tasksFile("MT-6", executor: ["kind": "simulated"], hooks: ["healthcheck": ["/bin/true"]])])
        #expect(rawHook.status != 0 && rawHook.stderr.contains("task MT-6 has a hook with an argv"), "\(rawHook.stderr)")
        let accepted = try pitstop(as: owner, ["import", try tasksFile("MT-3", executor: ["kind": "command", "argv": ["/bin/true"]])])
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }

    @Test func onlyTheOwnerMaySetTheNotificationCommand() throws {
        try makeTeamStore()
        let refused = try pitstop(as: member, ["policy", "set", "notifyCommand", "[\"/bin/sh\", \"-c\", \"id\"]"])
        #expect(refused.status != 0 && refused.stderr.contains("notifyCommand"), "\(refused.stderr)")
        #expect(try pitstop(as: member, ["policy", "set", "maxConcurrency", "4"]).status == 0, "other policy values are open to members")
        let accepted = try pitstop(as: owner, ["policy", "set", "notifyCommand", "[\"/bin/true\"]"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }
}
