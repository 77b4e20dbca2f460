import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// What `store recover` did, step by step, as facts; the command line words them.
public struct StoreRecoveryReport: Sendable {
    /// One thing recover did or found.
    public enum Step: Sendable, Equatable {
        /// The store opened as it was: nothing to do.
        case alreadyHealthy(sequence: UInt64)
        /// The snapshot it started from (`fromBackup` when the primary was unreadable).
        case startedFrom(fromBackup: Bool, sequence: UInt64)
        case replayed(file: String, from: UInt64, to: UInt64)
        case skippedUnreadable(file: String)
        /// A record did not follow the one before it; the rest of that journal was left out.
        case stoppedAtGap(file: String, change: UInt64, after: UInt64)
        case droppedDamage(file: String, bytes: Int, StoreError)
        case cutUnfinishedRecord(file: String, offset: Int)
        case keptDamagedFile(file: String, as: String)
        /// A damaged record of the event file was left out: those audit entries are lost, the fleet is not.
        case lostEvents(file: String, offset: Int, reason: String)
        case rebuilt(sequence: UInt64, tasks: Int, events: Int)
    }

    /// What was done, in order.
    public var steps: [Step] = []
    /// The change the rebuilt store ends at.
    public var sequence: UInt64 = 0
    /// Whether anything was rewritten (false when the store was healthy).
    public var rebuilt = false
}
