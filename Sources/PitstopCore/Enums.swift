import Foundation

/// A managed database service that maintenance tasks target.
public enum Service: String, Sendable, CaseIterable, Codable {
    case mysql = "MySQL"
    case postgresql = "PostgreSQL"

    /// Task types the service's catalogue supports.
    public var supportedTypes: [TaskType] {
        switch self {
        case .mysql, .postgresql: return [.osUpdate, .engineUpgrade, .kernelUpgrade, .configChange]
        }
    }
}

/// Whether a task must run before a deadline or may run whenever the operator chooses.
public enum Requirement: String, Sendable, CaseIterable, Codable {
    case mandatory
    case recommended
}

/// Execution order when several executions are due at once.
public enum Priority: String, Sendable, CaseIterable, Codable, Comparable {
    case high
    case medium
    case low

    /// 0 for high, 2 for low: lower runs first.
    public var rank: Int {
        switch self {
        case .high: return 0
        case .medium: return 1
        case .low: return 2
        }
    }

    /// High sorts before medium before low.
    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}

/// What a maintenance task updates.
public enum TaskType: String, Sendable, CaseIterable, Codable {
    case osUpdate = "os-update"
    case engineUpgrade = "engine-upgrade"
    case kernelUpgrade = "kernel-upgrade"
    case configChange = "config-change"

    /// Words for people, e.g. "engine upgrade".
    public var label: String { rawValue.replacingOccurrences(of: "-", with: " ") }
}

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

/// The three colour classes of the seed service.
public enum StatusColorClass: String, Sendable {
    case gray, green, red
}
