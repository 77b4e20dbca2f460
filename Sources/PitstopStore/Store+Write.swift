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
    /// fdatasync, then apply. Returns only once the change survives a crash. On a store bound to a replica,
    /// `fence` makes the write valid only while its writer holds what it names (an engine's leadership).
    @discardableResult
    public func mutate(_ mutation: Mutation, context: MutationContext, expecting: [ResourceVersion] = [],
                       fence: (any StoreFence)? = nil) throws -> Commit {
        guard !options.readOnly else { throw StoreError.readOnly(path: directory) }
        guard !unusable else { throw StoreError.unusable(path: directory) }
        return try lock.withLock(exclusive: true) {
            try catchUpForWrite()
            let moved = ResourceVersion.moved(expecting, in: state)
            if let first = moved.first {
                throw MutationError.changedMeanwhile(taskID: first.taskID, resourceIDs: moved.map(\.resourceID))
            }
            let key = try sealingKey(for: mutation)
            let batch: JournalBatch
            if let replica {
                batch = try commitToReplica(replica, mutation, context: context, expecting: expecting, fence: fence, key: key)
            } else {
                let plan = sealing(try state.plan(mutation, context: context), of: mutation, with: key)
                batch = JournalBatch(sequence: sequence + 1, time: context.now, actor: context.actor, changes: plan.changes, events: plan.events)
                try append(batch)
            }
            if journalEnd >= options.compactionThreshold, mayReplaceFiles {
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

    /// How many times a writer to a replica plans again after another writer took its number.
    static let replicaAttempts = 50

    /// Validates against the latest records of the fleet and commits to the replica: a lost race (another
    /// writer took the number) brings this copy up to date and plans again, so a mutation is always validated
    /// against the state it is committed on. Acknowledged once the replica took it; then the local copy.
    private func commitToReplica(_ replica: any StoreReplica, _ mutation: Mutation, context: MutationContext,
                                 expecting: [ResourceVersion], fence: (any StoreFence)?, key: OwnerKey?) throws -> JournalBatch {
        try pullFromReplica()
        for _ in 0..<Self.replicaAttempts {
            let moved = ResourceVersion.moved(expecting, in: state)
            if let first = moved.first {
                throw MutationError.changedMeanwhile(taskID: first.taskID, resourceIDs: moved.map(\.resourceID))
            }
            let plan = sealing(try state.plan(mutation, context: context), of: mutation, with: key)
            let batch = JournalBatch(sequence: sequence + 1, time: context.now, actor: context.actor, changes: plan.changes, events: plan.events)
            if try replica.commit(JournalFile.record(batch), sequence: batch.sequence, fence: fence, changes: batch.changes) {
                do {
                    try append(batch)
                } catch {
                    // Committed in etcd, so acknowledged. This handle's files now lack it: it writes no more to
                    // them (a later record after the gap would damage the copy), and the next open takes the
                    // change from etcd again.
                    state.commit(batch.changes, events: batch.events)
                    sequence = batch.sequence
                    undelivered.append(batch)
                    unusable = true
                    warnings.append("change \(batch.sequence) is in the fleet, but this host's copy could not keep it (\(error)); the next open copies it again")
                }
                return batch
            }
            try pullFromReplica()
        }
        throw StoreError.replicaBusy(path: directory, attempts: Self.replicaAttempts)
    }

    /// Appends the replica's records after this copy's last one to the local journal (one fsync) and applies
    /// them; the caller holds the exclusive lock. A read-only handle (`persist` false) applies them in memory
    /// only: what it shows is the fleet's latest, and the files are left to a writer.
    func pullFromReplica(persist: Bool = true) throws {
        guard let replica else { return }
        while true {
            let records: [[UInt8]]
            do {
                records = try replica.records(after: sequence, limit: 500)
            } catch StoreError.replicaTrimmed {
                try startFromReplicaSnapshot(replica, persist: persist)
                continue
            }
            guard !records.isEmpty else { return }
            let bytes = records.flatMap { $0 }
            let scan = JournalFile.scan(bytes, base: 0, path: "the fleet's log")
            if let damage = scan.damage { throw damage }
            guard scan.incompleteAt == nil, scan.batches.count == records.count else {
                throw StoreError.replicaGap(path: directory, reason: "a record after \(sequence) could not be read whole")
            }
            for (offset, batch) in scan.batches.enumerated() where batch.sequence != sequence + UInt64(offset) + 1 {
                throw StoreError.replicaGap(path: directory, reason: "record \(batch.sequence) came where \(sequence + UInt64(offset) + 1) was due")
            }
            if persist {
                let offset = journalEnd
                do {
                    try FileIO.writeAll(fd: journalFD, path: layout.journal, bytes, at: offset)
                    try FileIO.syncData(fd: journalFD, path: layout.journal)
                } catch {
                    try? FileIO.truncate(fd: journalFD, path: layout.journal, to: offset)
                    throw error
                }
                journalEnd = offset + bytes.count
            }
            var applied = sequence
            try StoreLoader.replay(scan.batches, onto: &state, sequence: &applied, path: layout.journal)
            sequence = applied
            undelivered.append(contentsOf: scan.batches)
            if records.count < 500 { return }
        }
    }

    /// A copy whose next record the replica trimmed starts again from the replica's snapshot: the state as of
    /// its change, written as this copy's snapshot (a read-only handle takes it in memory only).
    private func startFromReplicaSnapshot(_ replica: any StoreReplica, persist: Bool) throws {
        guard let (snapshotSequence, bytes) = try replica.latestSnapshot(), snapshotSequence > sequence else {
            throw StoreError.replicaGap(path: directory, reason: "change \(sequence + 1) is trimmed and no later snapshot is kept")
        }
        let (decoded, decodedSequence) = try SnapshotFile.decode(bytes, path: "the fleet's snapshot")
        guard decodedSequence == snapshotSequence else {
            throw StoreError.replicaGap(path: directory, reason: "the fleet's snapshot says change \(decodedSequence), its key \(snapshotSequence)")
        }
        state = decoded
        sequence = snapshotSequence
        bulkFreed = true
        if persist { try compactLocked(now: Date()) }
        undelivered.removeAll()
        reloadUndelivered = true
    }

    /// The leader's housekeeping of a fleet in a replica: once `every` changes followed the replica's last
    /// snapshot, publishes one of the fleet as of now and trims the records up to `keep` changes before it.
    /// Returns whether it published.
    @discardableResult
    public func trimReplica(every: UInt64, keep: UInt64, now: Date = Date()) throws -> Bool {
        guard let replica, !options.readOnly else { return false }
        return try lock.withLock(exclusive: true) {
            try catchUpForWrite()
            try pullFromReplica()
            guard sequence >= every, sequence - (try replica.latestSnapshotSequence()) >= every else { return false }
            let bytes = SnapshotFile.encode(state, sequence: sequence, now: now)
            try replica.publish(snapshot: bytes, sequence: sequence, trimThrough: sequence > keep ? sequence - keep : 0)
            return true
        }
    }

    /// Whether this process may replace the store's files: not a member of a team store (its sticky directory
    /// keeps the owner's files the owner's; the owner's engine compacts it as it writes).
    var mayReplaceFiles: Bool {
        StoreSharing.of(directory: directory).mayReplaceFiles(owner: (try? OwnerKey.storeOwner(directory)) ?? 0)
    }

    /// Folds the journal into a new snapshot now.
    public func compact(now: Date = Date()) throws {
        guard !options.readOnly else { throw StoreError.readOnly(path: directory) }
        guard mayReplaceFiles else {
            throw StoreError.notWritable(path: directory, reason: "only its owner compacts a team store (a compaction replaces the owner's files, which the sticky directory keeps from members); the owner's engine compacts it as it writes")
        }
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
        let snapshotBytes = SnapshotFile.encode(state, sequence: sequence, now: now, eventFile: reference, eventChunks: archive.chunks)
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
        // A fleet kept in a replica changes only through it, one mutation at a time.
        guard replica == nil else { throw StoreError.notWritable(path: directory, reason: "its fleet is kept in etcd; it is never replaced whole (make a store of its own for a demo)") }
        guard mayReplaceFiles else { throw StoreError.notWritable(path: directory, reason: "only its owner replaces a team store's contents") }
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
