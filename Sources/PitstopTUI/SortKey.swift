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

    /// A task's value in this column (its status is worked out from its resources, so this is made once per task).
    func value(_ task: MaintenanceTask) -> SortValue { value(head: task, status: task.status) }

    /// The value from what a task list knows without decoding resources: the task's head and its status.
    func value(head task: MaintenanceTask, status: @autoclosure () -> TaskStatus) -> SortValue {
        switch self {
        case .id: .text(task.id)
        case .title: .text(task.title.lowercased())
        case .priority: .number(task.priority.rank)
        case .status: .number(Self.rank(status()))
        case .deadline: .instant(task.deadline ?? .distantFuture)
        case .service: .text(task.service.rawValue)
        case .type: .text(task.type.rawValue)
        }
    }

    /// Ascending order of two tasks by this column; ties go by id.
    func ascending(_ a: MaintenanceTask, _ b: MaintenanceTask) -> Bool {
        (value(a), a.id) < (value(b), b.id)
    }

    /// The tasks in this column's order, each value made once.
    func sorted(_ tasks: [MaintenanceTask], descending: Bool) -> [MaintenanceTask] {
        let ordered = tasks.map { (value($0), $0) }.sorted { ($0.0, $0.1.id) < ($1.0, $1.1.id) }.map(\.1)
        return descending ? ordered.reversed() : ordered
    }

    /// Positions in `tasks` in this column's order, each value made once from the task's head and summary
    /// (a fleet loaded lazily decodes no resource for it; sorting by id decodes nothing).
    func sorted(_ positions: [Int], in tasks: TaskList, descending: Bool) -> [Int] {
        let keyed = positions.map { position in
            let value: SortValue = self == .id ? .text(tasks.id(at: position))
                : self == .status ? .number(Self.rank(tasks.summary(at: position).status))
                : value(head: tasks.head(at: position), status: tasks.summary(at: position).status)
            return (value, tasks.id(at: position), position)
        }
        let ordered = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        return descending ? ordered.reversed() : ordered
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

    /// The resources in this order, each value made once; ties keep the task's order.
    func sorted(_ resources: [Resource], descending: Bool) -> [Resource] {
        guard self != .task else { return descending ? resources.reversed() : resources }
        let keyed = resources.enumerated().map { (offset: $0.offset, value: value($0.element), resource: $0.element) }
        let ordered = keyed.sorted { a, b in
            guard a.value != b.value else { return a.offset < b.offset }
            return (a.value < b.value) != descending
        }
        return ordered.map(\.resource)
    }

    /// A resource's value in this column (the task's order has none: every resource ties).
    func value(_ r: Resource) -> SortValue {
        switch self {
        case .task: .number(0)
        case .status: .number(Self.rank(r))
        case .name: .text(r.name.lowercased())
        case .role: .number(r.effectiveRole.order)
        case .cluster: .text(r.cluster ?? "\u{10FFFF}")
        case .id: .text(r.id)
        case .schedule: .instant(r.scheduledAt ?? .distantFuture)
        case .attempts: .number(r.attempts)
        }
    }

    /// True when `x` comes before `y` ascending by this column, false when after, nil when they tie.
    func ascending(_ x: Resource, _ y: Resource) -> Bool? {
        let (a, b) = (value(x), value(y))
        return a == b ? nil : a < b
    }

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

/// One row's value in a sort column: rows of one column always hold the same case.
enum SortValue: Comparable, Sendable {
    case number(Int)
    case text(String)
    case instant(Date)
}

extension CaseIterable where Self: Equatable, AllCases: BidirectionalCollection, AllCases.Index == Int {
    /// The case after this one, round the end (`s` cycling a pane's sort column).
    var next: Self {
        let all = Self.allCases
        return all[((all.firstIndex(of: self) ?? -1) + 1) % all.count]
    }
}
