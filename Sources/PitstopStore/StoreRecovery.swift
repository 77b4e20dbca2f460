public import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// Rebuilds a damaged store from the newest readable snapshot and every readable journal record after it.
/// Damaged files are kept beside the store with a `.damaged-TIME` suffix, never deleted.
public enum StoreRecovery {
    /// Rebuilds the store under an exclusive lock when it does not open, and says what it did.
    public static func run(_ directory: String, now: Date = Date()) throws -> StoreRecoveryReport {
        let layout = StoreLayout(directory: directory)
        guard FileIO.exists(layout.directory) else { throw StoreError.notFound(path: layout.directory) }
        let lock = try StoreLock(path: layout.lock, writable: true, timeout: 10)
        return try lock.withLock(exclusive: true) {
            var report = StoreRecoveryReport()
            if let loaded = try? StoreLoader(layout: layout).load(writable: false) {
                close(loaded.journalFD)
                report.sequence = loaded.sequence
                report.steps.append(.alreadyHealthy(sequence: loaded.sequence))
                return report
            }
            var (state, sequence, chain) = try base(layout, report: &report)
            for journal in chain {
                replayReadable(journal, onto: &state, sequence: &sequence, report: &report)
            }
            // Written like a compaction, so that a crash at any step leaves either the damaged store as it was
            // (recover again) or the rebuilt snapshot, whose changes the old journal can only repeat.
            let snapshotBytes = SnapshotFile.encode(state, sequence: sequence, now: now)
            try layout.replacePair(snapshot: snapshotBytes, journal: JournalFile.header(baseSequence: sequence, now: now)) {
                let stamp = Int(now.timeIntervalSince1970)
                for path in [layout.snapshot, layout.journal] where FileIO.exists(path) {
                    let kept = (0...).lazy.map { "\(path).damaged-\(stamp)" + ($0 == 0 ? "" : "-\($0)") }.first { !FileIO.exists($0) }!
                    try FileIO.link(path, as: kept)
                    report.steps.append(.keptDamagedFile(file: (path as NSString).lastPathComponent, as: kept))
                }
            }
            report.sequence = sequence
            report.rebuilt = true
            report.steps.append(.rebuilt(sequence: sequence, tasks: state.tasks.count, events: state.events.count))
            return report
        }
    }

    /// The snapshot to start from and the journals to replay after it, oldest first.
    private static func base(_ layout: StoreLayout, report: inout StoreRecoveryReport) throws -> (FleetState, UInt64, [String]) {
        if let primary = try? SnapshotFile.decode(path: layout.snapshot) {
            // The backup journal too: if the snapshot's replacement never reached the disk (a rename lost in a
            // power cut), the changes between this older snapshot and the new journal are only there.
            report.steps.append(.startedFrom(fromBackup: false, sequence: primary.sequence))
            return (primary.state, primary.sequence, [layout.journalBackup, layout.journal])
        }
        if let backup = try? SnapshotFile.decode(path: layout.snapshotBackup) {
            report.steps.append(.startedFrom(fromBackup: true, sequence: backup.sequence))
            return (backup.state, backup.sequence, [layout.journalBackup, layout.journal])
        }
        throw StoreError.corrupt(path: layout.snapshot, offset: 0, reason: "neither the snapshot nor its backup is readable, so there is nothing to rebuild from")
    }

    private static func replayReadable(_ path: String, onto state: inout FleetState, sequence: inout UInt64, report: inout StoreRecoveryReport) {
        let name = (path as NSString).lastPathComponent
        guard let bytes = try? FileIO.readAll(path), let (_, scan) = try? JournalFile.read(bytes, path: path) else {
            report.steps.append(.skippedUnreadable(file: name))
            return
        }
        let before = sequence
        for batch in scan.batches {
            if batch.sequence <= sequence { continue }
            guard batch.sequence == sequence + 1 else {
                report.steps.append(.stoppedAtGap(file: name, change: batch.sequence, after: sequence))
                break
            }
            state.commit(batch.changes, events: batch.events)
            sequence = batch.sequence
        }
        report.steps.append(.replayed(file: name, from: before + 1, to: sequence))
        if let damage = scan.damage {
            report.steps.append(.droppedDamage(file: name, bytes: bytes.count - scan.validEnd, damage))
        } else if let torn = scan.incompleteAt {
            report.steps.append(.cutUnfinishedRecord(file: name, offset: torn))
        }
    }
}
