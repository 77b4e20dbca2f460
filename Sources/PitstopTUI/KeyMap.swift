

/// The one table of the panes' keys. The reducer's dispatch, the footer, the help overlay and the read-only
/// gate are all derived from it, so a key is added, renamed or gated in one place.
enum KeyMap {
    private static let tasks: Set<Focus> = [.tasks]
    private static let resources: Set<Focus> = [.resources]
    private static let both: Set<Focus> = [.tasks, .resources]

    static let groups: [KeyGroup] = [
        KeyGroup("↑ ↓  j k", "move", [
            KeyBinding([.up, .char("k")], .move(-1), "move up", action: "up"),
            KeyBinding([.down, .char("j")], .move(1), "move", action: "down", footer: ("↑↓", both)),
        ]),
        KeyGroup("PgUp PgDn  g G", "page, first, last", [
            KeyBinding([.pageUp], .page(up: true), "page up", action: "page-up"),
            KeyBinding([.pageDown], .page(up: false), "page down", action: "page-down"),
            KeyBinding([.home, .char("g")], .jump(toFirst: true), "first", action: "first"),
            KeyBinding([.end, .char("G")], .jump(toFirst: false), "last", action: "last"),
        ]),
        KeyGroup("Tab  ← →  h l", "switch pane", [
            KeyBinding([.tab, .backTab], .switchPane(toResources: nil), "switch pane", action: "switch-pane"),
            KeyBinding([.right, .char("l")], .switchPane(toResources: true), "resources", action: "to-resources"),
            KeyBinding([.left, .char("h")], .switchPane(toResources: false), "tasks", action: "to-tasks"),
        ]),
        KeyGroup("Enter", "open task / show output", [KeyBinding([.enter], .open, "open", action: "open", footer: ("Enter", tasks))]),
        KeyGroup("/", "filter: text and fields (status:failed role:primary…)", [KeyBinding([.char("/")], .overlay(OverlayOpener(FilterPrompt.self)), "filter", action: "filter", footer: ("/", tasks))]),
        KeyGroup(":", "command line: task, res, reserve, status, sort…", [
            KeyBinding([.char(":")], .overlay(OverlayOpener(CommandLinePrompt.self)), "command", action: "command"),
        ]),
        KeyGroup("n  N", "next, previous match of the filter", [
            KeyBinding([.char("n")], .nextMatch(forward: true), "next match", action: "next-match"),
            KeyBinding([.char("N")], .nextMatch(forward: false), "previous match", action: "previous-match"),
        ]),
        KeyGroup("s  S", "sort this pane by the next column / reverse it", [
            KeyBinding([.char("s")], .sort(reverse: false), "sort", action: "sort", footer: ("s", tasks)),
            KeyBinding([.char("S")], .sort(reverse: true), "reverse", action: "reverse-sort"),
        ]),
        KeyGroup("space  a", "mark resource / mark all", [
            KeyBinding([.char(" ")], .mark, "mark", action: "mark", footer: ("space", resources)),
            KeyBinding([.char("a")], .markAll, "all", action: "mark-all", footer: ("a", resources)),
        ]),
        KeyGroup("e", "reserve the marked (or current) resources", [
            KeyBinding([.char("e")], .reserve, "reserve", action: "reserve", changesStore: true, footer: ("e", both)),
        ]),
        KeyGroup("E", "reserve the whole task", [
            KeyBinding([.char("E")], .reserveWholeTask, "whole task", action: "reserve-task", changesStore: true, footer: ("E", tasks)),
        ]),
        KeyGroup("c  x", "clear reservations / exclude, include", [
            KeyBinding([.char("c")], .clear, "clear", action: "clear", changesStore: true, footer: ("c", resources)),
            KeyBinding([.char("x")], .excludeOrInclude, "excl/incl", action: "exclude", changesStore: true, footer: ("x", resources)),
        ]),
        KeyGroup("r  R", "retry failed / resume a halted task", [
            KeyBinding([.char("r")], .retry, "retry", action: "retry", changesStore: true, footer: ("r", resources)),
            KeyBinding([.char("R")], .resume, "resume", action: "resume", changesStore: true),
        ]),
        KeyGroup("u", "undo the last change made here", [
            KeyBinding([.char("u")], .undo, "undo", action: "undo", changesStore: true),
        ]),
        KeyGroup("K", "cancel running attempts (SIGTERM, SIGKILL)", [
            KeyBinding([.char("K")], .cancel, "cancel", action: "cancel", changesStore: true, footer: ("K", resources)),
        ]),
        KeyGroup("D", "dry run (rehearse) now, changes nothing", [
            KeyBinding([.char("D")], .rehearse, "dry run", action: "dry-run", changesStore: true),
        ]),
        KeyGroup("o  L  v  p", "attempt output, event log, calendar, plan preview", [
            KeyBinding([.char("o")], .overlay(OverlayOpener(OutputOverlay.self)), "output", action: "output", footer: ("o", resources)),
            KeyBinding([.char("L")], .overlay(OverlayOpener(EventLogOverlay.self)), "events", action: "events", footer: ("L", tasks)),
            KeyBinding([.char("v")], .overlay(OverlayOpener(CalendarOverlay.self)), "calendar", action: "calendar", footer: ("v", tasks)),
            KeyBinding([.char("p")], .overlay(OverlayOpener(PlanOverlay.self)), "plan", action: "plan"),
        ]),
        KeyGroup("H", "history of the resource (across tasks) or task", [
            KeyBinding([.char("H")], .overlay(OverlayOpener(HistoryOverlay.self)), "history", action: "history"),
        ]),
        KeyGroup("Esc", "back, cancel, clear marks or filter", [KeyBinding([.escape], .back, "back", action: "back", footer: ("Esc", resources))]),
        KeyGroup("y", "copy the selected ids to the clipboard (OSC 52)", [
            KeyBinding([.char("y")], .copy, "copy", action: "copy"),
        ]),
        KeyGroup("t  ?  q", "next theme, this help, quit", [
            KeyBinding([.char("t")], .theme, "theme", action: "theme", footer: ("t", tasks)),
            KeyBinding([.char("?"), .function(1)], .overlay(OverlayOpener(HelpOverlay.self)), "help", action: "help", footer: ("?", both)),
            KeyBinding([.char("q")], .quit, "quit", action: "quit", footer: ("q", both)),
        ]),
        KeyGroup("Ctrl-L", "repaint the screen (in any overlay too)", [KeyBinding([.redraw], .repaint, "repaint", action: "repaint")]),
    ]

    static let bindings: [KeyBinding] = groups.flatMap(\.bindings)

    /// The footer's hints for a pane, in table order; bindings that change the store are left out read-only.
    static func footer(for focus: Focus, readonly: Bool) -> [(String, String)] { PaneKeyTable.standard.footer(for: focus, readonly: readonly) }
}

/// The panes' keys in force: `KeyMap`'s, or those with the config file's remaps (`[keys]`). Dispatch, footer
/// and help read the one in the screen's state, so a remapped key shows wherever its action is named.
struct PaneKeyTable: Sendable, Equatable {
    static func == (a: PaneKeyTable, b: PaneKeyTable) -> Bool {
        a.bindings.map(\.action) == b.bindings.map(\.action) && a.bindings.map(\.keys) == b.bindings.map(\.keys)
    }

    let groups: [KeyGroup]
    let bindings: [KeyBinding]

    static let standard = PaneKeyTable(groups: KeyMap.groups)

    init(groups: [KeyGroup]) {
        self.groups = groups
        bindings = groups.flatMap(\.bindings)
    }

    /// The binding of a key in the panes, if any.
    func binding(for key: Key) -> KeyBinding? {
        bindings.first { $0.keys.contains(key) }
    }

    /// The footer's hints for a pane, in table order; bindings that change the store are left out read-only.
    func footer(for focus: Focus, readonly: Bool) -> [(String, String)] {
        bindings.compactMap { binding in
            guard let footer = binding.footer, footer.panes.contains(focus), !(readonly && binding.changesStore) else { return nil }
            return (footer.key, binding.name)
        }
    }

    /// Every action's name, as the config file writes them.
    static var actions: [String] { KeyMap.bindings.map(\.action) }

    /// This table with the keys of some actions replaced. Throws a sentence for an unknown action (naming the
    /// nearest) or a key then bound to two actions.
    func remapped(_ remaps: [(action: String, keys: [Key])]) throws(ConfigProblem) -> PaneKeyTable {
        try KeyRemapCheck.check(remaps, table: bindings.map { ($0.action, $0.keys) }, place: "the panes", suffix: "")
        let wanted = Dictionary(remaps.map { ($0.action, $0.keys) }, uniquingKeysWith: { $1 })
        return PaneKeyTable(groups: groups.map { group -> KeyGroup in
            let changed = group.bindings.contains { wanted[$0.action] != nil }
            let bindings = group.bindings.map { binding -> KeyBinding in
                guard let keys = wanted[binding.action] else { return binding }
                let footer = binding.footer.map { (key: keys.first.map(KeyNames.written) ?? $0.key, panes: $0.panes) }
                return KeyBinding(keys, binding.command, binding.name, action: binding.action, changesStore: binding.changesStore, footer: footer)
            }
            let label = changed ? bindings.flatMap(\.keys).map(KeyNames.written).joined(separator: "  ") : group.label
            return KeyGroup(label, group.help, bindings)
        })
    }
}
