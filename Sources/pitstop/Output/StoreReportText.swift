import Foundation
import PitstopStore

/// `store check` and `store recover` in words.
enum StoreReportText {
    static func size(_ bytes: Int) -> String {
        bytes < 10_240 ? "\(bytes) B" : bytes < 10 << 20 ? "\(bytes >> 10) KB" : "\(bytes >> 20) MB"
    }

    static func line(_ finding: StoreCheckReport.Finding) -> String {
        switch finding {
        case .snapshot(let file, let sequence, let tasks, let events, let bytes, let eventFile):
            let log = eventFile.map { " (in \($0), checked)" } ?? ""
            return "\(file.rawValue): ok, up to change \(sequence), \(tasks) tasks, \(events) events\(log), \(size(bytes))"
        case .journal(let file, let records, let after, let first, let last, let bytes):
            let range = first.flatMap { first in last.map { "changes \(first)–\($0)" } } ?? "no changes"
            return "\(file.rawValue): \(records) records after change \(after), \(range), \(size(bytes))"
        case .absent(let file):
            return "\(file.rawValue): none"
        case .opens(let sequence, let tasks, let events):
            return "store: opens at change \(sequence) with \(tasks) tasks and \(events) events"
        }
    }

    static func line(_ problem: StoreCheckReport.Problem) -> String {
        switch problem {
        case .missing(_, let path): return "\(path) is missing"
        case .damaged(let file, let error): return file.isBackup ? "backup: \(error)" : "\(error)"
        case .unfinishedRecord(_, let path, let offset): return "\(path) ends with an unfinished record at byte \(offset); the next writer cuts it off"
        }
    }

    /// What `store recover` can do for a damaged store, from what check found.
    static func remedy(_ report: StoreCheckReport) -> String {
        report.backupSnapshotReadable
            ? "`pitstop store recover` can rebuild it from the backup snapshot and the journals"
            : "no readable backup snapshot: `pitstop store recover` can only salvage what is readable"
    }

    static func line(_ step: StoreRecoveryReport.Step) -> String {
        switch step {
        case .alreadyHealthy(let sequence): return "the store opens cleanly at change \(sequence); nothing to recover"
        case .startedFrom(false, let sequence): return "snapshot is readable (up to change \(sequence)); replaying the journals after it"
        case .startedFrom(true, let sequence): return "snapshot is damaged or missing; starting from snapshot.bak (up to change \(sequence))"
        case .replayed(let file, let from, let to): return "\(file): replayed changes \(from)–\(to)" + (to < from ? " (none new)" : "")
        case .skippedUnreadable(let file): return "\(file): unreadable or missing, skipped"
        case .stoppedAtGap(let file, let change, let after): return "\(file): change \(change) does not follow \(after); stopped there"
        case .droppedDamage(let file, let bytes, let error): return "\(file): dropped \(bytes) bytes from the damage onwards: \(error)"
        case .cutUnfinishedRecord(let file, let offset): return "\(file): cut an unfinished record at byte \(offset)"
        case .keptDamagedFile(let file, let kept): return "kept the old \(file) as \(kept)"
        case .lostEvents(let file, let offset, let reason):
            return "\(file): left out the damaged events record at byte \(offset) (\(reason)); those log entries are lost, the fleet is not"
        case .rebuilt(let sequence, let tasks, let events): return "rebuilt the store at change \(sequence): \(tasks) tasks, \(events) events"
        }
    }
}
