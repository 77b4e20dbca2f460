import Foundation

/// Why bytes could not be decoded; the caller adds the file and offset.
struct DecodeError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
