/// What a key does in a scrolling list (event log, calendar, output, plan, help).
enum ListCommand: Equatable, Sendable {
    case scroll(Int)
    case top
    /// Enter: the event log opens the first row's event in full; the other lists close.
    case open
    case close
}

/// What a key does in a confirmation.
enum ConfirmCommand: Equatable, Sendable { case yes, no }

/// What a key does in the `/` prompt (other characters are typed into the filter).
enum FilterCommand: Equatable, Sendable { case keep, clearAndLeave, erase }

/// What a key does on the `:` command line (other characters are typed into it).
enum CommandLineKey: Equatable, Sendable { case run, cancel, erase, complete, older, newer }

/// What a key does in the schedule editor (digits are typed into the field).
enum EditorCommand: Equatable, Sendable {
    case field(Int)
    case step(Int)
    case erase
    case nowPlusLead, recommended, deadlineMinusMargin
    case save, cancel
}

/// What a key does on the watch screen.
enum WatchCommand: Equatable, Sendable { case quit, pause, slower, faster, help, repaint }

/// The key tables of every input mode besides the panes; `FooterView`, the help and the reducer read them.
enum OverlayKeys {
    static let list = ModeKeyTable<ListCommand>(mode: "lists", configName: "lists", bindings: [
        .init([.down, .char("j")], .scroll(1), "↑↓", "scroll"),
        .init([.up, .char("k")], .scroll(-1), "k", "up", footer: false),
        .init([.pageDown], .scroll(10), "PgDn", "page down", footer: false),
        .init([.pageUp], .scroll(-10), "PgUp", "page up", footer: false),
        .init([.home, .char("g")], .top, "g", "top", footer: false),
        .init([.enter], .open, "Enter", "full text (event log)", action: "open"),
        // The key that opened a list closes it too.
        .init([.escape, .char("q"), .char("L"), .char("v"), .char("o"), .char("p")], .close, "Esc", "close"),
    ])

    static let commandLine = ModeKeyTable<CommandLineKey>(mode: "command line (:)", configName: "command", bindings: [
        .init([.enter], .run, "Enter", "run"),
        .init([.tab], .complete, "Tab", "complete"),
        .init([.up], .older, "↑↓", "history"),
        .init([.down], .newer, "↓", "newer", footer: false),
        .init([.backspace, .delete], .erase, "⌫", "erase", footer: false),
        .init([.escape], .cancel, "Esc", "cancel"),
    ])

    static let confirm = ModeKeyTable<ConfirmCommand>(mode: "confirmation", configName: "confirm", bindings: [
        .init([.char("y"), .char("Y"), .enter], .yes, "y", "yes"),
        .init([.escape, .char("n"), .char("N"), .char("q")], .no, "n/Esc", "no"),
    ])

    static let filter = ModeKeyTable<FilterCommand>(mode: "/ filter", configName: "filter", bindings: [
        .init([.enter], .keep, "Enter", "keep"),
        .init([.escape], .clearAndLeave, "Esc", "clear and leave"),
        .init([.backspace, .delete], .erase, "⌫", "erase", footer: false),
    ])

    static let editor = ModeKeyTable<EditorCommand>(mode: "schedule editor", configName: "editor", bindings: [
        .init([.right, .tab], .field(1), "←→", "field"),
        .init([.left, .backTab], .field(-1), "←", "field back", footer: false),
        .init([.up, .char("k"), .char("+")], .step(1), "↑↓", "change"),
        .init([.down, .char("j"), .char("-")], .step(-1), "↓", "change down", footer: false),
        .init([.backspace, .delete], .erase, "⌫", "erase a digit", footer: false),
        .init([.char("n")], .nowPlusLead, "n", "now+lead", action: "now-lead"),
        .init([.char("r")], .recommended, "r", "recommended"),
        .init([.char("d")], .deadlineMinusMargin, "d", "deadline−margin", action: "deadline-margin"),
        .init([.enter], .save, "Enter", "save"),
        .init([.escape], .cancel, "Esc", "cancel"),
    ])

    static let watch = ModeKeyTable<WatchCommand>(mode: "watch", configName: "watch", bindings: [
        .init([.char("q"), .escape], .quit, "q", "quit"),
        .init([.char("p"), .char(" ")], .pause, "p", "pause"),
        .init([.char("+")], .slower, "+", "slower"),
        .init([.char("-")], .faster, "-", "faster"),
        .init([.char("?")], .help, "?", "help"),
        .init([.redraw], .repaint, "Ctrl-L", "repaint"),
    ])

    /// Every mode's help line, in the order the help shows them.
    static var helpLines: [(mode: String, line: String)] {
        [(editor.mode, "0-9 type  " + editor.helpLine), (confirm.mode, confirm.helpLine), (filter.mode, "type to filter  " + filter.helpLine),
         (commandLine.mode, "type a command  " + commandLine.helpLine), (list.mode, list.helpLine), (watch.mode, watch.helpLine)]
    }

    /// Every key each mode binds, for the tests: no key bound twice in one mode.
    static var keysByMode: [(String, [[Key]])] {
        [(list.mode, list.bindings.map(\.keys)), (confirm.mode, confirm.bindings.map(\.keys)), (filter.mode, filter.bindings.map(\.keys)),
         (commandLine.mode, commandLine.bindings.map(\.keys)), (editor.mode, editor.bindings.map(\.keys)), (watch.mode, watch.bindings.map(\.keys))]
    }
}
