import Foundation

/// The files inside a store directory.
public struct StoreLayout: Sendable {
    /// The store directory.
    public let directory: String

    /// The files of a store directory.
    public init(directory: String) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// The snapshot.
    public var snapshot: String { directory + "/snapshot" }
    /// The snapshot before the last compaction.
    public var snapshotBackup: String { directory + "/snapshot.bak" }
    /// The journal of changes since the snapshot.
    public var journal: String { directory + "/journal" }
    /// The journal before the last compaction.
    public var journalBackup: String { directory + "/journal.bak" }
    /// The event file of this identity (`events-<16 hex digits>`), which snapshots name.
    public func eventFile(id: UInt64) -> String { directory + "/" + EventFile.name(id: id) }
    /// The lock file, never replaced.
    public var lock: String { directory + "/lock" }

    /// Files a crashed writer may leave behind, removed when a writer opens the store.
    var temporaryFiles: [String] {
        [snapshot + ".tmp", journal + ".tmp", snapshotBackup + ".tmp", journalBackup + ".tmp"]
    }

    /// The default store: `$PITSTOP_STORE`, else `$XDG_DATA_HOME/pitstop`, else `~/.local/share/pitstop`.
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let explicit = environment["PITSTOP_STORE"], !explicit.isEmpty { return explicit }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/pitstop" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/pitstop"
    }
}

extension StoreLayout {
    /// Replaces the snapshot and journal with new contents, crash-safely and in an order where every
    /// intermediate state opens to the same data: both temp files written and fsync'd, `keepOld` giving the
    /// current pair other names, then the snapshot renamed over, then the journal. A crash between the two
    /// renames leaves the new snapshot with the old journal, whose records it already holds: they are skipped.
    /// Used by compaction (the old pair becomes the backup) and by recovery (it is kept as damaged).
    func replacePair(snapshot: [UInt8], journal: [UInt8], keepOld: () throws -> Void) throws {
        try FileIO.writeDurably(self.snapshot + ".tmp", snapshot)
        try FileIO.writeDurably(self.journal + ".tmp", journal)
        try keepOld()
        try FileIO.syncDirectory(directory)
        try FileIO.rename(self.snapshot + ".tmp", self.snapshot)
        try FileIO.syncDirectory(directory)
        try FileIO.rename(self.journal + ".tmp", self.journal)
        try FileIO.syncDirectory(directory)
    }
}
