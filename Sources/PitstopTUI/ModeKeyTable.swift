/// The key table of one input mode other than the panes (`KeyMap`): which keys give which of the mode's
/// commands, and how the footer and the help write them. Dispatch, footer and help are all read from it, so a
/// key is added or renamed in one place (bubbles' `KeyMap` of `key.Binding`s). The config file's
/// `[keys.MODE]` table replaces keys by action name (`ModeRemaps`).
struct ModeKeyTable<Command: Equatable & Sendable>: Sendable, RemappableKeys {
    /// One binding: its keys, the command, how the keys are written, and a few words of what it does.
    struct Binding: Sendable {
        let keys: [Key]
        let command: Command
        let label: String
        let help: String
        /// Shown in the mode's footer (the rest only in the help).
        let footer: Bool
        /// Its name in the config file (`[keys.lists]` `close = "x"`).
        let action: String

        init(_ keys: [Key], _ command: Command, _ label: String, _ help: String, footer: Bool = true, action: String? = nil) {
            self.keys = keys
            self.command = command
            self.label = label
            self.help = help
            self.footer = footer
            self.action = action ?? Self.slug(help)
        }

        /// `page down` → `page-down`.
        static func slug(_ text: String) -> String {
            text.lowercased().split { !($0.isLetter || $0.isNumber) }.joined(separator: "-")
        }
    }

    /// The mode's name in the help.
    let mode: String
    /// Its table in the config file: `[keys.NAME]`.
    let configName: String
    /// The bindings as written here, before any remap.
    let standard: [Binding]

    init(mode: String, configName: String, bindings: [Binding]) {
        self.mode = mode
        self.configName = configName
        standard = bindings
    }

    /// The bindings in force: the config file's remaps of this mode applied (keys replaced, labels written anew).
    var bindings: [Binding] {
        guard let remaps = ModeRemaps.current.tables[configName], !remaps.isEmpty else { return standard }
        return standard.map { binding in
            guard let keys = remaps[binding.action] else { return binding }
            return Binding(keys, binding.command, keys.map(KeyNames.written).joined(separator: "/"), binding.help, footer: binding.footer, action: binding.action)
        }
    }

    /// The command of a key in this mode, if any.
    func command(for key: Key) -> Command? {
        bindings.first { $0.keys.contains(key) }?.command
    }

    /// The footer's hints, in table order.
    var footer: [(String, String)] { bindings.filter(\.footer).map { ($0.label, $0.help) } }

    /// One help line: every binding, footer or not.
    var helpLine: String { bindings.map { "\($0.label) \($0.help)" }.joined(separator: "  ") }

    var actionKeys: [(action: String, keys: [Key])] { standard.map { ($0.action, $0.keys) } }
}

/// A mode's table as the config file sees it: its name and each action's keys.
protocol RemappableKeys {
    var configName: String { get }
    var actionKeys: [(action: String, keys: [Key])] { get }
}

/// The config file's remaps of the modes other than the panes, by table and action. Bound for the length of
/// one console or watch run (a task-local value, so that tests running side by side each see their own).
struct ModeRemaps: Sendable, Equatable {
    var tables: [String: [String: [Key]]] = [:]

    @TaskLocal static var current = ModeRemaps()

    /// Every mode a config file may remap, by its table name.
    static var modes: [any RemappableKeys] {
        [OverlayKeys.list, OverlayKeys.confirm, OverlayKeys.filter, OverlayKeys.commandLine, OverlayKeys.editor, OverlayKeys.watch]
    }

    /// Checks remaps of one mode: a known mode, then `KeyRemapCheck`.
    static func check(mode name: String, _ remaps: [(action: String, keys: [Key])]) throws(ConfigProblem) {
        guard let mode = modes.first(where: { $0.configName == name }) else {
            throw ConfigProblem(key: nil, "no mode \(name) to remap ([keys] for the panes, or keys.\(modes.map(\.configName).joined(separator: ", keys.")))")
        }
        try KeyRemapCheck.check(remaps, table: mode.actionKeys, place: "the \(name) mode", suffix: " in the \(name) mode")
    }
}
