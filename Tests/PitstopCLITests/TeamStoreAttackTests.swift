import Foundation
import PitstopTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The attacks of a member with write access to a team store's files (SPEC §29), each performed as the member
/// by a real user of a real group, against the owner's real engine (`pitstop daemon --once`): none of them makes
/// the engine run anything the owner did not bring in, and the engine says why; the owner's own commands run.
@Suite(.serialized, .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd"),
                              "making users needs root and useradd"))
final class TeamStoreAttackTests {
    let team: TeamUsers
    init() throws { team = try TeamUsers() }

    /// A file the forged command would write if it ran, readable by everyone.
    var marker: String { team.dir.file("owned-by-the-member") }

    func events() throws -> String { try team.pitstop(as: team.owner, ["events"]).stdout }

    /// As the member: copy the team store into a private directory, run `commands` there (`$PITSTOP` on the
    /// copy), then append what the copy's journal gained to the team's journal — records the member's own
    /// pitstop wrote and sealed with the copy's key, not the team's.
    func forge(_ commands: String) throws {
        let copy = team.dir.file("member-copy")
        let forged = try team.shell(as: team.member, """
            set -e
            mkdir -m 700 \(copy)
            cp "$STORE/snapshot" "$STORE/journal" \(copy)/
            before=$(stat -c %s \(copy)/journal)
            P() { "$PITSTOP" --store \(copy) "$@"; }
            \(commands)
            tail -c +$((before + 1)) \(copy)/journal >> "$STORE/journal"
            """)
        #expect(forged.status == 0, "the member's forgery: \(forged.stderr)")
    }

    @Test func recordsAMemberAppendsToTheJournalNeverMakeTheOwnersEngineRunTheirCommand() throws {
        try team.makeTeamStore()
        let file = try team.tasksFile("MT-9", executor: ["kind": "command", "argv": ["/bin/sh", "-c", "id -un > \(marker)"]], hooks: ["retries": 0])
        try forge("P import \(file) && P reserve MT-9 --all-pending --at now")
        let imported = try team.pitstop(as: team.owner, ["task", "MT-9"])
        #expect(imported.status == 0 && imported.stdout.contains("MT-9"), "the forged records are in the store: \(imported.stderr)")

        let daemon = try team.pitstop(as: team.owner, ["daemon", "--once"])
        #expect(daemon.status == 0, "\(daemon.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker), "the member's command ran as \((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "?")")
        let log = try events()
        #expect(log.contains("the command of MT-9 was not run: its seal does not match what it runs"), "\(log)")
        let check = try team.pitstop(as: team.owner, ["store", "check"])
        #expect(check.status != 0 && check.stdout.contains("untrusted: task MT-9's command will not be run by the engine"), "\(check.stdout)\(check.stderr)")
    }

    @Test func aCommandWithoutAnySealIsRefusedAndTheNotificationCommandToo() throws {
        try team.makeTeamStore()
        let file = try team.tasksFile("MT-8", executor: ["kind": "command", "argv": ["/bin/sh", "-c", "id -un > \(marker)"]], hooks: ["retries": 0])
        let notify = team.dir.file("notified-by-the-member")
        // The copy's key cannot be made (a link in its place), so the member's pitstop writes no seal at all.
        try forge("""
            ln -s /nonexistent \(team.dir.file("member-copy"))/owner.key
            P import \(file) && P reserve MT-8 --all-pending --at now
            P policy set notifyCommand '["/bin/sh", "-c", "id -un > \(notify)"]'
            """)
        let daemon = try team.pitstop(as: team.owner, ["daemon", "--once"])
        #expect(daemon.status == 0, "\(daemon.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(!FileManager.default.fileExists(atPath: notify), "the member's notifyCommand ran")
        let log = try events()
        #expect(log.contains("the command of MT-8 was not run: it carries no seal of the store's owner"), "\(log)")
        #expect(log.contains("notifyCommand was not run"), "\(log)")

        // The owner, having read them, vouches for them (what an upgrade from an unsealed store needs too);
        // a member cannot.
        let byMember = try team.pitstop(as: team.member, ["store", "seal", "--all"])
        #expect(byMember.status != 0 && byMember.stderr.contains("only the owner of the store"), "\(byMember.stderr)")
        let sealed = try team.pitstop(as: team.owner, ["store", "seal", "--all"])
        #expect(sealed.status == 0 && sealed.stdout.contains("the store's owner sealed the commands of MT-8: executor: /bin/sh -c id -un >")
                && sealed.stdout.contains("sealed notifyCommand"), "\(sealed.stdout)\(sealed.stderr)")
        #expect(try team.pitstop(as: team.owner, ["store", "check"]).status == 0)
        #expect(try team.pitstop(as: team.owner, ["store", "seal", "--all"]).stdout.contains("nothing was changed"))
        #expect(try team.pitstop(as: team.owner, ["retry", "MT-8", "db-MT-8", "--at", "now"]).status == 0)
        #expect(try team.pitstop(as: team.owner, ["daemon", "--once"]).status == 0)
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == team.owner + "\n", "the sealed command ran, as the owner")
    }

    @Test func theOwnersOwnCommandAndNotificationCommandStillRun() throws {
        try team.makeTeamStore()
        let ran = team.dir.file("ran-as")
        let notified = team.dir.file("notified")
        let file = try team.tasksFile("MT-7", executor: ["kind": "command", "argv": ["/bin/sh", "-c", "id -un > \(ran); exit 3"]])
        #expect(try team.pitstop(as: team.owner, ["import", file]).status == 0)
        let notify = try team.pitstop(as: team.owner, ["policy", "set", "notifyCommand", "[\"/bin/sh\", \"-c\", \"cat >> \(notified)\"]"])
        #expect(notify.status == 0, "\(notify.stderr)")
        // A member's change of another value keeps the owner's seal of the notification command.
        #expect(try team.pitstop(as: team.member, ["policy", "set", "maxConcurrency", "3"]).status == 0)
        #expect(try team.pitstop(as: team.member, ["reserve", "MT-7", "--all-pending", "--at", "now"]).status == 0)
        let daemon = try team.pitstop(as: team.owner, ["daemon", "--once"])
        #expect(daemon.status == 0, "\(daemon.stderr)")
        let who = try String(contentsOfFile: ran, encoding: .utf8)
        #expect(who.trimmingCharacters(in: .whitespacesAndNewlines) == team.owner)
        #expect(waitUntil(30) { FileManager.default.fileExists(atPath: notified) }, "the owner's notification command ran")
        #expect(!(try events()).contains("was not run"))
        let check = try team.pitstop(as: team.member, ["store", "check"])
        #expect(check.status == 0 && !check.stdout.contains("untrusted"), "\(check.stdout)\(check.stderr)")
    }

    @Test func aMemberCannotRenameTheOwnersRunbooksOrKeyAndTheirTaskRunsTheOwnersRunbook() throws {
        try team.makeTeamStore()
        let ran = team.dir.file("runbook-ran-as")
        let installed = try team.shell(as: team.owner, """
            install -d -m 0755 "$STORE/runbooks" && printf '#!/bin/sh\\nid -un > \(ran)\\n' > "$STORE/runbooks/restart" && chmod 755 "$STORE/runbooks/restart"
            """)
        #expect(installed.status == 0, "\(installed.stderr)")
        // The swap of the issue: the directory renamed away and the member's own put in its place.
        let swap = try team.shell(as: team.member, "mv \"$STORE/runbooks\" \"$STORE/runbooks.old\"")
        #expect(swap.status != 0 && swap.stderr.contains("Operation not permitted"), "\(swap.stderr)")
        let removal = try team.shell(as: team.member, "rm -f \"$STORE/owner.key\"; mv \"$STORE/owner.key\" \"$STORE/x\"")
        #expect(removal.status != 0 && FileManager.default.fileExists(atPath: team.store + "/owner.key"), "\(removal.stderr)")
        let file = try team.tasksFile("MT-6", executor: ["kind": "runbook", "name": "restart"], hooks: ["retries": 0])
        #expect(try team.pitstop(as: team.member, ["import", file]).status == 0)
        #expect(try team.pitstop(as: team.member, ["reserve", "MT-6", "--all-pending", "--at", "now"]).status == 0)
        let daemon = try team.pitstop(as: team.owner, ["daemon", "--once"])
        #expect(daemon.status == 0, "\(daemon.stderr)")
        #expect(try String(contentsOfFile: ran, encoding: .utf8) == team.owner + "\n")
    }

    @Test func aMemberCanNeitherRunTheEngineNorHoldItsLockAgainstTheOwner() throws {
        try team.makeTeamStore()
        let refused = try team.pitstop(as: team.member, ["daemon", "--once"])
        #expect(refused.status != 0 && refused.stderr.contains("has its engine run by its owner, \(team.owner)"), "\(refused.stderr)")
        // The lock as an older Pitstop left it, group-readable, held by a member for as long as they like.
        let lock = team.store + "/engine.lock"
        _ = FileManager.default.createFile(atPath: lock, contents: nil)
        let passwd = try #require(getpwnam(team.owner))
        chown(lock, passwd.pointee.pw_uid, passwd.pointee.pw_gid)
        chmod(lock, 0o660)
        let holder = try startInBackground("/usr/sbin/runuser", ["-u", team.member, "--", "/usr/bin/flock", "-x", lock, "/bin/sleep", "60"])
        defer { holder.terminate() }
        #expect(waitUntil(10) { (try? runProcess("/usr/bin/flock", ["-n", lock, "/bin/true"]))?.status == 1 }, "the member holds the old lock")
        let daemon = try team.pitstop(as: team.owner, ["daemon", "--once"])
        #expect(daemon.status == 0, "the owner's engine takes its lock back: \(daemon.stderr)")
        var info = stat()
        #expect(stat(lock, &info) == 0 && info.st_mode & 0o777 == 0o600 && info.st_uid == passwd.pointee.pw_uid)
        let again = try team.shell(as: team.member, "flock -n -x \"$STORE/engine.lock\" true")
        #expect(again.status != 0, "a member cannot open the owner's lock now")
    }
}
