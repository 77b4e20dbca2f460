import Foundation
import PitstopCore

/// How the task list is ordered: `s` takes the next column, `S` reverses, the header marks the column.
enum SortKey: String, CaseIterable, Sendable {
    case id, status, priority, deadline, service, type, title

    /// The headers of the column it sorts, narrow and wide.
    var headers: Set<String> {
        switch self {
        case .id: ["ID"]
        case .status: ["STATUS"]
        case .priority: ["PRI", "PRIORITY"]
        case .deadline: ["DUE", "REQUIREMENT"]
        case .service: ["SVC", "SERVICE"]
        case .type: ["TYPE"]
        case .title: ["TITLE"]
        }
    }

    /// Ascending order of two tasks by this column; ties go by id.
    func ascending(_ a: MaintenanceTask, _ b: MaintenanceTask) -> Bool {
        switch self {
        case .id: return a.id < b.id
        case .title: return (a.title.lowercased(), a.id) < (b.title.lowercased(), b.id)
        case .priority: return (a.priority.rank, a.id) < (b.priority.rank, b.id)
        case .status: return (Self.rank(a.status), a.id) < (Self.rank(b.status), b.id)
        case .deadline: return (a.deadline ?? .distantFuture, a.id) < (b.deadline ?? .distantFuture, b.id)
        case .service: return (a.service.rawValue, a.id) < (b.service.rawValue, b.id)
        case .type: return (a.type.rawValue, a.id) < (b.type.rawValue, b.id)
        }
    }

    /// What needs a person first comes first: failed, running, pending, reserved, completed, excluded.
    static func rank(_ status: TaskStatus) -> Int {
        switch status {
        case .failed: 0
        case .inProgress: 1
        case .pending: 2
        case .reserved: 3
        case .completed: 4
        case .excluded: 5
        }
    }

    /// `▲` ascending, `▼` descending, beside the sorted column's header.
    static func arrow(descending: Bool) -> String { descending ? "▼" : "▲" }
}

/// How the resource pane is ordered: the task's own order (replicas before primaries, as imported) until `s`
/// picks a column there; `S` reverses.
enum ResourceSortKey: String, CaseIterable, Sendable {
    case task, status, name, role, cluster, id, schedule, attempts

    /// The header of the column it sorts (none for the task's order).
    var header: String? {
        switch self {
        case .task: nil
        case .status: "STATUS"
        case .name: "NAME"
        case .role: "ROLE"
        case .cluster: "CLUSTER"
        case .id: "ID"
        case .schedule: "SCHEDULE"
        case .attempts: "TRY"
        }
    }

    /// The resources in this order; ties keep the task's order.
    func sorted(_ resources: [Resource], descending: Bool) -> [Resource] {
        guard self != .task else { return descending ? resources.reversed() : resources }
        let keyed = resources.enumerated().map { (offset: $0.offset, resource: $0.element) }
        let ordered = keyed.sorted { a, b in
            guard let before = ascending(a.resource, b.resource) else { return a.offset < b.offset }
            return before != descending
        }
        return ordered.map(\.resource)
    }

    /// True when `x` comes before `y` ascending by this column, false when after, nil when they tie.
    func ascending(_ x: Resource, _ y: Resource) -> Bool? {
        switch self {
        case .task: nil
        case .status: Self.compare(Self.rank(x), Self.rank(y))
        case .name: Self.compare(x.name.lowercased(), y.name.lowercased())
        case .role: Self.compare(x.effectiveRole.order, y.effectiveRole.order)
        case .cluster: Self.compare(x.cluster ?? "\u{10FFFF}", y.cluster ?? "\u{10FFFF}")
        case .id: Self.compare(x.id, y.id)
        case .schedule: Self.compare(x.scheduledAt ?? .distantFuture, y.scheduledAt ?? .distantFuture)
        case .attempts: Self.compare(x.attempts, y.attempts)
        }
    }

    /// True when a comes first ascending, false when b does, nil on a tie.
    private static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool? { a == b ? nil : a < b }

    private static func rank(_ r: Resource) -> Int {
        if r.heldReason != nil { return 1 }
        switch r.status {
        case .failed: return 0
        case .inProgress: return 2
        case .pending: return 3
        case .reserved: return 4
        case .completed: return 5
        case .excluded: return 6
        }
    }
}

extension CaseIterable where Self: Equatable, AllCases: BidirectionalCollection, AllCases.Index == Int {
    /// The case after this one, round the end (`s` cycling a pane's sort column).
    var next: Self {
        let all = Self.allCases
        return all[((all.firstIndex(of: self) ?? -1) + 1) % all.count]
    }
}
