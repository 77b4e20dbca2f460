import Foundation

/// Whether a task must run before a deadline or may run whenever the operator chooses.
public enum Requirement: String, Sendable, CaseIterable, Codable {
    case mandatory
    case recommended
}
