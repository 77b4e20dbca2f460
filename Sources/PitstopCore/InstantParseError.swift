public import Foundation

/// Why a TIME argument could not be read.
public struct InstantParseError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public var message: String
    public var description: String { message }
    public var errorDescription: String? { message }
}
