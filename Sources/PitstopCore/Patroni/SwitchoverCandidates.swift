/// Which replica a switchover should hand the leadership to, and why each other member cannot take it
/// (`patroni-switchover`): running and streaming, replaying (not paused), lag under the limit, not tagged
/// `nofailover`, and — for an upgrade — already running the target version. The lag is what the replica has
/// *replayed* behind the leader's position when each member's own status is known (Patroni's `/cluster` lag
/// counts WAL received, so a replica whose replay is paused looks current there). The least lagging
/// qualifying member wins; ties by name.
public struct SwitchoverChoice: Sendable, Equatable {
    /// The member chosen, if any qualifies.
    public var candidate: PatroniMember?
    /// Each member that does not qualify, with why, in the cluster's order.
    public var refused: [(name: String, reason: String)]
    /// The bytes of WAL the candidate has yet to replay (Patroni's received lag where its status is unknown).
    public var candidateLag: Int64?

    public static func == (a: SwitchoverChoice, b: SwitchoverChoice) -> Bool {
        a.candidate == b.candidate && a.candidateLag == b.candidateLag && a.refused.map(\.name) == b.refused.map(\.name) && a.refused.map(\.reason) == b.refused.map(\.reason)
    }

    /// Chooses among `cluster`'s replicas; `versions` gives each member's server version as text (`15.18`)
    /// where a target version is asked for.
    /// `statuses` are the members' own `GET /patroni` (the leader's among them), where they answered.
    public init(_ cluster: PatroniCluster, maxLagBytes: Int64, targetVersion: String?, statuses: [String: PatroniStatus] = [:]) {
        let leaderPosition = cluster.leader.flatMap { statuses[$0.name]?.walPosition }
        var qualified: [PatroniMember] = []
        var refused: [(String, String)] = []
        for member in cluster.members where !member.isLeader {
            if !member.isReplica {
                refused.append((member.name, "is \(member.role), not a replica"))
            } else if !member.isRunning {
                refused.append((member.name, "is \(member.state), not streaming"))
            } else if member.noFailover {
                refused.append((member.name, "is tagged nofailover"))
            } else if statuses[member.name]?.replayPaused == true {
                refused.append((member.name, "has its replay paused (pg_wal_replay_pause)"))
            } else if let lag = Self.lag(member, statuses[member.name], leaderPosition), lag > maxLagBytes {
                refused.append((member.name, "lags \(lag) bytes (max_lag_bytes is \(maxLagBytes))"))
            } else if Self.lag(member, statuses[member.name], leaderPosition) == nil {
                refused.append((member.name, "has an unknown lag (not streaming?)"))
            } else if let target = targetVersion, !(statuses[member.name].map { $0.runs(target) } ?? false) {
                refused.append((member.name, "runs \(statuses[member.name]?.versionText ?? "an unknown version"), not \(target)"))
            } else {
                qualified.append(member)
            }
        }
        let lags = Dictionary(uniqueKeysWithValues: qualified.map { ($0.name, Self.lag($0, statuses[$0.name], leaderPosition) ?? 0) })
        candidate = qualified.min { (lags[$0.name] ?? 0, $0.name) < (lags[$1.name] ?? 0, $1.name) }
        candidateLag = candidate.flatMap { lags[$0.name] }
        self.refused = refused
    }

    /// Bytes the replica has yet to replay: from the positions when both are known, else Patroni's lag.
    static func lag(_ member: PatroniMember, _ status: PatroniStatus?, _ leaderPosition: Int64?) -> Int64? {
        if let leaderPosition, let replayed = status?.walPosition { return max(0, leaderPosition - replayed) }
        return member.lagBytes
    }

    /// "no replica qualifies: pg2 lags 9000 bytes (…); pg3 is tagged nofailover".
    public var whyNone: String {
        "no replica qualifies for a switchover: " + (refused.isEmpty ? "the cluster has no replica" : refused.map { "\($0.name) \($0.reason)" }.joined(separator: "; "))
    }
}
