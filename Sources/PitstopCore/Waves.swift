import Foundation

/// A task's resources divided into waves, in reservation order: wave N+1 starts only when every resource of
/// wave N has finished and the task's `soak` has passed since the last of them.
public struct Waves: Sendable, Equatable {
    /// Resource ids of each wave, in order; the last wave takes whatever the sizes leave.
    public let members: [[String]]

    /// The waves of `task` (non-excluded resources: reserved first by time, then the rest in task order).
    public init(_ task: MaintenanceTask) {
        let ordered = task.resources.enumerated().filter { $0.element.status != .excluded }.sorted { a, b in
            (a.element.scheduledAt ?? .distantFuture, a.offset) < (b.element.scheduledAt ?? .distantFuture, b.offset)
        }.map(\.element.id)
        self.init(ordered: ordered, sizes: task.waves)
    }

    /// Waves over `ordered` ids by cumulative `sizes`.
    public init(ordered: [String], sizes: [WaveSize]) {
        var members: [[String]] = []
        var start = 0
        for size in sizes where start < ordered.count {
            let end = max(start + 1, size.reach(of: ordered.count))
            guard end > start else { continue }
            members.append(Array(ordered[start..<min(end, ordered.count)]))
            start = min(end, ordered.count)
        }
        if start < ordered.count { members.append(Array(ordered[start...])) }
        self.members = members
    }

    /// The wave (0-based) of every member, for lookups of many resources.
    public func waveByID() -> [String: Int] {
        var byID: [String: Int] = [:]
        for (wave, ids) in members.enumerated() { for id in ids { byID[id] = wave } }
        return byID
    }
}
