import Foundation

/// What a poll of the change feed found.
public enum StoreUpdate: Sendable, Equatable {
    /// Nothing new since the last poll.
    case unchanged
    /// These acknowledged batches, in order, now applied to `Store.state`.
    case changes([JournalBatch])
    /// The snapshot was replaced (compaction or recovery): `Store.state` was reloaded whole.
    case reloaded

    /// The batches of a `.changes` update, else nil.
    public var batches: [JournalBatch]? {
        if case .changes(let batches) = self { batches } else { nil }
    }
}
