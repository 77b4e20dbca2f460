

/// One line of the help overlay: how its keys are written, what they do, and the bindings behind it.
struct KeyGroup: Sendable {
    let label: String
    let help: String
    let bindings: [KeyBinding]

    init(_ label: String, _ help: String, _ bindings: [KeyBinding]) {
        self.label = label
        self.help = help
        self.bindings = bindings
    }

    /// Whether every binding of the line changes the store (shown as disabled in read-only mode).
    var changesStore: Bool { bindings.allSatisfy(\.changesStore) }
}
