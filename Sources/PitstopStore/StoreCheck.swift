import Foundation
import PitstopCore

/// Inspects a store without changing it.
public enum StoreCheck {
    /// Reads every file of the store under a shared lock and says what it found.
    public static func run(_ directory: String) throws -> StoreCheckReport {
        let layout = StoreLayout(directory: directory)
        guard FileIO.exists(layout.directory) else { throw StoreError.notFound(path: layout.directory) }
        let lock = try StoreLock(path: layout.lock, writable: false, timeout: 10)
        return try lock.withLock(exclusive: false) {
            var report = StoreCheckReport()
            let snapshot = inspectSnapshot(.snapshot, layout.snapshot, into: &report)
            inspectJournal(.journal, layout.journal, into: &report)
            report.backupSnapshotReadable = inspectSnapshot(.snapshotBackup, layout.snapshotBackup, into: &report) != nil
            inspectJournal(.journalBackup, layout.journalBackup, into: &report)
            if snapshot != nil {
                do {
                    let loaded = try StoreLoader(layout: layout).load(writable: false)
                    close(loaded.journalFD)
                    report.findings.append(.opens(sequence: loaded.sequence, tasks: loaded.state.tasks.count, events: loaded.state.events.count))
                    report.untrusted = SealVerdict.untrusted(in: loaded.state, storeDirectory: directory)
                } catch {
                    report.errors.append(.damaged(.journal, error as? StoreError ?? .corrupt(path: layout.journal, offset: 0, reason: "\(error)")))
                }
            }
            return report
        }
    }

    private static func size(_ path: String) -> Int { Int(FileIO.identity(path)?.size ?? 0) }

    /// A problem is an error for the primary pair and a warning for a backup.
    private static func record(_ problem: StoreCheckReport.Problem, _ file: StoreCheckReport.File, into report: inout StoreCheckReport) {
        if file.isBackup { report.warnings.append(problem) } else { report.errors.append(problem) }
    }

    private static func damage(_ error: any Error, _ path: String) -> StoreError {
        error as? StoreError ?? .corrupt(path: path, offset: 0, reason: "\(error)")
    }

    @discardableResult
    static func inspectSnapshot(_ file: StoreCheckReport.File, _ path: String, into report: inout StoreCheckReport) -> UInt64? {
        guard FileIO.exists(path) else {
            if file.isBackup { report.findings.append(.absent(file)) } else { report.errors.append(.missing(file, path: path)) }
            return nil
        }
        do {
            let (state, sequence) = try SnapshotFile.decode(path: path)
            // Decoding it checked every record of the event file it names, up to where its log ends.
            let eventFile = (state.events.archive as? StoredEventArchive).map { ($0.path as NSString).lastPathComponent }
            report.findings.append(.snapshot(file, sequence: sequence, tasks: state.tasks.count, events: state.events.count, bytes: size(path), eventFile: eventFile))
            return sequence
        } catch {
            record(.damaged(file, damage(error, path)), file, into: &report)
            return nil
        }
    }

    static func inspectJournal(_ file: StoreCheckReport.File, _ path: String, into report: inout StoreCheckReport) {
        guard FileIO.exists(path) else {
            if file.isBackup { report.findings.append(.absent(file)) } else { report.errors.append(.missing(file, path: path)) }
            return
        }
        do {
            let (header, scan) = try JournalFile.read(try FileIO.readAll(path), path: path)
            report.findings.append(.journal(
                file, records: scan.batches.count, after: header.sequence, first: scan.batches.first?.sequence, last: scan.batches.last?.sequence,
                bytes: size(path)))
            if let torn = scan.incompleteAt { report.warnings.append(.unfinishedRecord(file, path: path, offset: torn)) }
            if let damage = scan.damage { record(.damaged(file, damage), file, into: &report) }
        } catch {
            record(.damaged(file, damage(error, path)), file, into: &report)
        }
    }
}
