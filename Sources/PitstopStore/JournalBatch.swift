public import Foundation
public import PitstopCore

/// One acknowledged mutation as the journal holds it: its sequence number, who and when, and its effects.
/// The change feed hands these to readers.
public struct JournalBatch: Sendable, Equatable {
    /// Position in the store's history, from 1, without gaps.
    public var sequence: UInt64
    /// When it was written.
    public var time: Date
    /// Who wrote it.
    public var actor: String
    /// What it changed.
    public var changes: [Change]
    /// What it logged.
    public var events: [Event]
}
