public import PitstopCore

/// Status words and symbols, so that status is never told by colour alone.
enum StatusGlyph {
    static func symbol(_ status: ResourceStatus) -> String {
        switch status {
        case .pending: return "○"
        case .reserved: return "◷"
        case .inProgress: return "▶"
        case .completed: return "✔"
        case .failed: return "✘"
        case .excluded: return "⊘"
        }
    }

    /// A task status shares the symbol of the resource status of the same name.
    static func symbol(_ status: TaskStatus) -> String {
        ResourceStatus(rawValue: status.rawValue).map(symbol) ?? "?"
    }
}
