import Foundation

/// How a store handle is opened.
public struct StoreOptions: Sendable {
    /// Never write, never create; torn tails are reported, not cut.
    public var readOnly: Bool
    /// Create an empty store when the directory holds none.
    public var create: Bool
    /// Fold the journal into a new snapshot once it grows past this many bytes.
    public var compactionThreshold: Int
    /// How long to wait for another process's lock before giving up.
    public var lockTimeout: TimeInterval

    public init(readOnly: Bool = false, create: Bool = true, compactionThreshold: Int = 8 << 20, lockTimeout: TimeInterval = 10) {
        self.readOnly = readOnly
        self.create = create
        self.compactionThreshold = compactionThreshold
        self.lockTimeout = lockTimeout
    }
}

/// What a poll of the change feed found.
public enum StoreUpdate: Sendable, Equatable {
    /// Nothing new since the last poll.
    case unchanged
    /// These acknowledged batches, in order, now applied to `Store.state`.
    case changes([JournalBatch])
    /// The snapshot was replaced (compaction or recovery): `Store.state` was reloaded whole.
    case reloaded
}

/// An acknowledged mutation: durable on disk before this is returned.
public struct Commit: Sendable, Equatable {
    public var sequence: UInt64
    public var batch: JournalBatch
}
