import Foundation

/// An acknowledged mutation: durable on disk before this is returned.
public struct Commit: Sendable, Equatable {
    /// The change number the mutation was written as.
    public var sequence: UInt64
    /// What it changed and logged.
    public var batch: JournalBatch
}
