public import Foundation
public import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// Removes the files of old attempts: records (and cancel requests) in `attempts/`, outputs in `outputs/`, last
/// modified before a cutoff. Never a record whose supervisor still holds it, nor the files of an attempt named
/// in `keeping` (the current attempts of in-progress resources).
public enum AttemptRetention {
    /// Applies the policy's `outputRetention` to a store's attempts and rehearsals at `now`, keeping those still
    /// in progress.
    /// Returns how many files were removed.
    @discardableResult
    public static func prune(storeDirectory: String, state: FleetState, now: Date) -> Int {
        var running = Set<UInt64>()
        for task in state.tasks {
            let resources = task.resources
            for index in resources.indices where resources[index].status == .inProgress {
                if let id = resources[index].attemptID { running.insert(id) }
            }
        }
        let cutoff = now.addingTimeInterval(-state.policy.outputRetention)
        // Rehearsals age out alike; one still running keeps its files by its record's lock.
        return prune(AttemptFiles(storeDirectory: storeDirectory), olderThan: cutoff, keeping: running)
            + prune(.rehearsals(storeDirectory: storeDirectory), olderThan: cutoff, keeping: [])
    }

    /// Returns how many files were removed.
    @discardableResult
    public static func prune(_ files: AttemptFiles, olderThan cutoff: Date, keeping: Set<UInt64>) -> Int {
        var removed = 0
        let limit = cutoff.timeIntervalSince1970
        func attemptID(_ name: String, suffixes: [String]) -> UInt64? {
            for suffix in suffixes where name.hasSuffix(suffix) { return UInt64(name.dropLast(suffix.count)) }
            return nil
        }
        func old(_ path: String) -> Bool {
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
            return Double(info.st_mtim.tv_sec) < limit
        }
        let records = (try? FileManager.default.contentsOfDirectory(atPath: files.attemptsDirectory)) ?? []
        for name in records {
            guard let id = attemptID(name, suffixes: [".attempt.cancel", ".attempt"]), !keeping.contains(id) else { continue }
            let path = files.attemptsDirectory + "/" + name
            guard old(path), !(name.hasSuffix(".attempt") && AttemptFiles.isLocked(path)) else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        let outputs = (try? FileManager.default.contentsOfDirectory(atPath: files.outputsDirectory)) ?? []
        for name in outputs {
            guard let id = attemptID(name, suffixes: [".log"]), !keeping.contains(id) else { continue }
            let path = files.outputsDirectory + "/" + name
            guard old(path), !AttemptFiles.isLocked(files.record(id)) else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }
}
