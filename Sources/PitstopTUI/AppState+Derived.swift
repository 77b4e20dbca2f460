import Foundation
public import PitstopCore

extension AppState {
    /// Recomputes `visibleTaskIDs` from the fleet, the filter and the sort, keeping the selection on the same task.
    mutating func refreshVisibleTasks(_ fleet: FleetState) {
        let selected = selectedTaskID
        let query = FilterQuery(filter)
        var counts: [TaskStatus: Int] = [:]
        for task in fleet.tasks { counts[task.status, default: 0] += 1 }
        taskCounts = counts
        var tasks = fleet.tasks
        if !query.text.isEmpty {
            let found = search.matches(query.text, in: fleet)
            tasks = tasks.filter { found.contains($0.id) }
        }
        if query.hasFields { tasks = tasks.filter { query.matches($0) } }
        switch sort {
        case .id: tasks.sort { $0.id < $1.id }
        case .title: tasks.sort { ($0.title.lowercased(), $0.id) < ($1.title.lowercased(), $1.id) }
        case .priority: tasks.sort { ($0.priority.rank, $0.id) < ($1.priority.rank, $1.id) }
        case .status:
            let order: [TaskStatus] = [.failed, .inProgress, .pending, .reserved, .completed, .excluded]
            let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
            let keyed = tasks.map { (rank[$0.status] ?? 9, $0) }
            tasks = keyed.sorted { ($0.0, $0.1.id) < ($1.0, $1.1.id) }.map(\.1)
        case .deadline:
            tasks.sort { ($0.deadline ?? .distantFuture, $0.id) < ($1.deadline ?? .distantFuture, $1.id) }
        }
        visibleTaskIDs = tasks.map(\.id)
        if let selected, let index = visibleTaskIDs.firstIndex(of: selected) {
            taskCursor = index
        } else {
            taskCursor = min(taskCursor, max(0, visibleTaskIDs.count - 1))
            marked.removeAll()
        }
        clampScroll(fleet)
    }

    func selectedTask(_ fleet: FleetState) -> MaintenanceTask? {
        selectedTaskID.flatMap { fleet.task(id: $0) }
    }

    /// Keeps cursors inside their lists and visible in their panes.
    mutating func clampScroll(_ fleet: FleetState) {
        let layout = self.layout
        taskCursor = max(0, min(taskCursor, visibleTaskIDs.count - 1))
        taskScroll = Self.scroll(taskScroll, cursor: taskCursor, rows: layout.taskRows, count: visibleTaskIDs.count)
        let count = selectedTask(fleet)?.resources.count ?? 0
        resourceCursor = max(0, min(resourceCursor, count - 1))
        resourceScroll = Self.scroll(resourceScroll, cursor: resourceCursor, rows: layout.resourceRows, count: count)
    }

    /// The first row shown: the cursor stays visible, and no row stays blank at the bottom while rows are
    /// hidden above (a window made taller after being small shows more of the list, not empty rows).
    static func scroll(_ scroll: Int, cursor: Int, rows: Int, count: Int) -> Int {
        var first = scroll
        if cursor < first { first = cursor }
        if cursor >= first + rows { first = cursor - rows + 1 }
        return max(0, min(first, count - rows))
    }

    /// The resources an action applies to: the marked ones, else the one under the cursor.
    func targetResources(_ fleet: FleetState) -> [Resource] {
        guard let task = selectedTask(fleet) else { return [] }
        if !marked.isEmpty { return task.resources.filter { marked.contains($0.id) } }
        guard focus == .resources, task.resources.indices.contains(resourceCursor) else { return [] }
        return [task.resources[resourceCursor]]
    }
}
