public import Foundation

/// Why a TIME argument could not be read.
public struct InstantParseError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// What is wrong with the TIME, and the forms that are accepted.
    public var message: String
    /// The message.
    public var description: String { message }
    /// The message.
    public var errorDescription: String? { message }
}
