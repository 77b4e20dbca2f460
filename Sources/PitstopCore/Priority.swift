import Foundation

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
