import Foundation
import PitstopCore

/// What `pitstop store check` found: one line per file, and whether the store opens.
public struct StoreCheckReport: Sendable {
    /// One finding per file, e.g. "journal: 1,204 records, changes 1–1204, 88 KB".
    public var lines: [String] = []
    /// Problems that stop the store from opening.
    public var errors: [String] = []
    /// Problems that do not (an unfinished record at the end, a damaged backup).
    public var warnings: [String] = []
    public var isHealthy: Bool { errors.isEmpty }
}

/// Inspects a store without changing it.
public enum StoreCheck {
    public static func run(_ directory: String) throws -> StoreCheckReport {
        let layout = StoreLayout(directory: directory)
        guard FileIO.exists(layout.directory) else { throw StoreError.notFound(path: layout.directory) }
        let lock = try StoreLock(path: layout.lock, writable: false, timeout: 10)
        return try lock.withLock(exclusive: false) {
            var report = StoreCheckReport()
            let snapshot = inspectSnapshot(layout.snapshot, into: &report, required: true)
            inspectJournal(layout.journal, into: &report, required: true)
            let backup = inspectSnapshot(layout.snapshotBackup, into: &report, required: false)
            inspectJournal(layout.journalBackup, into: &report, required: false)
            if snapshot != nil {
                do {
                    let loaded = try StoreLoader(layout: layout).load(writable: false)
                    close(loaded.journalFD)
                    report.lines.append("store: opens at change \(loaded.sequence) with \(loaded.state.tasks.count) tasks and \(loaded.state.events.count) events")
                } catch {
                    report.errors.append("\(error)")
                }
            }
            if !report.isHealthy {
                report.lines.append(backup == nil ? "no usable backup snapshot: `store recover` can only salvage what is readable" : "`pitstop store recover` can rebuild from the backup snapshot and the journals")
            }
            return report
        }
    }

    private static func size(_ path: String) -> String {
        let bytes = FileIO.identity(path)?.size ?? 0
        return bytes < 10_240 ? "\(bytes) B" : bytes < 10 << 20 ? "\(bytes >> 10) KB" : "\(bytes >> 20) MB"
    }

    @discardableResult
    static func inspectSnapshot(_ path: String, into report: inout StoreCheckReport, required: Bool) -> UInt64? {
        let name = (path as NSString).lastPathComponent
        guard FileIO.exists(path) else {
            if required { report.errors.append("\(path) is missing") } else { report.lines.append("\(name): none") }
            return nil
        }
        do {
            let (state, sequence) = try SnapshotFile.decode(path: path)
            report.lines.append("\(name): ok, up to change \(sequence), \(state.tasks.count) tasks, \(state.events.count) events, \(size(path))")
            return sequence
        } catch {
            if required { report.errors.append("\(error)") } else { report.warnings.append("backup: \(error)") }
            return nil
        }
    }

    static func inspectJournal(_ path: String, into report: inout StoreCheckReport, required: Bool) {
        let name = (path as NSString).lastPathComponent
        guard FileIO.exists(path) else {
            if required { report.errors.append("\(path) is missing") } else { report.lines.append("\(name): none") }
            return
        }
        do {
            let bytes = try FileIO.readAll(path)
            let (header, scan) = try JournalFile.read(bytes, path: path)
            let range = scan.batches.isEmpty ? "no changes" : "changes \(scan.batches.first!.sequence)–\(scan.batches.last!.sequence)"
            report.lines.append("\(name): \(scan.batches.count) records after change \(header.sequence), \(range), \(size(path))")
            if let torn = scan.incompleteAt {
                report.warnings.append("\(path) ends with an unfinished record at byte \(torn); the next writer cuts it off")
            }
            if let damage = scan.damage {
                if required { report.errors.append("\(damage)") } else { report.warnings.append("backup: \(damage)") }
            }
        } catch {
            if required { report.errors.append("\(error)") } else { report.warnings.append("backup: \(error)") }
        }
    }
}
