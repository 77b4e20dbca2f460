import Foundation

/// The files inside a store directory.
public struct StoreLayout: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    public var snapshot: String { directory + "/snapshot" }
    public var snapshotBackup: String { directory + "/snapshot.bak" }
    public var journal: String { directory + "/journal" }
    public var journalBackup: String { directory + "/journal.bak" }
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
