import Foundation

/// A refusal of the command line itself, with what to do instead.
struct CLIError: Error, CustomStringConvertible, LocalizedError {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
    var errorDescription: String? { message }
}
