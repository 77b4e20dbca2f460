public import Foundation

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

    /// Options; by default a writer that creates the store and waits 10 s for the lock.
    public init(readOnly: Bool = false, create: Bool = true, compactionThreshold: Int = 8 << 20, lockTimeout: TimeInterval = 10) {
        self.readOnly = readOnly
        self.create = create
        self.compactionThreshold = compactionThreshold
        self.lockTimeout = lockTimeout
    }
}
