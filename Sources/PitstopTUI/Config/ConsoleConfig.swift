public import Foundation

/// The console's config file, `$XDG_CONFIG_HOME/pitstop/config.toml` (else `~/.config/pitstop/config.toml`):
///
///     theme = "light"              # when neither --theme nor PITSTOP_THEME names one
///     sort = "deadline desc"       # the task list's first order
///     [keys]                       # the panes' keys, by action (pitstop config show lists them)
///     undo = "U"
///     copy = ["y", "Y"]
///
/// A problem refuses the whole file with its line; the console then starts with the defaults and says so.
public struct ConsoleConfig: Sendable {
    /// Where it was read from, if a file was.
    public var path: String?
    public var theme: String?
    var sort: SortKey = .id
    var sortDescending = false
    var keys = PaneKeyTable.standard
    /// The `[keys]` entries, in file order.
    var remaps: [(action: String, keys: [Key])] = []
    /// The `[keys.MODE]` entries: the other modes' remaps.
    var modes = ModeRemaps()

    public init() {}

    /// The config file of this environment, or nil without a home.
    public static func path(environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return config + "/pitstop/config.toml" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.config/pitstop/config.toml" }
        return nil
    }

    /// The configuration in force: the file's, or the defaults and one line saying why the file was not used
    /// (`path:line: reason`). A missing file is no problem.
    public static func load(environment: [String: String]) -> (config: ConsoleConfig, problem: String?) {
        guard let path = path(environment: environment), FileManager.default.fileExists(atPath: path) else { return (ConsoleConfig(), nil) }
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > 1 << 20 { return (ConsoleConfig(), "\(path): larger than 1 MiB; not read") }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return (try parse(text, path: path), nil)
        } catch let problem as ConfigFileError {
            return (ConsoleConfig(), problem.description)
        } catch {
            return (ConsoleConfig(), "\(path): cannot be read: \(error.localizedDescription)")
        }
    }

    /// Reads a config file's text; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(ConfigFileError) -> ConsoleConfig {
        let entries: [TOMLSubset.Entry]
        do {
            entries = try TOMLSubset.parse(text)
        } catch {
            throw ConfigFileError(path: path, line: error.line, message: error.message)
        }
        var config = ConsoleConfig()
        config.path = path
        func fail(_ entry: TOMLSubset.Entry, _ message: String) -> ConfigFileError { ConfigFileError(path: path, line: entry.line, message: message) }
        for entry in entries {
            switch (entry.table, entry.key, entry.value) {
            case ("", "theme", .string(let name)):
                guard !name.isEmpty else { throw fail(entry, "theme names a theme (pitstop --help lists where they are)") }
                config.theme = name
            case ("", "sort", .string(let text)):
                let words = text.lowercased().split(separator: " ").map(String.init)
                guard let column = words.first, let key = SortKey(rawValue: column), words.count <= 2,
                      words.count == 1 || words[1] == "asc" || words[1] == "desc" else {
                    throw fail(entry, "sort is \"COLUMN [asc|desc]\" with COLUMN one of \(SortKey.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                config.sort = key
                config.sortDescending = words.count == 2 && words[1] == "desc"
            case ("", "theme", _), ("", "sort", _):
                throw fail(entry, "\(entry.key) is a string")
            case ("", let key, _):
                throw fail(entry, "unknown setting \(key) (theme, sort, and the [keys] table)")
            case (let table, let action, let value) where table == "keys" || table.hasPrefix("keys."):
                let names: [String]
                switch value {
                case .string(let one): names = [one]
                case .strings(let many): names = many
                default: throw fail(entry, "\(action) takes a key or a list of keys, such as \"U\" or [\"y\", \"Y\"]")
                }
                guard !names.isEmpty else { throw fail(entry, "\(action) needs at least one key") }
                var keys: [Key] = []
                for name in names {
                    guard let key = KeyNames.parse(name) else {
                        throw fail(entry, "\"\(name)\" is not a key: one character, or Enter, Esc, Tab, Space, Up, Down, Left, Right, PgUp, PgDn, Home, End, Backspace, F1-F12")
                    }
                    keys.append(key)
                }
                if table == "keys" || table == "keys.panes" {
                    config.remaps.append((action, keys))
                } else {
                    config.modes.tables[String(table.dropFirst(5)), default: [:]][action] = keys
                }
            case (let table, _, _):
                throw fail(entry, "unknown table [\(table)] (there is [keys])")
            }
        }
        do {
            config.keys = try PaneKeyTable.standard.remapped(config.remaps)
        } catch {
            let line = entries.first { ($0.table == "keys" || $0.table == "keys.panes") && $0.key == error.key }?.line ?? 0
            throw ConfigFileError(path: path, line: line, message: error.message)
        }
        for (mode, remaps) in config.modes.tables.sorted(by: { $0.key < $1.key }) {
            let inOrder = entries.filter { $0.table == "keys." + mode }.compactMap { entry in remaps[entry.key].map { (entry.key, $0) } }
            do {
                try ModeRemaps.check(mode: mode, inOrder)
            } catch {
                let line = entries.first { $0.table == "keys." + mode && (error.key == nil || $0.key == error.key) }?.line ?? 0
                throw ConfigFileError(path: path, line: line, message: error.message)
            }
        }
        return config
    }

    /// The configuration in force as a config file would say it: every setting, and every action's keys.
    public func rendered() -> String {
        var lines = ["# the configuration in force\(path.map { " (from \($0))" } ?? " (no config file: the defaults)")"]
        lines.append("theme = \"\(theme ?? "default")\"")
        lines.append("sort = \"\(sort.rawValue)\(sortDescending ? " desc" : "")\"")
        lines.append("")
        lines.append("[keys]")
        for binding in keys.bindings {
            let written = binding.keys.compactMap { key -> String? in
                if case .mouse = key { return nil }
                return "\"\(Self.quoted(KeyNames.written(key)))\""
            }
            let remapped = remaps.contains { $0.action == binding.action }
            lines.append("\(binding.action) = [\(written.joined(separator: ", "))]\(remapped ? "   # remapped" : "")")
        }
        for mode in ModeRemaps.modes {
            lines.append("")
            lines.append("[keys.\(mode.configName)]")
            let remapped = modes.tables[mode.configName] ?? [:]
            for (action, standard) in mode.actionKeys {
                let keys = (remapped[action] ?? standard).map { "\"\(Self.quoted(KeyNames.written($0)))\"" }
                lines.append("\(action) = [\(keys.joined(separator: ", "))]\(remapped[action] != nil ? "   # remapped" : "")")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// A one-line account for `config check`.
    public var summary: String {
        let count = remaps.count + modes.tables.values.map(\.count).reduce(0, +)
        return "\(path ?? "no config file"): theme \(theme ?? "default"), sort \(sort.rawValue) \(sortDescending ? "desc" : "asc"), \(count) key\(count == 1 ? "" : "s") remapped"
    }

    /// Runs `body` with this file's remaps of the modes in force (the panes' go through the screen's state).
    public func withModeKeys<R>(_ body: () throws -> R) rethrows -> R {
        try ModeRemaps.$current.withValue(modes, operation: body)
    }
}

/// A config file refused: the file, the line and why.
public struct ConfigFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var line: Int
    public var message: String
    public var description: String { "\(path):\(line): \(message)" }
}
