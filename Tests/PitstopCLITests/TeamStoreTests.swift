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
    let team: TeamUsers
    init() throws { team = try TeamUsers() }
    var dir: ScratchDirectory { team.dir }
    var store: String { team.store }
    var group: String { team.group }
    var owner: String { team.owner }
    var member: String { team.member }
    var outsider: String { team.outsider }
    func makeTeamStore() throws { try team.makeTeamStore() }
    func modeAndGroup(_ path: String) -> (mode: UInt32, group: String) { team.modeAndGroup(path) }
    func lastActor(as user: String) throws -> String { try team.lastActor(as: user) }
    @discardableResult
    func pitstop(as user: String, _ arguments: [String]) throws -> ProcessResult { try team.pitstop(as: user, arguments) }

    @Test func storeInitWithAGroupMakesEveryFileGroupWritableUnderAStrictUmask() throws {
        try makeTeamStore()
        #expect(modeAndGroup(store).mode == 0o3770 && modeAndGroup(store).group == group, "sticky, so that members cannot rename the owner's files")
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

    @Test func onlyTheOwnerCompactsAndItsFilesStayUsableByTheMembers() throws {
        try makeTeamStore()
        // A compaction renames over the owner's files, which the sticky directory keeps from members.
        let refused = try pitstop(as: member, ["store", "compact"])
        #expect(refused.status != 0 && refused.stderr.contains("only its owner compacts a team store"), "\(refused.stderr)")
        #expect(try pitstop(as: member, ["reserve", "MT-1", "db-1", "--at", "now+1h"]).status == 0)
        let compacted = try pitstop(as: owner, ["store", "compact"])
        #expect(compacted.status == 0, "\(compacted.stderr)")
        for file in ["snapshot", "journal", "snapshot.bak", "journal.bak"] {
            let (mode, owningGroup) = modeAndGroup("\(store)/\(file)")
            #expect(mode == 0o660 && owningGroup == group, "\(file): \(String(mode, radix: 8)) \(owningGroup)")
        }
        let reserved = try pitstop(as: member, ["reserve", "MT-1", "db-2", "--at", "now+2h"])
        #expect(reserved.status == 0, "\(reserved.stderr)")
        #expect(try lastActor(as: owner).hasPrefix("\(member)@"))
    }

    @Test func aTeamStoreMadeBeforeItsDirectoryWasStickyBecomesStickyAtItsOwnersNextWrite() throws {
        try makeTeamStore()
        chmod(store, 0o2770)
        #expect(try pitstop(as: member, ["reserve", "MT-1", "db-1", "--at", "now+1h"]).status == 0)
        #expect(modeAndGroup(store).mode == 0o2770, "a member cannot change the owner's directory")
        #expect(try pitstop(as: owner, ["reserve", "MT-1", "db-2", "--at", "now+1h"]).status == 0)
        #expect(modeAndGroup(store).mode == 0o3770)
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
        chmod(store, 0o3777)
        let refused = try pitstop(as: member, ["reserve", "MT-1", "db-1", "--at", "now+1h"])
        #expect(refused.status != 0 && refused.stderr.contains("chmod o-rwx \(store)"), "\(refused.stderr)")
        chmod(store, 0o3770)
        #expect(try pitstop(as: member, ["reserve", "MT-1", "db-1", "--at", "now+1h"]).status == 0)
    }

    @Test func aPrivateStoreStaysItsOwnersAlone() throws {
        #expect(try pitstop(as: owner, ["store", "init"]).status == 0)
        #expect(modeAndGroup(store).mode == 0o700)
        let refused = try pitstop(as: member, ["policy", "set", "maxConcurrency", "3"])
        #expect(refused.status != 0, "\(refused.stderr)")
    }

    func tasksFile(_ id: String = "MT-2", executor: [String: Any], hooks: [String: Any] = [:]) throws -> String {
        try team.tasksFile(id, executor: executor, hooks: hooks)
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
