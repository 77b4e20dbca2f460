public import Foundation

/// One thing wrong with an import file, located by its JSON path.
public struct ImportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// e.g. `$.tasks[2].resources[0].id`
    public var path: String
    /// What is wrong there.
    public var message: String
    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// Every problem of a rejected import; nothing was written.
public struct ImportRejection: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// Every problem found, in document order.
    public var problems: [ImportProblem]
    /// The problems, one per line.
    public var description: String {
        "the import was rejected and nothing was written; \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
    /// The problems, one per line.
    public var errorDescription: String? { description }
}
