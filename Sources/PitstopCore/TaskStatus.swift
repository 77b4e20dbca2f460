import Foundation

/// How many resources of a task are in each status.
public struct StatusCounts: Sendable, Equatable {
    /// Pending resources.
    public var pending = 0
    /// Reserved resources.
    public var reserved = 0
    /// Resources in progress.
    public var inProgress = 0
    /// Completed resources.
    public var completed = 0
    /// Failed resources.
    public var failed = 0
    /// Excluded resources.
    public var excluded = 0

    /// No resources.
    public init() {}

    /// The counts of these resources.
    public init(_ resources: [Resource]) {
        // By index: a for-in would copy (and retain the strings of) every resource to read one byte.
        for index in resources.indices { add(resources[index].status) }
    }

    /// Counts `amount` more resources of a status.
    public mutating func add(_ status: ResourceStatus, _ amount: Int = 1) {
        switch status {
        case .pending: pending += amount
        case .reserved: reserved += amount
        case .inProgress: inProgress += amount
        case .completed: completed += amount
        case .failed: failed += amount
        case .excluded: excluded += amount
        }
    }

    /// The count of a status.
    public subscript(status: ResourceStatus) -> Int {
        switch status {
        case .pending: return pending
        case .reserved: return reserved
        case .inProgress: return inProgress
        case .completed: return completed
        case .failed: return failed
        case .excluded: return excluded
        }
    }

    /// All resources counted.
    public var total: Int { pending + reserved + inProgress + completed + failed + excluded }
    /// Resources that take part in the task (every status but excluded).
    public var included: Int { total - excluded }
}

/// The aggregate status of a task, derived from its resources.
public enum TaskStatus: String, Sendable, CaseIterable, Codable {
    case pending
    case reserved
    case inProgress = "in-progress"
    case completed
    case failed
    case excluded

    /// Applies the spec's ordered rules; the first that matches wins.
    public init(aggregating resources: [Resource]) {
        self.init(counts: StatusCounts(resources))
    }

    /// The same rules over counts, for callers that keep counts incrementally.
    public init(counts c: StatusCounts) {
        let included = c.included
        if included == 0 {
            self = .excluded
        } else if c.completed == included {
            self = .completed
        } else if c.failed == included {
            self = .failed
        } else if c.inProgress + c.completed + c.failed > 0 {
            self = .inProgress
        } else if c.pending > 0 {
            self = .pending
        } else {
            self = .reserved
        }
    }

    /// The seed's colour class.
    public var colorClass: StatusColorClass {
        switch self {
        case .pending, .excluded: return .gray
        case .reserved, .inProgress, .completed: return .green
        case .failed: return .red
        }
    }

    /// Words for people: "in progress".
    public var label: String { Self.labels[self]! }

    /// Made once: the label is read for every row of every frame.
    private static let labels = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.rawValue.replacingOccurrences(of: "-", with: " ")) })
}
