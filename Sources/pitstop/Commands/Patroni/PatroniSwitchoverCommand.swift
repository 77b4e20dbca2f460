import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine

/// The `switchover` hook of a primary under Patroni: hands the leadership to the best qualifying replica
/// (`SwitchoverChoice`), through Patroni, and waits until Patroni shows the new leader running and this member
/// back as a replica. A member that is already a replica has nothing to hand over (an attempt adopted after
/// its switchover): no second switchover.
struct PatroniSwitchoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchover", abstract: "Switch the leadership over to a qualifying replica, through Patroni, and wait for it.")

    @OptionGroup var target: PatroniTargetOptions

    func run() throws {
        let target = try target.target()
        let timeout = Double(try target.number("switchover_timeout_seconds", default: 120))
        PatroniTarget.progress(2)
        let cluster: PatroniCluster
        do { cluster = try target.cluster() } catch { throw refuse("cannot read the cluster: \(error)") }
        if cluster.paused { throw refuse("cluster paused in Patroni: no switchover while it is in maintenance mode") }
        guard let me = cluster.member(target.member) else { throw refuse("\(target.member) is not a member of its Patroni cluster") }
        if !me.isLeader {
            let leader = cluster.leader.map { "\($0.name) leads" } ?? "no member leads yet"
            print("no switchover needed: \(me.name) is already \(me.role) (\(leader))")
            return
        }
        let targetVersion = target.parameter("target_version")
        let choice = SwitchoverChoice(cluster, maxLagBytes: try target.number("max_lag_bytes", default: 1 << 20), targetVersion: targetVersion,
                                      statuses: PatroniPrecheckCommand.statuses(cluster))
        for (name, reason) in choice.refused { print("not \(name): \(reason)") }
        guard let candidate = choice.candidate else { throw refuse(choice.whyNone) }
        let lag = choice.candidateLag.map { "\($0) bytes behind in replay" } ?? "lag unknown"
        if target.dryRun {
            print("dry run: would switch over from \(me.name) to \(candidate.name) (\(lag)); nothing changed")
            return
        }
        print("switching over from \(me.name) to \(candidate.name) (\(lag), timeline \(me.timeline.map(String.init) ?? "?"))")
        PatroniTarget.progress(10)
        let started = Date()
        do {
            print("Patroni: " + (try target.client.switchover(leader: me.name, candidate: candidate.name)).trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw refuse("the switchover from \(me.name) to \(candidate.name) failed: \(error)")
        }
        PatroniTarget.progress(60)
        // Done when Patroni shows the candidate leading and this member replicating again.
        var last = "no answer"
        var after: PatroniCluster?
        let done = PatroniTarget.wait(timeout) {
            guard let now = try? PatroniClient(candidate.apiURL).cluster() else { return false }
            after = now
            let leader = now.leader?.name ?? "none"
            let mine = now.member(me.name).map { "\($0.role)/\($0.state)" } ?? "missing"
            last = "leader \(leader), \(me.name) \(mine)"
            return leader == candidate.name && now.member(me.name).map { $0.isReplica && $0.isRunning } == true
        }
        if let after { print(after.rolesLine) }
        guard done else { throw refuse("switched over, but after \(Int(timeout)) s Patroni shows \(last)") }
        PatroniTarget.progress(100)
        print(String(format: "switched over from %@ to %@ in %.1f s; %@ is a replica now", me.name, candidate.name, Date().timeIntervalSince(started), me.name))
    }
}
