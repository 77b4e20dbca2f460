public import Foundation
public import PitstopStore
import Synchronization

/// A fleet kept in etcd (SPEC §18): its log of journal records under `PREFIX/log/` (one key per record, numbered
/// from 1, each number created once by a transaction that finds it absent), its identity in `PREFIX/meta`. A
/// watch on the log tells a long-running follower that records are waiting.
public final class EtcdReplica: StoreReplica, @unchecked Sendable {
    public let binding: EtcdBinding
    public let client: EtcdClient
    private enum WatchState { case off, starting, watching }
    /// The highest record number known to be in the log, and how far the watch got.
    private let watched = Mutex<(highest: UInt64, state: WatchState)>((0, .off))

    public init(_ binding: EtcdBinding, timeout: Double = 5) {
        self.binding = binding
        client = EtcdClient(endpoints: binding.endpoints, tls: binding.tls, timeout: timeout)
    }

    /// Registers etcd as the replica of every store whose directory holds an etcd binding.
    public static func register() {
        StoreReplicas.register { directory, data in
            EtcdReplica(try EtcdBinding(json: data, path: StoreReplicas.bindingPath(directory)))
        }
    }

    var logPrefix: String { binding.prefix + "/log/" }
    var metaKey: String { binding.prefix + "/meta" }
    /// The leading engine's key, on its lease; its value says which host and process.
    var leaderKey: String { binding.prefix + "/leader" }
    /// `PREFIX/attempts/ID`: the host running attempt ID, on that host's lease.
    var attemptsPrefix: String { binding.prefix + "/attempts/" }

    func logKey(_ sequence: UInt64) -> String { logPrefix + String(format: "%020llu", sequence) }

    static func sequence(ofKey key: String) -> UInt64? { key.split(separator: "/").last.flatMap { UInt64($0) } }

    /// Creates the fleet if its prefix holds none (true), or finds the one there (false).
    public func createOrJoin(now: Date) throws(EtcdError) -> Bool {
        let meta: [String: Any] = ["format": 1, "created": ISO8601DateFormatter().string(from: now)]
        let value = (try? JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys])) ?? Data()
        return try client.txn([.createRevision(metaKey, is: 0)], success: [.put(key: metaKey, value: value)]).succeeded
    }

    public func records(after sequence: UInt64, limit: Int) throws -> [[UInt8]] {
        let (kvs, _, _) = try client.range(logKey(sequence + 1), end: EtcdClient.prefixEnd(logPrefix), limit: limit)
        var records: [[UInt8]] = []
        for (offset, kv) in kvs.enumerated() {
            guard Self.sequence(ofKey: kv.key) == sequence + UInt64(offset) + 1 else { break }
            records.append([UInt8](kv.value))
        }
        return records
    }

    public func commit(_ record: [UInt8], sequence: UInt64, fence: (any StoreFence)?) throws -> Bool {
        let key = logKey(sequence)
        var compare: [EtcdCompare] = [.createRevision(key, is: 0)]
        var failure: [EtcdOperation] = []
        if let lease = fence as? EtcdLeaseFence {
            // The leader key still on the writer's lease: a deposed leader's late write finds another's there.
            compare.append(.lease(lease.key, is: lease.lease))
            failure.append(.get(key: lease.key))
        }
        let result = try client.txn(compare, success: [.put(key: key, value: Data(record))], failure: failure)
        if result.succeeded {
            watched.withLock { $0.highest = max($0.highest, sequence) }
            return true
        }
        if let lease = fence as? EtcdLeaseFence, result.read.first(where: { $0.key == lease.key })?.lease != lease.lease {
            let holder = result.read.first { $0.key == lease.key }.map { String(decoding: $0.value, as: UTF8.self) } ?? "nobody"
            throw StoreError.fenced(path: binding.prefix, reason: "\(lease.summary) is lost (the leader now: \(holder))")
        }
        return false
    }

    public func mayHaveRecords(after sequence: UInt64) -> Bool {
        let (highest, state) = watched.withLock { ($0.highest, $0.state) }
        if state == .off { startWatch() }
        // Until the watch knows where the log ends, look every time.
        return state != .watching || highest > sequence
    }

    public var summary: String { "etcd \(binding.endpoints.joined(separator: ",")) prefix \(binding.prefix)" }

    /// Follows the log on a thread of its own: the last record number at a revision, then every later key.
    private func startWatch() {
        watched.withLock { $0.state = .starting }
        let client = client, prefix = logPrefix
        Thread.detachNewThread { [weak self] in
            while self != nil {
                do {
                    let (top, revision, _) = try client.range(prefix, end: EtcdClient.prefixEnd(prefix), limit: 1, keysOnly: true, descending: true)
                    let last = top.first.flatMap { Self.sequence(ofKey: $0.key) } ?? 0
                    self?.watched.withLock { $0.highest = max($0.highest, last); $0.state = .watching }
                    try client.watch(prefix: prefix, from: revision + 1) { events, _ in
                        guard let self else { return false }
                        let highest = events.compactMap { Self.sequence(ofKey: $0.keyValue.key) }.max() ?? 0
                        self.watched.withLock { $0.highest = max($0.highest, highest) }
                        return true
                    }
                } catch {
                    // Broken or compacted: look every time until the watch is back.
                    self?.watched.withLock { $0.state = .starting }
                    Thread.sleep(forTimeInterval: 0.5)
                }
            }
        }
    }
}
