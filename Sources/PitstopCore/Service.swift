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
