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
            if let loaded = try? StoreLoader(layout: layout).load(writable: false, verifyAll: true) {
                close(loaded.journalFD)
                report.sequence = loaded.sequence
                report.steps.append(.alreadyHealthy(sequence: loaded.sequence))
                return report
            }
            let (state, sequence, damagedEvents) = try rebuild(layout, report: &report)
            // The log goes to a new event file: the one the damaged snapshot names is left as it is.
            let (reference, archive) = try EventFile.forSnapshot(of: state, current: nil, fresh: true, layout: layout, now: now)
            // Written like a compaction, so that a crash at any step leaves either the damaged store as it was
            // (recover again) or the rebuilt snapshot, whose changes the old journal can only repeat.
            let snapshotBytes = SnapshotFile.encode(state, sequence: sequence, now: now, eventFile: reference, eventChunks: archive.chunks)
            try layout.replacePair(snapshot: snapshotBytes, journal: JournalFile.header(baseSequence: sequence, now: now)) {
                let stamp = Int(now.timeIntervalSince1970)
                for path in [layout.snapshot, layout.journal] + damagedEvents where FileIO.exists(path) {
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

    /// The state the journals lead to from the best snapshot, and a damaged event file to keep aside.
    ///
    /// The snapshot when it opens; else the backup, or the snapshot read without its damaged event records,
    /// whichever reaches the later change with the journals (the backup and the journals hold every change
    /// since the backup, so when they reach as far they lose nothing; when they do not, as after a fleet was
    /// replaced, the salvaged snapshot keeps the fleet and loses only the damaged part of its log).
    private static func rebuild(_ layout: StoreLayout, report: inout StoreRecoveryReport) throws -> (FleetState, UInt64, [String]) {
        typealias Candidate = (state: FleetState, sequence: UInt64, steps: [StoreRecoveryReport.Step], damaged: [String])
        func replayed(_ path: String, fromBackup: Bool, salvage: Bool) -> Candidate? {
            guard let decoded = try? SnapshotFile.decodeReporting(path: path, salvage: salvage) else { return nil }
            var state = decoded.state
            var sequence = decoded.sequence
            let lost = decoded.lostEvents
            var steps = StoreRecoveryReport()
            steps.steps.append(.startedFrom(fromBackup: fromBackup, sequence: sequence))
            let eventFile = (state.events.archive as? StoredEventArchive)?.path
            for damage in lost {
                steps.steps.append(.lostEvents(file: (eventFile.map { ($0 as NSString).lastPathComponent }) ?? "events", offset: damage.offset, reason: damage.reason))
            }
            // The backup journal too: if the snapshot's replacement never reached the disk (a rename lost in a
            // power cut), the changes between this older snapshot and the new journal are only there.
            for journal in [layout.journalBackup, layout.journal] {
                replayReadable(journal, onto: &state, sequence: &sequence, report: &steps)
            }
            return (state, sequence, steps.steps, lost.isEmpty ? [] : eventFile.map { [$0] } ?? [])
        }
        var chosen = replayed(layout.snapshot, fromBackup: false, salvage: false)
        if chosen == nil {
            let backup = replayed(layout.snapshotBackup, fromBackup: true, salvage: false)
            let salvaged = replayed(layout.snapshot, fromBackup: false, salvage: true)
            chosen = [backup, salvaged].compactMap { $0 }.max { $0.sequence < $1.sequence }
                ?? replayed(layout.snapshotBackup, fromBackup: true, salvage: true)
        }
        guard let chosen else {
            throw StoreError.corrupt(path: layout.snapshot, offset: 0, reason: "neither the snapshot nor its backup is readable, so there is nothing to rebuild from")
        }
        report.steps.append(contentsOf: chosen.steps)
        return (chosen.state, chosen.sequence, chosen.damaged)
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
