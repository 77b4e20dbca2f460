public import Foundation
public import PitstopStore
public import PitstopCore
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

    /// The store directory this replica serves (this host's copy).
    public let directory: String

    public init(_ binding: EtcdBinding, directory: String = "", timeout: Double = 5) {
        self.binding = binding
        self.directory = directory
        client = EtcdClient(endpoints: binding.endpoints, tls: binding.tls, timeout: timeout)
    }

    /// Registers etcd as the replica of every store whose directory holds an etcd binding.
    public static func register() {
        StoreReplicas.register { directory, data in
            EtcdReplica(try EtcdBinding(json: data, path: StoreReplicas.bindingPath(directory)), directory: directory)
        }
    }

    var logPrefix: String { binding.prefix + "/log/" }
    var metaKey: String { binding.prefix + "/meta" }
    /// The leading engine's key, on its lease; its value says which host and process.
    var leaderKey: String { binding.prefix + "/leader" }
    /// `PREFIX/attempts/ID`: the host running attempt ID, on that host's lease.
    var attemptsPrefix: String { binding.prefix + "/attempts/" }

    func logKey(_ sequence: UInt64) -> String { logPrefix + Self.number(sequence) }

    /// A record number as keys carry it: 20 digits, so that keys sort as numbers do.
    static func number(_ sequence: UInt64) -> String { String(format: "%020llu", sequence) }

    static func sequence(ofKey key: String) -> UInt64? { key.split(separator: "/").last.flatMap { UInt64($0) } }

    /// Creates the fleet if its prefix holds none (true), or finds the one there (false).
    public func createOrJoin(now: Date) throws(EtcdError) -> Bool {
        let meta: [String: Any] = ["format": 1, "created": ISO8601DateFormatter().string(from: now)]
        let value = (try? JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys])) ?? Data()
        return try client.txn([.createRevision(metaKey, is: 0)], success: [.put(key: metaKey, value: value)]).succeeded
    }

    /// A record larger than this goes into chunks of this size (etcd refuses requests over 1.5 MiB by default).
    static let chunkSize = 1 << 20
    /// What a log key holds in place of a chunked record: this, the chunks' key prefix, their count and size.
    static let chunkMarker = Array("PITSTOP-CHUNKS ".utf8)
    var chunksPrefix: String { binding.prefix + "/chunks/" }

    public func records(after sequence: UInt64, limit: Int) throws -> [[UInt8]] {
        let (kvs, _, _) = try client.range(logKey(sequence + 1), end: EtcdClient.prefixEnd(logPrefix), limit: limit)
        var records: [[UInt8]] = []
        if let first = kvs.first, Self.sequence(ofKey: first.key) != sequence + 1 {
            throw StoreError.replicaTrimmed(path: binding.prefix, needed: sequence + 1)
        }
        for (offset, kv) in kvs.enumerated() {
            guard Self.sequence(ofKey: kv.key) == sequence + UInt64(offset) + 1 else { break }
            let value = [UInt8](kv.value)
            records.append(value.starts(with: Self.chunkMarker) ? try assemble(value, sequence: sequence + UInt64(offset) + 1) : value)
        }
        return records
    }

    /// The record a chunk marker stands for, read back whole and checked for its size.
    private func assemble(_ marker: [UInt8], sequence: UInt64) throws -> [UInt8] {
        let fields = String(decoding: marker.dropFirst(Self.chunkMarker.count), as: UTF8.self).split(separator: " ")
        guard fields.count == 3, let count = Int(fields[1]), let size = Int(fields[2]) else {
            throw StoreError.replicaGap(path: binding.prefix, reason: "record \(sequence) names its chunks in a form this Pitstop does not read")
        }
        let prefix = String(fields[0])
        let (kvs, _) = try client.prefix(prefix, page: 8)
        let record = kvs.sorted { $0.key < $1.key }.flatMap { [UInt8]($0.value) }
        guard kvs.count == count, record.count == size else {
            throw StoreError.replicaGap(path: binding.prefix, reason: "record \(sequence) has \(kvs.count) of its \(count) chunks (\(record.count) of \(size) bytes)")
        }
        return record
    }

    /// `PREFIX/snapshot`: `SEQUENCE ` and the chunk marker of the fleet's latest snapshot.
    var snapshotKey: String { binding.prefix + "/snapshot" }

    public func latestSnapshotSequence() throws -> UInt64 {
        guard let value = try client.range(snapshotKey).kvs.first?.value else { return 0 }
        return String(decoding: value, as: UTF8.self).split(separator: " ").first.flatMap { UInt64($0) } ?? 0
    }

    public func latestSnapshot() throws -> (sequence: UInt64, bytes: [UInt8])? {
        guard let value = try client.range(snapshotKey).kvs.first?.value else { return nil }
        let bytes = [UInt8](value)
        guard let space = bytes.firstIndex(of: 0x20), let sequence = UInt64(String(decoding: bytes[..<space], as: UTF8.self)) else {
            throw StoreError.replicaGap(path: binding.prefix, reason: "the fleet's snapshot key is in a form this Pitstop does not read")
        }
        return (sequence, try assemble(Array(bytes[(space + 1)...]), sequence: sequence))
    }

    public func publish(snapshot: [UInt8], sequence: UInt64, trimThrough: UInt64) throws {
        let previous = try client.range(snapshotKey).kvs.first?.value
        let (marker, _) = try writeChunks(snapshot, sequence: sequence, under: binding.prefix + "/snapshots/")
        try client.put(snapshotKey, Data(Array("\(sequence) ".utf8) + marker))
        // Then the records the snapshot covers with their chunks (named by record number, so in the same
        // order), and the chunks of the snapshot it replaced.
        let through = min(trimThrough, sequence)
        if through > 0 {
            _ = try client.txn([], success: [.deleteRange(key: logPrefix, end: logKey(through + 1)),
                                             .deleteRange(key: chunksPrefix, end: chunksPrefix + Self.number(through + 1))])
        }
        if let previous, let old = String(decoding: previous, as: UTF8.self).split(separator: " ").dropFirst(2).first {
            try client.deletePrefix(String(old))
        }
    }

    /// Writes a large record's chunks under a key prefix of their own; returns the marker that stands for it.
    private func writeChunks(_ record: [UInt8], sequence: UInt64, under parent: String? = nil) throws -> (marker: [UInt8], prefix: String) {
        let prefix = (parent ?? chunksPrefix) + "\(Self.number(sequence))-\(UUID().uuidString)/"
        var count = 0
        for start in stride(from: 0, to: record.count, by: Self.chunkSize) {
            try client.put(prefix + String(format: "%08d", count), Data(record[start..<min(record.count, start + Self.chunkSize)]))
            count += 1
        }
        return (Self.chunkMarker + Array("\(prefix) \(count) \(record.count)".utf8), prefix)
    }

    public func commit(_ record: [UInt8], sequence: UInt64, fence: (any StoreFence)?, changes: [Change]) throws -> Bool {
        let claims = Self.startedAttempts(changes)
        guard record.count > Self.chunkSize else { return try commitValue(record, sequence: sequence, fence: fence, claims: claims) }
        // The chunks first, then the number: a reader never finds a marker without its chunks. A lost race
        // leaves chunks nobody names, removed here.
        let (marker, prefix) = try writeChunks(record, sequence: sequence)
        let committed: Bool
        do {
            committed = try commitValue(marker, sequence: sequence, fence: fence, claims: claims)
        } catch {
            try? client.deletePrefix(prefix)
            throw error
        }
        if !committed { try? client.deletePrefix(prefix) }
        return committed
    }

    /// The attempts a change starts: resources in progress on an attempt (a fenced start claims them at once).
    static func startedAttempts(_ changes: [Change]) -> [UInt64] {
        changes.compactMap { change in
            guard case .updateResource(_, let resource) = change, resource.status == .inProgress else { return nil }
            return resource.attemptID
        }
    }

    private func commitValue(_ record: [UInt8], sequence: UInt64, fence: (any StoreFence)?, claims: [UInt64]) throws -> Bool {
        let key = logKey(sequence)
        var compare: [EtcdCompare] = [.createRevision(key, is: 0)]
        var success: [EtcdOperation] = [.put(key: key, value: Data(record))]
        var failure: [EtcdOperation] = []
        if let lease = fence as? EtcdLeaseFence {
            // The leader key still on the writer's lease: a deposed leader's late write finds another's there.
            compare.append(.lease(lease.key, is: lease.lease))
            failure.append(.get(key: lease.key))
            // The attempts it starts are this host's from the same instant: never started-but-unclaimed.
            success += claims.map { .put(key: attemptsPrefix + String($0), value: Data(lease.host.utf8), lease: lease.lease) }
        }
        let result = try client.txn(compare, success: success, failure: failure)
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
