import Foundation

/// The execution status of one resource inside a task.
public enum ResourceStatus: String, Sendable, CaseIterable, Codable {
    case pending
    case reserved
    case inProgress = "in-progress"
    case completed
    case failed
    case excluded

    /// The seed's colour class: gray, green or red. Themes change shades, never the class.
    public var colorClass: StatusColorClass {
        switch self {
        case .pending, .excluded: return .gray
        case .reserved, .inProgress, .completed: return .green
        case .failed: return .red
        }
    }
}
