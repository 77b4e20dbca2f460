public import Foundation

/// A parsed TIME and, when the local time was ambiguous, a note saying which offset was taken.
public struct ParsedInstant: Equatable, Sendable {
    /// The instant.
    public var date: Date
    /// A note for the person, e.g. that an ambiguous local time took the earlier offset.
    public var notice: String?
}
