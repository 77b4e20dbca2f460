import Foundation
import PitstopCore

/// What `store check` found, as facts; the command line words them.
public struct StoreCheckReport: Sendable {
    /// One of the store's files.
    public enum File: String, Sendable {
        case snapshot, journal
        case snapshotBackup = "snapshot.bak"
        case journalBackup = "journal.bak"

        /// The primary pair must be sound for the store to open; a damaged backup only lessens what recover can do.
        public var isBackup: Bool { self == .snapshotBackup || self == .journalBackup }
    }

    /// What a file holds, when it could be read.
    public enum Finding: Sendable, Equatable {
        case snapshot(File, sequence: UInt64, tasks: Int, events: Int, bytes: Int, eventFile: String?)
        /// `records` whole records after change `after`, numbered `first`…`last`.
        case journal(File, records: Int, after: UInt64, first: UInt64?, last: UInt64?, bytes: Int)
        /// A backup file that does not exist (normal before the first compaction).
        case absent(File)
        /// The store as a whole opens at this change.
        case opens(sequence: UInt64, tasks: Int, events: Int)
    }

    /// What is wrong with a file.
    public enum Problem: Sendable, Equatable {
        case missing(File, path: String)
        case damaged(File, StoreError)
        /// The journal ends with an unfinished record at this byte (the next writer cuts it off).
        case unfinishedRecord(File, path: String, offset: Int)
    }

    /// What each file holds, in file order.
    public var findings: [Finding] = []
    /// Problems that stop the store from opening.
    public var errors: [Problem] = []
    /// Problems that do not (an unfinished record at the end, a damaged backup).
    public var warnings: [Problem] = []
    /// Commands of a team store that its engine would refuse to run for want of the owner's seal (SPEC §29):
    /// the task (nil for the notification command) and why; nil when this process could not check the seals
    /// (only the store's owner may read its key).
    public var untrusted: [(taskID: String?, verdict: SealVerdict)]? = []
    /// Whether `store recover` would have a backup snapshot to start from.
    public var backupSnapshotReadable = false
    /// Whether the store opens.
    public var isHealthy: Bool { errors.isEmpty }
}
