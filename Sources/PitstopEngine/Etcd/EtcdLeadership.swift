public import Foundation
public import PitstopStore
import Synchronization

/// A write valid only while the leader key is on this lease (SPEC §18 fencing).
public struct EtcdLeaseFence: StoreFence {
    let key: String
    let lease: Int64
    /// The host copy whose engine writes (`HOST:STORE`): the attempts a fenced start begins are claimed for it
    /// in the same transaction.
    let host: String
    public var summary: String { "the leadership of lease \(String(lease, radix: 16))" }
}

/// How an engine shares a fleet in etcd with the engines of other hosts, as Patroni leads through etcd: one lease
/// per engine (its TTL, renewed on a thread of its own every third of it), the leader key created on that lease,
/// and a leader that stops starting work once its last renewal is older than the TTL less a margin — before
/// etcd can have let the lease expire. The same lease carries the host's claims on its attempts, so they end
/// with it.
public final class EtcdLeadership: EngineCoordination, @unchecked Sendable {
    public let replica: EtcdReplica
    /// `host pid`, the leader key's value.
    public let identity: String
    public let ttl: Int
    /// A leader stops starting work this long before its lease could expire.
    let margin: TimeInterval

    private struct Shared {
        var lease: Int64 = 0
        /// When the last renewal that etcd answered was sent (monotonic seconds).
        var renewedAt: TimeInterval = -.infinity
        var leading = false
        var lastCampaign: TimeInterval = -.infinity
        var stopped = false
        var problem: String?
    }
    private let shared = Mutex(Shared())

    /// `HOST:STORE`: this host's copy, the same across restarts of its engine (its claims are found again).
    public let host: String

    public init(replica: EtcdReplica, identity: String = EtcdLeadership.defaultIdentity(), host: String? = nil, ttl: Int = 10) {
        self.replica = replica
        self.identity = identity
        self.host = host ?? "\(ProcessInfo.processInfo.hostName):\(replica.directory)"
        self.ttl = ttl
        margin = max(1, Double(ttl) / 3)
    }

    /// `HOST pid PID` of this process.
    public static func defaultIdentity() -> String { identity(pid: getpid()) }

    /// `HOST pid PID` of a process of this host.
    public static func identity(pid: Int32) -> String { "\(ProcessInfo.processInfo.hostName) pid \(pid)" }

    static func monotonic() -> TimeInterval { ProcessInfo.processInfo.systemUptime }

    /// Grants the lease and starts renewing it.
    public func start() throws {
        let granted = try replica.client.grantLease(ttl: ttl)
        shared.withLock { $0.lease = granted.id; $0.renewedAt = Self.monotonic() }
        let client = replica.client, every = Double(ttl) / 3
        Thread.detachNewThread { [weak self] in
            while let self, !self.shared.withLock({ $0.stopped }) {
                Thread.sleep(forTimeInterval: every)
                self.renew(client)
            }
        }
    }

    private func renew(_ client: EtcdClient) {
        let (lease, stopped) = shared.withLock { ($0.lease, $0.stopped) }
        guard !stopped else { return }
        let sent = Self.monotonic()
        do {
            if lease == 0 {
                let granted = try client.grantLease(ttl: ttl)
                shared.withLock { $0.lease = granted.id; $0.renewedAt = sent; $0.problem = nil }
                return
            }
            _ = try client.keepAlive(lease, timeout: Double(ttl) / 3)
            shared.withLock { $0.renewedAt = sent; $0.problem = nil }
        } catch {
            shared.withLock {
                $0.problem = "etcd: \(error)"
                // Gone for good: this host's claims and leadership went with it; a new lease next time.
                if error.isLeaseGone { $0.lease = 0; $0.leading = false }
            }
        }
    }

    /// Stops renewing and gives the lease back, so that a standby need not wait for the TTL.
    public func stop() {
        let lease = shared.withLock { state -> Int64 in
            state.stopped = true
            state.leading = false
            return state.lease
        }
        if lease != 0 { try? replica.client.revoke(lease) }
    }

    /// The fence of this engine's leadership writes.
    public var fence: (any StoreFence)? {
        let lease = shared.withLock { $0.lease }
        return lease == 0 ? nil : EtcdLeaseFence(key: replica.leaderKey, lease: lease, host: host)
    }

    public func mayLead() -> Bool {
        let now = Self.monotonic()
        let (lease, renewedAt, leading, lastCampaign) = shared.withLock { ($0.lease, $0.renewedAt, $0.leading, $0.lastCampaign) }
        guard lease != 0, now - renewedAt < Double(ttl) - margin else {
            if leading { shared.withLock { $0.leading = false } }
            return false
        }
        if leading { return true }
        // A campaign a second at most: create the leader key on this lease if nobody holds it.
        guard now - lastCampaign >= 1 else { return false }
        shared.withLock { $0.lastCampaign = now }
        do {
            let key = replica.leaderKey
            let result = try replica.client.txn([.createRevision(key, is: 0)], success: [.put(key: key, value: Data(identity.utf8), lease: lease)],
                                                failure: [.get(key: key)])
            let ours = result.succeeded || result.read.first?.lease == lease
            shared.withLock { $0.leading = ours }
            return ours
        } catch {
            shared.withLock { $0.problem = "etcd: \(error)" }
            return false
        }
    }

    public func lostLeadership() { shared.withLock { $0.leading = false } }

    public func claim(attempt: UInt64) throws {
        let lease = shared.withLock { $0.lease }
        try replica.client.put(replica.attemptsPrefix + String(attempt), Data(host.utf8), lease: lease)
    }

    public func ownClaims() throws -> Set<UInt64> {
        let prefix = replica.attemptsPrefix
        let (kvs, _) = try replica.client.prefix(prefix)
        return Set(kvs.filter { $0.value == Data(host.utf8) }.compactMap { UInt64($0.key.dropFirst(prefix.count)) })
    }

    public func claimedAttempts() throws -> Set<UInt64> {
        let prefix = replica.attemptsPrefix
        let (kvs, _) = try replica.client.prefix(prefix)
        return Set(kvs.compactMap { UInt64($0.key.dropFirst(prefix.count)) })
    }

    public var status: String {
        let (leading, problem) = shared.withLock { ($0.leading, $0.problem) }
        return (leading ? "leader" : "standby") + (problem.map { " (\($0))" } ?? "")
    }

    /// Who leads the fleet now, from etcd: `host pid N`, or nil.
    public static func leader(of replica: EtcdReplica) throws -> String? {
        try replica.client.range(replica.leaderKey).kvs.first.map { String(decoding: $0.value, as: UTF8.self) }
    }
}
