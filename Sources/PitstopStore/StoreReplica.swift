public import Foundation
public import PitstopCore
import Synchronization

/// Where a store's changes are agreed across hosts (SPEC §18): an ordered log of journal records numbered from 1,
/// each number taken once. A store bound to one keeps its directory as this host's copy: a write is
/// acknowledged once the replica took it, and every copy applies the replica's records in order.
public protocol StoreReplica: AnyObject {
    /// The records numbered after `sequence`, in order, as `JournalFile` encodes them (up to `limit` of them).
    func records(after sequence: UInt64, limit: Int) throws -> [[UInt8]]
    /// Takes `record` as number `sequence` if no writer took that number first (then false: catch up and try
    /// again). A write fenced by `fence` is refused (`StoreError.fenced`) unless the fence still holds.
    /// `changes` are the record's, for a replica that acts on some of them in the same step (etcd claims the
    /// attempts a fenced start begins).
    func commit(_ record: [UInt8], sequence: UInt64, fence: (any StoreFence)?, changes: [Change]) throws -> Bool
    /// The latest snapshot of the whole fleet the replica keeps (its change number and `SnapshotFile` bytes, the
    /// log inline), or nil when none was published: where a copy starts whose next record was trimmed away.
    func latestSnapshot() throws -> (sequence: UInt64, bytes: [UInt8])?
    /// The change number of the latest snapshot (0: none), cheaply.
    func latestSnapshotSequence() throws -> UInt64
    /// Publishes `snapshot` as of change `sequence`, then removes the records up to `trimThrough` (at most
    /// `sequence`): a copy that needs one of them starts again from the snapshot.
    func publish(snapshot: [UInt8], sequence: UInt64, trimThrough: UInt64) throws
    /// Whether records after `sequence` may be waiting: true until the replica knows otherwise (a watch tells it).
    func mayHaveRecords(after sequence: UInt64) -> Bool
    /// One line for `store info`: where the replica is.
    var summary: String { get }
}

/// What makes a write valid only while its writer still holds something in the replica (an engine's
/// leadership): the replica that issued it knows what it is.
public protocol StoreFence: Sendable {
    /// For messages: what the writer holds.
    var summary: String { get }
}

/// How a store bound to a replica (a `replica.json` in its directory) gets one: set once by the program that
/// can reach it (the `pitstop` binary registers etcd's). A store module alone cannot open such a store.
public enum StoreReplicas {
    /// Makes the replica of the store in a directory, from the binding file's bytes.
    public typealias Opener = @Sendable (_ directory: String, _ binding: Data) throws -> any StoreReplica

    private static let registered = Mutex<Opener?>(nil)

    /// Registers the opener every later `Store.open` of a bound store uses.
    public static func register(_ opener: @escaping Opener) { registered.withLock { $0 = opener } }

    static var opener: Opener? { registered.withLock { $0 } }

    /// The binding file of a store directory.
    public static func bindingPath(_ directory: String) -> String { directory + "/replica.json" }

    /// Binds the store in `directory` to a replica: writes its binding file (atomically, durably, with the
    /// store's file mode). Every later open goes through the replica.
    public static func bind(_ directory: String, binding: Data) throws {
        try FileIO.replace(bindingPath(directory), with: [UInt8](binding), directory: directory)
    }

    /// Makes a new store in `directory` bound to a replica, and opens it: the replica's records come in.
    public static func createBound(_ directory: String, binding: Data) throws -> Store {
        _ = try Store.open(directory)
        try bind(directory, binding: binding)
        return try Store.open(directory)
    }
}
