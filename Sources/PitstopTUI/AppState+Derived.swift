import Foundation
public import PitstopCore

extension AppState {
    /// Recomputes `visibleTaskIDs` from the fleet, the filter and the sort, keeping the selection on the same task.
    mutating func refreshVisibleTasks(_ fleet: FleetState) {
        let selected = selectedTaskID
        let query = FilterQuery(filter)
        var counts: [TaskStatus: Int] = [:]
        for position in fleet.tasks.indices { counts[fleet.tasks.summary(at: position).status, default: 0] += 1 }
        taskCounts = counts
        // By position: a fleet loaded lazily decodes a task here only when a field filter must look inside it.
        let tasks = fleet.tasks
        var positions = Array(tasks.indices)
        if !query.text.isEmpty {
            let found = search.matches(query.text, in: fleet)
            positions = positions.filter { found.contains(tasks.id(at: $0)) }
        }
        if query.hasFields { positions = positions.filter { query.matches(tasks[$0]) } }
        positions = sort.sorted(positions, in: tasks, descending: sortDescending)
        visibleTaskIDs = positions.map { tasks.id(at: $0) }
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
        let shown = paneResources(task)
        if !marked.isEmpty { return shown.filter { marked.contains($0.id) } }
        guard focus == .resources, shown.indices.contains(resourceCursor) else { return [] }
        return [shown[resourceCursor]]
    }

    /// The fleet's sorted ids: the one built off the loop when it is of this catalog, else made now.
    func ids(_ fleet: FleetState) -> FleetIDIndex {
        if let idIndex, idIndex.catalogVersion == fleet.catalogVersion { return idIndex }
        return FleetIDIndex(fleet)
    }

    /// The task's resources in the pane's order (`resourceCursor` indexes this).
    func paneResources(_ task: MaintenanceTask) -> [Resource] {
        resourceSort == .task && !resourceSortDescending ? task.resources : resourceSort.sorted(task.resources, descending: resourceSortDescending)
    }

    /// The resource under the cursor in the pane, if the pane has the focus.
    func resourceUnderCursor(_ fleet: FleetState) -> (task: MaintenanceTask, resource: Resource)? {
        guard focus == .resources, let task = selectedTask(fleet) else { return nil }
        let shown = paneResources(task)
        return shown.indices.contains(resourceCursor) ? (task, shown[resourceCursor]) : nil
    }
}
