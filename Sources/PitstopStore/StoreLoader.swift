package import Foundation
package import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads a snapshot and the journal that follows it into one state, checking that no change is missing.
package struct StoreLoader {
    let layout: StoreLayout

    struct Loaded {
        var state: FleetState
        var sequence: UInt64
        var journalFD: Int32
        var journalInode: UInt64
        var journalEnd: Int
        /// Where an unfinished record at the end of the journal starts, if there is one.
        var incompleteAt: Int?
        /// The event file the snapshot names (nil for a format-1 snapshot, whose events are inline).
        var eventFile: UInt64? { (state.events.archive as? StoredEventArchive)?.reference.id }
    }

    /// Loads everything; the caller holds the lock (shared or exclusive). `writable` opens the journal for writing.
    /// Unless `verifyAll`, tasks decode when first read and sealed event records are checked when read
    /// (`SnapshotFile.decodeReporting(path:salvage:lazily:)`); with it, everything is decoded and checked now.
    func load(writable: Bool, verifyAll: Bool = false) throws -> Loaded {
        let (state, sequence) = try SnapshotFile.decode(path: layout.snapshot, lazily: !verifyAll)
        let fd = try FileIO.open(layout.journal, writable ? O_RDWR : O_RDONLY)
        do {
            var loaded = Loaded(state: state, sequence: sequence, journalFD: fd, journalInode: FileIO.identity(fd: fd)?.inode ?? 0, journalEnd: 0)
            let bytes = try FileIO.readAll(fd: fd, path: layout.journal, from: 0)
            let (header, scan) = try JournalFile.read(bytes, path: layout.journal)
            guard header.sequence <= sequence else {
                throw StoreError.corrupt(
                    path: layout.journal, offset: 0,
                    reason: "the journal starts after change \(header.sequence) but the snapshot ends at \(sequence): changes in between are missing")
            }
            if let damage = scan.damage { throw damage }
            try Self.replay(scan.batches, onto: &loaded.state, sequence: &loaded.sequence, path: layout.journal)
            loaded.journalEnd = scan.validEnd
            loaded.incompleteAt = scan.incompleteAt
            return loaded
        } catch {
            close(fd)
            throw error
        }
    }

    /// Applies batches that follow `sequence`, skipping those already in the snapshot; a gap is corruption.
    package static func replay(_ batches: [JournalBatch], onto state: inout FleetState, sequence: inout UInt64, path: String) throws(StoreError) {
        for batch in batches {
            if batch.sequence <= sequence { continue }
            guard batch.sequence == sequence + 1 else {
                throw .corrupt(path: path, offset: 0, reason: "change \(batch.sequence) follows change \(sequence): changes in between are missing")
            }
            state.commit(batch.changes, events: batch.events)
            sequence = batch.sequence
        }
    }
}
