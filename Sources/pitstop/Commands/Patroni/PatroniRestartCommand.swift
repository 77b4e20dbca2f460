import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine

/// Restarts one member's PostgreSQL through Patroni (`POST /restart`), never behind its back, and verifies a
/// new start time and the member running again in the role it had.
struct PatroniRestartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart", abstract: "Restart a member's PostgreSQL through Patroni and verify it came back in its role.")

    @OptionGroup var target: PatroniTargetOptions

    @Flag(name: .long, help: "Only if a setting needs a restart (default: PITSTOP_PARAM_RESTART_PENDING_ONLY=true).")
    var onlyIfPending = false

    func run() throws {
        let target = try target.target()
        try Self.restart(target, onlyIfPending: onlyIfPending || target.parameter("restart_pending_only") == "true")
    }

    /// The restart, shared with the setting change.
    static func restart(_ target: PatroniTarget, onlyIfPending: Bool) throws {
        let timeout = Double(try target.number("start_timeout_seconds", default: 300))
        PatroniTarget.progress(5)
        let before: PatroniStatus
        do { before = try target.client.status() } catch { throw refuse("cannot read \(target.member): \(error)") }
        let role = Self.roleName(before.role)
        if onlyIfPending && !before.pendingRestart {
            print("no restart needed: \(target.member) (\(role)) has no pending restart; up since \(before.postmasterStart)")
            return
        }
        if target.dryRun {
            print("dry run: would restart \(target.member) (\(role)) through Patroni, up since \(before.postmasterStart); nothing changed")
            return
        }
        print("restarting \(target.member) (\(role)) through Patroni, up since \(before.postmasterStart)")
        PatroniTarget.progress(20)
        do {
            print("Patroni: " + (try target.client.restart(onlyIfPending: onlyIfPending)).trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw refuse("Patroni did not restart \(target.member): \(error)")
        }
        PatroniTarget.progress(60)
        var last = before
        let back = PatroniTarget.wait(timeout) {
            guard let now = try? target.client.status() else { return false }
            last = now
            return now.postmasterStart != before.postmasterStart && now.state == "running" && roleName(now.role) == role
        }
        guard back else {
            if last.postmasterStart == before.postmasterStart { throw refuse("\(target.member) did not restart: still up since \(before.postmasterStart)") }
            throw refuse("\(target.member) restarted but is \(last.state) as \(roleName(last.role)) (was \(role)) after \(Int(timeout)) s")
        }
        PatroniTarget.progress(100)
        print("restarted \(target.member) (\(role)) through Patroni: up since \(last.postmasterStart)")
    }

    /// One name for a leader whatever the Patroni version calls it.
    static func roleName(_ role: String) -> String {
        ["master", "primary", "leader"].contains(role) ? "leader" : role
    }
}
