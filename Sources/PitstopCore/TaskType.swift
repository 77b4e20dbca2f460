import Foundation

/// What a maintenance task updates.
public enum TaskType: String, Sendable, CaseIterable, Codable {
    case osUpdate = "os-update"
    case engineUpgrade = "engine-upgrade"
    case kernelUpgrade = "kernel-upgrade"
    case configChange = "config-change"

    /// Words for people, e.g. "engine upgrade".
    public var label: String { Self.labels[self]! }

    /// Made once: the label is read for every row of every frame.
    private static let labels = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.rawValue.replacingOccurrences(of: "-", with: " ")) })
}
