public import Foundation

/// A parsed TIME and, when the local time was ambiguous, a note saying which offset was taken.
public struct ParsedInstant: Equatable, Sendable {
    public var date: Date
    public var notice: String?
}
