import Foundation

/// A resource's place in its database cluster: replicas are maintained before their primary.
public enum ResourceRole: String, Sendable, CaseIterable, Codable {
    case primary
    case replica
    case standalone

    /// Bulk reservations and staggered slots take replicas first, then standalone servers, then primaries.
    public var order: Int {
        switch self {
        case .replica: 0
        case .standalone: 1
        case .primary: 2
        }
    }
}
