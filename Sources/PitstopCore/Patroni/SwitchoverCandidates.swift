/// Which replica a switchover should hand the leadership to, and why each other member cannot take it
/// (`patroni-switchover`): running and streaming, lag under the limit, not tagged `nofailover`, and — for an
/// upgrade — already running the target version. The least lagging qualifying member wins; ties by name.
public struct SwitchoverChoice: Sendable, Equatable {
    /// The member chosen, if any qualifies.
    public var candidate: PatroniMember?
    /// Each member that does not qualify, with why, in the cluster's order.
    public var refused: [(name: String, reason: String)]

    public static func == (a: SwitchoverChoice, b: SwitchoverChoice) -> Bool {
        a.candidate == b.candidate && a.refused.map(\.name) == b.refused.map(\.name) && a.refused.map(\.reason) == b.refused.map(\.reason)
    }

    /// Chooses among `cluster`'s replicas; `versions` gives each member's server version as text (`15.18`)
    /// where a target version is asked for.
    public init(_ cluster: PatroniCluster, maxLagBytes: Int64, targetVersion: String?, versions: [String: String] = [:]) {
        var qualified: [PatroniMember] = []
        var refused: [(String, String)] = []
        for member in cluster.members where !member.isLeader {
            if !member.isReplica {
                refused.append((member.name, "is \(member.role), not a replica"))
            } else if !member.isRunning {
                refused.append((member.name, "is \(member.state), not streaming"))
            } else if member.noFailover {
                refused.append((member.name, "is tagged nofailover"))
            } else if let lag = member.lagBytes, lag > maxLagBytes {
                refused.append((member.name, "lags \(lag) bytes (max_lag_bytes is \(maxLagBytes))"))
            } else if member.lagBytes == nil {
                refused.append((member.name, "has an unknown lag (not streaming?)"))
            } else if let target = targetVersion, !(versions[member.name].map { Self.runs($0, target) } ?? false) {
                refused.append((member.name, "runs \(versions[member.name] ?? "an unknown version"), not \(target)"))
            } else {
                qualified.append(member)
            }
        }
        candidate = qualified.min { ($0.lagBytes ?? 0, $0.name) < ($1.lagBytes ?? 0, $1.name) }
        self.refused = refused
    }

    static func runs(_ version: String, _ target: String) -> Bool {
        let wanted = target.split(separator: ".")
        let have = version.split(separator: ".")
        return !wanted.isEmpty && wanted.count <= have.count && zip(wanted, have).allSatisfy(==)
    }

    /// "no replica qualifies: pg2 lags 9000 bytes (…); pg3 is tagged nofailover".
    public var whyNone: String {
        "no replica qualifies for a switchover: " + (refused.isEmpty ? "the cluster has no replica" : refused.map { "\($0.name) \($0.reason)" }.joined(separator: "; "))
    }
}
