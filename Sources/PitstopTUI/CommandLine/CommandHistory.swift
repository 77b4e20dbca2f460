import Foundation

/// The `:` history on disk: `$XDG_CONFIG_HOME/pitstop/history` (else `~/.config/pitstop/history`), one line per
/// command, newest last, the last `limit` read. Read once when the console opens; each run line is appended, and
/// the file is cut back to the last `limit` lines only when it has grown past `trimBytes`.
struct CommandHistory: Sendable {
    static let limit = 500
    /// The size past which an append rewrites the file to its last `limit` lines.
    static let trimBytes = 64 << 10
    let path: String?

    /// The history file of this environment, or nil without a home to keep it in.
    init(environment: [String: String]) {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            path = config + "/pitstop/history"
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            path = home + "/.config/pitstop/history"
        } else {
            path = nil
        }
    }

    /// The lines kept, oldest first; none when the file is missing or unreadable.
    func load() -> [String] {
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return Array(text.split(separator: "\n").map(String.init).suffix(Self.limit))
    }

    /// Appends a line (one write; the file is read again only to cut it back). Problems are returned as one
    /// sentence, never thrown: a history that cannot be kept must not stop a command.
    func append(_ line: String) -> String? {
        guard let path else { return nil }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
            if (size ?? Int.max) > Self.trimBytes {
                try ((load() + [line]).suffix(Self.limit).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
                return nil
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((line + "\n").utf8))
            return nil
        } catch {
            return "the : history could not be kept in \(path): \(error.localizedDescription)"
        }
    }
}
