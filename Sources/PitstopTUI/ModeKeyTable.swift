/// The key table of one input mode other than the panes (`KeyMap`): which keys give which of the mode's
/// commands, and how the footer and the help write them. Dispatch, footer and help are all read from it, so a
/// key is added or renamed in one place (bubbles' `KeyMap` of `key.Binding`s).
struct ModeKeyTable<Command: Equatable & Sendable>: Sendable {
    /// One binding: its keys, the command, how the keys are written, and a few words of what it does.
    struct Binding: Sendable {
        let keys: [Key]
        let command: Command
        let label: String
        let help: String
        /// Shown in the mode's footer (the rest only in the help).
        let footer: Bool

        init(_ keys: [Key], _ command: Command, _ label: String, _ help: String, footer: Bool = true) {
            self.keys = keys
            self.command = command
            self.label = label
            self.help = help
            self.footer = footer
        }
    }

    /// The mode's name in the help.
    let mode: String
    let bindings: [Binding]

    /// The command of a key in this mode, if any.
    func command(for key: Key) -> Command? {
        bindings.first { $0.keys.contains(key) }?.command
    }

    /// The footer's hints, in table order.
    var footer: [(String, String)] { bindings.filter(\.footer).map { ($0.label, $0.help) } }

    /// One help line: every binding, footer or not.
    var helpLine: String { bindings.map { "\($0.label) \($0.help)" }.joined(separator: "  ") }
}
