public import Foundation
public import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Validates `mutation` against the latest stored state and makes it durable.
    ///
    /// Inside the exclusive lock: catch up with other writers, check that the resources are still as the writer
    /// saw them (`expecting`, empty for none), plan (a refusal throws and writes nothing), append one record,
    /// fdatasync, then apply. Returns only once the change survives a crash.
    @discardableResult
    public func mutate(_ mutation: Mutation, context: MutationContext, expecting: [ResourceVersion] = []) throws -> Commit {
        guard !options.readOnly else { throw StoreError.readOnly(path: directory) }
        guard !unusable else { throw StoreError.unusable(path: directory) }
        return try lock.withLock(exclusive: true) {
            try catchUpForWrite()
            let moved = ResourceVersion.moved(expecting, in: state)
            if let first = moved.first {
                throw MutationError.changedMeanwhile(taskID: first.taskID, resourceIDs: moved.map(\.resourceID))
            }
            try checkOwnerOnly(mutation)
            let plan = try state.plan(mutation, context: context)
            let batch = JournalBatch(sequence: sequence + 1, time: context.now, actor: context.actor, changes: plan.changes, events: plan.events)
            try append(batch)
            if journalEnd >= options.compactionThreshold {
                do {
                    try compactLocked(now: context.now)
                } catch {
                    // The mutation is already durable; a failed compaction only leaves a longer journal.
                    warnings.append("compaction after change \(batch.sequence) failed: \(error); the journal keeps growing until it succeeds")
                }
            }
            return Commit(sequence: batch.sequence, batch: batch)
        }
    }

    /// Refuses a change that gives the engine a program to run unless this process is the store's owner (or
    /// root): on a team store, its members may do everything else.
    private func checkOwnerOnly(_ mutation: Mutation) throws {
        guard let reason = mutation.programsItRuns(comparedTo: state) else { return }
        var info = stat()
        guard stat(directory, &info) == 0 else { throw FileIO.fail("inspecting", directory) }
        guard geteuid() != info.st_uid && geteuid() != 0 else { return }
        let owner = getpwuid(info.st_uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(info.st_uid)"
        throw StoreError.ownerOnly(path: directory, owner: owner, reason: reason)
    }

    /// Folds the journal into a new snapshot now.
    public func compact(now: Date = Date()) throws {
        guard !options.readOnly else { throw StoreError.readOnly(path: directory) }
        try lock.withLock(exclusive: true) {
            try catchUpForWrite()
            try compactLocked(now: now)
        }
    }

    /// Rereads whatever other writers appended, or everything if another writer replaced the journal.
    func catchUpForWrite() throws {
        if FileIO.identity(layout.journal)?.inode != journalInode {
            try reload()
        } else {
            try readNewRecords(cutTornTail: true)
        }
    }

    private func append(_ batch: JournalBatch) throws {
        let record = JournalFile.record(batch)
        let offset = journalEnd
        do {
            try FileIO.writeAll(fd: journalFD, path: layout.journal, record, at: offset)
            if let size = FileIO.identity(fd: journalFD)?.size, size > offset + record.count {
                try FileIO.truncate(fd: journalFD, path: layout.journal, to: offset + record.count)
            }
        } catch {
            try? FileIO.truncate(fd: journalFD, path: layout.journal, to: offset)
            throw error
        }
        do {
            try FileIO.syncData(fd: journalFD, path: layout.journal)
        } catch {
            // Never retry: the kernel may already have dropped the pages it could not write. Remove the
            // record so no reader takes it for acknowledged, and refuse further writes through this handle.
            try? FileIO.truncate(fd: journalFD, path: layout.journal, to: offset)
            unusable = true
            throw error
        }
        state.commit(batch.changes, events: batch.events)
        sequence = batch.sequence
        journalEnd = offset + record.count
        undelivered.append(batch)
    }

    /// Writes a new snapshot of `state` and an empty journal, keeping the previous pair as the backup.
    /// Each step leaves a store that opens to the same state, whatever instant a crash strikes.
    func compactLocked(now: Date) throws {
        do {
            try replaceFiles(now: now)
            bulkFreed = true
        } catch {
            // A full disk is the likely cause: do not leave a snapshot-sized temp file behind to make it fuller.
            for temp in layout.temporaryFiles { try? FileIO.unlinkIfPresent(temp) }
            throw error
        }
    }

    private func replaceFiles(now: Date) throws {
        // Events first: the snapshot must never name bytes that are not yet durable.
        let (reference, archive) = try EventFile.forSnapshot(of: state, current: snapshotEventFile, fresh: false, layout: layout, now: now)
        let snapshotBytes = SnapshotFile.encode(state, sequence: sequence, now: now, eventFile: reference)
        try layout.replacePair(snapshot: snapshotBytes, journal: JournalFile.header(baseSequence: sequence, now: now)) {
            // The backup is the pair being replaced: together they hold exactly the state the new snapshot holds.
            try linkReplacing(layout.snapshot, as: layout.snapshotBackup)
            try linkReplacing(layout.journal, as: layout.journalBackup)
        }
        // The log now lives on disk up to here: memory keeps none of it.
        state.replaceLog(with: EventLog(archive: archive))
        // The backup snapshot names the file the replaced one did; any other is garbage.
        EventFile.removeUnreferenced(in: layout, keeping: Set([reference.id] + (snapshotEventFile.map { [$0] } ?? [])))
        snapshotEventFile = reference.id
        let fd = try FileIO.open(layout.journal, O_RDWR)
        close(journalFD)
        journalFD = fd
        journalInode = FileIO.identity(fd: fd)?.inode ?? 0
        journalEnd = FileHeader.size
    }

    /// Makes `backup` a second name of `path`'s current file, atomically replacing any older backup.
    private func linkReplacing(_ path: String, as backup: String) throws {
        let temp = backup + ".tmp"
        try FileIO.unlinkIfPresent(temp)
        try FileIO.link(path, as: temp)
        try FileIO.rename(temp, backup)
    }
}

extension Store {
    /// Replaces everything in the store with `newState` (used by `pitstop demo --force`). Written like a
    /// compaction, so the previous contents stay in the backup and every reader reloads.
    public func replaceAll(with newState: FleetState, now: Date = Date()) throws {
        guard !options.readOnly else { throw StoreError.readOnly(path: directory) }
        guard !unusable else { throw StoreError.unusable(path: directory) }
        try lock.withLock(exclusive: true) {
            try catchUpForWrite()
            state = newState
            sequence += 1
            try compactLocked(now: now)
            reloadUndelivered = true
        }
    }
}
