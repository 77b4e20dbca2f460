import Foundation

/// What a maintenance task updates.
public enum TaskType: String, Sendable, CaseIterable, Codable {
    case osUpdate = "os-update"
    case engineUpgrade = "engine-upgrade"
    case kernelUpgrade = "kernel-upgrade"
    case configChange = "config-change"

    /// Words for people, e.g. "engine upgrade".
    public var label: String { rawValue.replacingOccurrences(of: "-", with: " ") }
}
