

/// One key binding of the panes: the keys, what they do, and whether that changes the store (hidden and
/// refused in read-only mode).
struct KeyBinding: Sendable {
    let keys: [Key]
    let command: PaneCommand
    /// A few words for the read-only refusal and the footer ("clear", "excl/incl").
    let name: String
    /// Its name in the config file's `[keys]` table (`undo = "U"`).
    let action: String
    let changesStore: Bool
    /// Shown in the footer: the key's label there and the panes it is shown for (nil: not in the footer).
    let footer: (key: String, panes: Set<Focus>)?

    init(_ keys: [Key], _ command: PaneCommand, _ name: String, action: String, changesStore: Bool = false, footer: (key: String, panes: Set<Focus>)? = nil) {
        self.keys = keys
        self.command = command
        self.name = name
        self.action = action
        self.changesStore = changesStore
        self.footer = footer
    }
}
