import Foundation

/// Which resources of a task an action is for.
public enum ResourceSelection: Sendable, Equatable {
    /// These resources, in this order (the order decides stagger slots).
    case ids([String])
    /// Every resource that is pending when the mutation is validated.
    case allPending
}
