import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine

/// The live-role check the engine runs before every attempt on a Patroni member, ahead of the task's own
/// precheck: a paused cluster, a member Patroni does not know or not running, or a role other than the task
/// says holds the resource (exit 1, the reason as the last line). A primary whose attempt starts with a
/// switchover is held too while no replica qualifies for it.
struct PatroniPrecheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precheck", abstract: "Hold unless Patroni agrees: cluster not paused, member running in the role the task expects.")

    @OptionGroup var target: PatroniTargetOptions

    @Flag(name: .long, help: "The attempt starts with a switchover: a qualifying replica must exist.")
    var switchover = false

    @Argument(parsing: .postTerminator, help: "The task's own precheck, run (exec) when this one passes.")
    var then: [String] = []

    func run() throws {
        let target = try target.target()
        let cluster: PatroniCluster
        do { cluster = try target.cluster() } catch { throw refuse("Patroni does not answer, so the role of \(target.member) is unknown: \(error)") }
        // The roles first, whatever the verdict: the engine orders the cluster by them from now on.
        print(cluster.rolesLine)
        if cluster.paused { throw refuse("cluster paused in Patroni (maintenance mode): nothing starts until `patronictl resume`") }
        guard let member = cluster.member(target.member) else {
            throw refuse("\(target.member) is not a member of its Patroni cluster (members: \(cluster.members.map(\.name).joined(separator: ", ")))")
        }
        guard member.isRunning else { throw refuse("\(member.name) is \(member.state) in Patroni, not running") }
        if let expected = target.expectedRole, expected != .standalone, expected != member.resourceRole {
            let now = member.isLeader ? "leader" : member.role
            throw refuse("role changed in Patroni: now \(now) (Pitstop expected \(expected.rawValue)); the cluster is ordered by its live roles from now on")
        }
        if switchover && member.isLeader {
            let choice = SwitchoverChoice(cluster, maxLagBytes: try target.number("max_lag_bytes", default: 1 << 20),
                                          targetVersion: target.parameter("target_version"),
                                          statuses: Self.statuses(cluster))
            if choice.candidate == nil { throw refuse(choice.whyNone) }
        }
        print("Patroni: \(member.name) is \(member.isLeader ? "the leader" : member.role), \(member.state)")
        fflush(nil)
        guard !then.isEmpty else { return }
        // The task's own precheck takes this process's place: its exit status and last line are the verdict.
        let argv = then.map { strdup($0) } + [nil]
        execvp(then[0], argv)
        throw refuse("cannot run the task's precheck \(then[0]): \(String(cString: strerror(errno)))")
    }

    /// Each member's own status (WAL position, replay paused, version), asked of its own REST API; the
    /// members that do not answer are left out (and so cannot qualify on a version).
    static func statuses(_ cluster: PatroniCluster) -> [String: PatroniStatus] {
        var statuses: [String: PatroniStatus] = [:]
        for member in cluster.members {
            if let status = try? PatroniClient(member.apiURL, timeout: 3).status() { statuses[member.name] = status }
        }
        return statuses
    }
}
