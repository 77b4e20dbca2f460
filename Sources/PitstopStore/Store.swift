public import Foundation
public import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// A handle on a store directory: the latest state, durable writes, and the change feed.
///
/// Concurrency: a handle belongs to one serial loop (it is not `Sendable`). Several handles, in one process or
/// many, share a store safely: writes serialize on the lock file and each mutation is validated against the
/// latest state inside the lock; readers follow the journal with `poll()`.
public final class Store {
    /// Where its files are.
    public let layout: StoreLayout
    /// How it was opened.
    public let options: StoreOptions
    /// The state as of `sequence`.
    public internal(set) var state: FleetState
    /// The last change applied to `state`.
    public internal(set) var sequence: UInt64
    /// Things a person should know that did not stop the store from opening (a torn tail cut, loose permissions).
    public internal(set) var warnings: [String] = []

    let lock: StoreLock
    var journalFD: Int32
    var journalInode: UInt64
    /// File offset just past the last whole record read or written.
    var journalEnd: Int
    /// Batches applied by a writer's catch-up or commit but not yet handed out by `poll()`.
    var undelivered: [JournalBatch] = []
    /// A writer's catch-up reloaded everything; the next `poll()` says so.
    var reloadUndelivered = false
    /// Set by a failed fsync: the handle writes no more.
    var unusable = false
    /// A whole state was dropped or rewritten since `returnFreedMemory()` last ran.
    var bulkFreed = false
    /// The event file the snapshot on disk names, as of the last load or compaction (nil: none, format 1).
    var snapshotEventFile: UInt64?
    /// Where the fleet's changes are agreed when the store is bound to one (etcd): this directory is then the
    /// host's copy (SPEC §18).
    public internal(set) var replica: (any StoreReplica)?

    /// The store directory.
    public var directory: String { layout.directory }

    private init(layout: StoreLayout, options: StoreOptions, lock: StoreLock, loaded: StoreLoader.Loaded) {
        self.layout = layout
        self.options = options
        self.lock = lock
        self.state = loaded.state
        self.sequence = loaded.sequence
        self.journalFD = loaded.journalFD
        self.journalInode = loaded.journalInode
        self.journalEnd = loaded.journalEnd
        self.snapshotEventFile = loaded.eventFile
    }

    deinit { close(journalFD) }

    /// Opens (and, unless read-only or told not to, creates) the store in `directory`.
    public static func open(_ directory: String, options: StoreOptions = StoreOptions()) throws -> Store {
        let layout = StoreLayout(directory: directory)
        var warnings: [String] = []
        let canCreate = options.create && !options.readOnly
        try prepareDirectory(layout.directory, create: canCreate, writer: !options.readOnly, warnings: &warnings)
        if options.readOnly && !FileIO.exists(layout.snapshot) && !FileIO.exists(layout.journal) {
            throw StoreError.notFound(path: layout.directory)
        }
        let lock = try StoreLock(path: layout.lock, writable: !options.readOnly, timeout: options.lockTimeout)
        let loaded: StoreLoader.Loaded = try lock.withLock(exclusive: !options.readOnly) {
            if !options.readOnly {
                // A team store's member may not remove the owner's leftovers (its directory is sticky).
                for temp in layout.temporaryFiles { try? FileIO.unlinkIfPresent(temp) }
                try initializeIfEmpty(layout, create: canCreate)
            }
            var loaded = try StoreLoader(layout: layout).load(writable: !options.readOnly)
            if let torn = loaded.incompleteAt {
                if options.readOnly {
                    warnings.append("\(layout.journal) ends with an unfinished record at byte \(torn); it is ignored (a writer will cut it)")
                } else {
                    try FileIO.truncate(fd: loaded.journalFD, path: layout.journal, to: loaded.journalEnd)
                    try FileIO.sync(fd: loaded.journalFD, path: layout.journal)
                    warnings.append("\(layout.journal) ended with an unfinished record at byte \(torn) (a write interrupted by a crash); it was cut off")
                    loaded.incompleteAt = nil
                }
            }
            return loaded
        }
        let store = Store(layout: layout, options: options, lock: lock, loaded: loaded)
        store.warnings = warnings
        if let binding = FileManager.default.contents(atPath: StoreReplicas.bindingPath(layout.directory)) {
            guard let opener = StoreReplicas.opener else { throw StoreError.noReplica(path: layout.directory) }
            store.replica = try opener(layout.directory, binding)
            // Without the replica the copy still opens, saying so: reading goes on, writing waits for it.
            store.followReplica()
            if let problem = store.replicaProblem { store.warnings.append("\(problem.message); showing this host's copy at change \(store.sequence)") }
        }
        return store
    }

    private static func prepareDirectory(_ path: String, create: Bool, writer: Bool, warnings: inout [String]) throws {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard create else { throw StoreError.notFound(path: path) }
            if let why = FileIO.makeDirectories(path) {
                throw StoreError.badDirectory(path: path, reason: "could not create the store directory: \(why)")
            }
            return
        }
        guard isDirectory.boolValue else { throw StoreError.badDirectory(path: path, reason: "exists and is not a directory") }
        if access(path, R_OK | X_OK) != 0 && errno == EACCES {
            var info = stat()
            _ = stat(path, &info)
            let mode = String(info.st_mode & 0o7777, radix: 8)
            throw StoreError.badDirectory(path: path, reason: "permission denied: user \(geteuid()) cannot read it (mode \(mode), owner \(info.st_uid))")
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let mode = String(info.st_mode & 0o7777, radix: 8)
        let sharing = StoreSharing.of(mode: info.st_mode, gid: info.st_gid)
        if writer && !sharing.admits(owner: info.st_uid) {
            let whose = sharing == .owner
                ? "a store is written only by its owner (or, for a team store made with `pitstop store init --group`, by its group)"
                : "it is a team store of group \(info.st_gid), and you are not a member (ask its owner: usermod -aG GROUP you, then log in again)"
            throw StoreError.notWritable(path: path, reason: "belongs to user \(info.st_uid), not to you (\(geteuid())); \(whose)")
        }
        if writer && info.st_mode & 0o002 != 0 {
            throw StoreError.badDirectory(path: path, reason: "users outside its owner and group can write into it (mode \(mode)) and could swap its files; run chmod o-rwx \(path)")
        }
        if writer && sharing == .owner && info.st_mode & 0o020 != 0 {
            throw StoreError.badDirectory(path: path, reason: "its group can write into it (mode \(mode)) but it is not a team store; run chmod 700 \(path), or chmod 3770 \(path) to share it with the group")
        }
        // A team store made before its directory was sticky: its owner makes it so (members could rename the
        // owner's files, such as its runbooks or seal key, out of the way).
        if writer, case .group = sharing, info.st_mode & S_ISVTX == 0, geteuid() == info.st_uid {
            _ = chmod(path, (info.st_mode & 0o7777) | S_ISVTX)
        }
        let foreign: mode_t = sharing == .owner ? 0o077 : 0o007
        if info.st_mode & foreign != 0 {
            let fix = sharing == .owner ? "chmod 700" : "chmod 3770"
            warnings.append("\(path) can be read by other users (mode \(mode)); run \(fix) \(path)")
        }
    }

    /// Writes an empty snapshot and journal into a directory that has neither.
    private static func initializeIfEmpty(_ layout: StoreLayout, create: Bool) throws {
        let hasSnapshot = FileIO.exists(layout.snapshot)
        let hasJournal = FileIO.exists(layout.journal)
        if hasSnapshot && hasJournal { return }
        let now = Date()
        if hasSnapshot && !FileIO.exists(layout.snapshotBackup), let fresh = try? SnapshotFile.decode(path: layout.snapshot),
            fresh.sequence == 0, fresh.state.tasks.isEmpty
        {
            // A creation interrupted between its two files: nothing was ever written, so finish it.
            try FileIO.replace(layout.journal, with: JournalFile.header(baseSequence: 0, now: now), directory: layout.directory)
            return
        }
        if hasSnapshot || hasJournal || FileIO.exists(layout.snapshotBackup) {
            let missing = hasSnapshot ? layout.journal : layout.snapshot
            throw StoreError.corrupt(path: missing, offset: 0, reason: "the file is missing while the rest of the store is there")
        }
        guard create else { throw StoreError.notFound(path: layout.directory) }
        try FileIO.replace(layout.snapshot, with: SnapshotFile.encode(FleetState(), sequence: 0, now: now), directory: layout.directory)
        try FileIO.replace(layout.journal, with: JournalFile.header(baseSequence: 0, now: now), directory: layout.directory)
    }

    /// Gives the memory a reload or a compaction freed back to the system, if one happened since the last
    /// call. For long-running loops, outside any timing that matters: it can take tens of milliseconds.
    public func returnFreedMemory() {
        guard bulkFreed else { return }
        bulkFreed = false
        ProcessMemory.trim()
    }

    /// Decodes every task the snapshot has not decoded yet, on two threads, and holds them as an array: what an
    /// engine does as it starts (it reads them all each tick). A console does it in the background instead.
    public func decodeAllTasks() {
        state.decodeAllTasks()
    }

    // MARK: Change feed

    /// Brings `state` up to date with what other handles wrote, reading only what is new.
    /// Returns what changed since the last poll, including this handle's own commits.
    public func poll() throws -> StoreUpdate {
        // A writable copy takes what the fleet's other hosts committed into its files; a read-only one into memory.
        if let replica, !unusable, replica.mayHaveRecords(after: sequence) { followReplica() }
        if FileIO.identity(layout.journal)?.inode != journalInode {
            try lock.withLock(exclusive: false) { try reload() }
        } else {
            try readNewRecords(cutTornTail: false)
        }
        // Tasks decoded meanwhile (on another thread, or by reads) are held as an array from now on.
        state.adoptDecodedTasks()
        if reloadUndelivered {
            reloadUndelivered = false
            undelivered.removeAll()
            return .reloaded
        }
        guard !undelivered.isEmpty else { return .unchanged }
        defer { undelivered.removeAll() }
        return .changes(undelivered)
    }

    /// Since when, and why, the replica cannot be read (nil: it can): what the console and watch show.
    public internal(set) var replicaProblem: (since: Date, message: String)?

    /// Takes the replica's new records (a writable copy into its files, a read-only one into memory), noting
    /// when that starts and stops failing instead of throwing: a copy that cannot reach the fleet still serves
    /// what it has.
    func followReplica() {
        do {
            if options.readOnly {
                try pullFromReplica(persist: false)
            } else {
                try lock.withLock(exclusive: true) {
                    try catchUpForWrite()
                    try pullFromReplica()
                }
            }
            replicaProblem = nil
        } catch {
            let message = (error as? any CustomStringConvertible)?.description ?? "\(error)"
            replicaProblem = (replicaProblem?.since ?? Date(), message)
        }
    }

    /// Reads records appended since `journalEnd` and applies them. A writer holding the lock passes
    /// `cutTornTail`, since then an unfinished record can only be a crashed writer's.
    func readNewRecords(cutTornTail: Bool) throws {
        let bytes = try FileIO.readAll(fd: journalFD, path: layout.journal, from: journalEnd)
        guard !bytes.isEmpty else { return }
        let scan = JournalFile.scan(bytes, base: journalEnd, path: layout.journal)
        if let damage = scan.damage { throw damage }
        var applied = sequence
        try StoreLoader.replay(scan.batches, onto: &state, sequence: &applied, path: layout.journal)
        undelivered.append(contentsOf: scan.batches.filter { $0.sequence > sequence })
        sequence = applied
        journalEnd = scan.validEnd
        if cutTornTail, let torn = scan.incompleteAt {
            warnings.append("\(layout.journal) ended with an unfinished record at byte \(torn) (another writer crashed); it was cut off")
        }
    }

    /// Rereads snapshot and journal from scratch; the caller holds the lock.
    func reload() throws {
        let loaded = try StoreLoader(layout: layout).load(writable: !options.readOnly)
        close(journalFD)
        state = loaded.state
        bulkFreed = true
        sequence = loaded.sequence
        journalFD = loaded.journalFD
        journalInode = loaded.journalInode
        journalEnd = loaded.journalEnd
        snapshotEventFile = loaded.eventFile
        undelivered.removeAll()
        reloadUndelivered = true
    }
}
