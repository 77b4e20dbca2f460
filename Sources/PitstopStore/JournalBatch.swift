public import Foundation
public import PitstopCore

/// One acknowledged mutation as the journal holds it: its sequence number, who and when, and its effects.
/// The change feed hands these to readers.
public struct JournalBatch: Sendable, Equatable {
    /// Position in the store's history, from 1, without gaps.
    public var sequence: UInt64
    public var time: Date
    public var actor: String
    public var changes: [Change]
    public var events: [Event]
}
