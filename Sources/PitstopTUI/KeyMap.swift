

/// The one table of the panes' keys. The reducer's dispatch, the footer, the help overlay and the read-only
/// gate are all derived from it, so a key is added, renamed or gated in one place.
enum KeyMap {
    private static let tasks: Set<Focus> = [.tasks]
    private static let resources: Set<Focus> = [.resources]
    private static let both: Set<Focus> = [.tasks, .resources]

    static let groups: [KeyGroup] = [
        KeyGroup("↑ ↓  j k", "move", [
            KeyBinding([.up, .char("k")], .move(-1), "move up"),
            KeyBinding([.down, .char("j")], .move(1), "move", footer: ("↑↓", both)),
        ]),
        KeyGroup("PgUp PgDn  g G", "page, first, last", [
            KeyBinding([.pageUp], .page(up: true), "page up"),
            KeyBinding([.pageDown], .page(up: false), "page down"),
            KeyBinding([.home, .char("g")], .jump(toFirst: true), "first"),
            KeyBinding([.end, .char("G")], .jump(toFirst: false), "last"),
        ]),
        KeyGroup("Tab  ← →  h l", "switch pane", [
            KeyBinding([.tab, .backTab], .switchPane(toResources: nil), "switch pane"),
            KeyBinding([.right, .char("l")], .switchPane(toResources: true), "resources"),
            KeyBinding([.left, .char("h")], .switchPane(toResources: false), "tasks"),
        ]),
        KeyGroup("Enter", "open task / show output", [KeyBinding([.enter], .open, "open", footer: ("Enter", tasks))]),
        KeyGroup("/", "filter: text and fields (status:failed role:primary…)", [KeyBinding([.char("/")], .overlay(OverlayOpener(FilterPrompt.self)), "filter", footer: ("/", tasks))]),
        KeyGroup(":", "command line: task, res, reserve, status, sort…", [
            KeyBinding([.char(":")], .overlay(OverlayOpener(CommandLinePrompt.self)), "command"),
        ]),
        KeyGroup("n  N", "next, previous match of the filter", [
            KeyBinding([.char("n")], .nextMatch(forward: true), "next match"),
            KeyBinding([.char("N")], .nextMatch(forward: false), "previous match"),
        ]),
        KeyGroup("s  S", "sort this pane by the next column / reverse it", [
            KeyBinding([.char("s")], .sort(reverse: false), "sort", footer: ("s", tasks)),
            KeyBinding([.char("S")], .sort(reverse: true), "reverse"),
        ]),
        KeyGroup("space  a", "mark resource / mark all", [
            KeyBinding([.char(" ")], .mark, "mark", footer: ("space", resources)),
            KeyBinding([.char("a")], .markAll, "all", footer: ("a", resources)),
        ]),
        KeyGroup("e", "reserve the marked (or current) resources", [
            KeyBinding([.char("e")], .reserve, "reserve", changesStore: true, footer: ("e", both)),
        ]),
        KeyGroup("E", "reserve the whole task", [
            KeyBinding([.char("E")], .reserveWholeTask, "whole task", changesStore: true, footer: ("E", tasks)),
        ]),
        KeyGroup("c  x", "clear reservations / exclude, include", [
            KeyBinding([.char("c")], .clear, "clear", changesStore: true, footer: ("c", resources)),
            KeyBinding([.char("x")], .excludeOrInclude, "excl/incl", changesStore: true, footer: ("x", resources)),
        ]),
        KeyGroup("r  R", "retry failed / resume a halted task", [
            KeyBinding([.char("r")], .retry, "retry", changesStore: true, footer: ("r", resources)),
            KeyBinding([.char("R")], .resume, "resume", changesStore: true),
        ]),
        KeyGroup("u", "undo the last change made here", [
            KeyBinding([.char("u")], .undo, "undo", changesStore: true),
        ]),
        KeyGroup("K", "cancel running attempts (SIGTERM, SIGKILL)", [
            KeyBinding([.char("K")], .cancel, "cancel", changesStore: true, footer: ("K", resources)),
        ]),
        KeyGroup("D", "dry run (rehearse) now, changes nothing", [
            KeyBinding([.char("D")], .rehearse, "dry run", changesStore: true),
        ]),
        KeyGroup("o  L  v  p", "attempt output, event log, calendar, plan preview", [
            KeyBinding([.char("o")], .overlay(OverlayOpener(OutputOverlay.self)), "output", footer: ("o", resources)),
            KeyBinding([.char("L")], .overlay(OverlayOpener(EventLogOverlay.self)), "events", footer: ("L", tasks)),
            KeyBinding([.char("v")], .overlay(OverlayOpener(CalendarOverlay.self)), "calendar", footer: ("v", tasks)),
            KeyBinding([.char("p")], .overlay(OverlayOpener(PlanOverlay.self)), "plan"),
        ]),
        KeyGroup("H", "history of the resource (across tasks) or task", [
            KeyBinding([.char("H")], .overlay(OverlayOpener(HistoryOverlay.self)), "history"),
        ]),
        KeyGroup("Esc", "back, cancel, clear marks or filter", [KeyBinding([.escape], .back, "back", footer: ("Esc", resources))]),
        KeyGroup("y", "copy the selected ids to the clipboard (OSC 52)", [
            KeyBinding([.char("y")], .copy, "copy"),
        ]),
        KeyGroup("t  ?  q", "next theme, this help, quit", [
            KeyBinding([.char("t")], .theme, "theme", footer: ("t", tasks)),
            KeyBinding([.char("?"), .function(1)], .overlay(OverlayOpener(HelpOverlay.self)), "help", footer: ("?", both)),
            KeyBinding([.char("q")], .quit, "quit", footer: ("q", both)),
        ]),
        KeyGroup("Ctrl-L", "repaint the screen (in any overlay too)", [KeyBinding([.redraw], .repaint, "repaint")]),
    ]

    static let bindings: [KeyBinding] = groups.flatMap(\.bindings)

    /// The binding of a key in the panes, if any.
    static func binding(for key: Key) -> KeyBinding? {
        bindings.first { $0.keys.contains(key) }
    }

    /// The footer's hints for a pane, in table order; bindings that change the store are left out read-only.
    static func footer(for focus: Focus, readonly: Bool) -> [(String, String)] {
        bindings.compactMap { binding in
            guard let footer = binding.footer, footer.panes.contains(focus), !(readonly && binding.changesStore) else { return nil }
            return (footer.key, binding.name)
        }
    }
}
