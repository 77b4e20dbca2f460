import Foundation
import PitstopCore

/// Sizes and positions of a store, for `pitstop store info`.
public struct StoreInfo: Sendable {
    /// The store directory.
    public var directory: String
    /// The last change.
    public var sequence: UInt64
    /// Tasks.
    public var tasks: Int
    /// Resources across tasks.
    public var resources: Int
    /// Events in the audit log.
    public var events: Int
    /// Size of the snapshot.
    public var snapshotBytes: Int
    /// The event file holding the log up to the snapshot (nil: none yet, or a format-1 snapshot), and its size.
    public var eventFile: String?
    public var eventFileBytes: Int
    /// Size of the journal.
    public var journalBytes: Int
    /// Journal size at which the next writer compacts.
    public var compactionThreshold: Int
}

extension Store {
    /// Sizes and counts for `store info`.
    public var info: StoreInfo {
        let archive = state.events.archive as? StoredEventArchive
        return StoreInfo(
            directory: directory, sequence: sequence, tasks: state.tasks.count,
            resources: state.tasks.resourceCount, events: state.events.count,
            snapshotBytes: FileIO.identity(layout.snapshot)?.size ?? 0,
            eventFile: archive.map { ($0.path as NSString).lastPathComponent }, eventFileBytes: archive.map { FileIO.identity($0.path)?.size ?? 0 } ?? 0,
            journalBytes: FileIO.identity(layout.journal)?.size ?? 0, compactionThreshold: options.compactionThreshold)
    }
}
