import Foundation
import PitstopCore

/// What each `:` command does to the screen. Nothing here writes the store: `:reserve` opens the editor, which
/// saves only on Enter, like `e`.
enum ConsoleCommands {
    enum Result: Equatable {
        /// Nothing happened; the prompt stays open with this reason.
        case refused(String)
        case done([Effect])
    }

    static func run(_ command: ConsoleCommand, _ argument: String, _ state: inout AppState, _ fleet: FleetState) -> Result {
        if command.needsArgument, argument.isEmpty {
            return .refused(":\(command.rawValue) needs \(command.argument) (Tab completes it)")
        }
        switch command {
        case .task:
            guard fleet.task(id: argument) != nil else { return .refused("not a task: \(argument) (Tab completes ids)") }
            select(task: argument, &state, fleet)
            state.focus = .tasks
            return .done([])
        case .res:
            // The machine in the task on screen if it is there, else in the first task (in list order) that has it.
            let current = state.selectedTask(fleet)
            let owner = current.flatMap { $0.resource(id: argument) != nil ? $0 : nil }
                ?? state.visibleTaskIDs.lazy.compactMap { fleet.task(id: $0) }.first { $0.resource(id: argument) != nil }
                ?? fleet.tasks.first { $0.resource(id: argument) != nil }
            guard let task = owner else { return .refused("not a resource: \(argument) (Tab completes ids)") }
            select(task: task.id, &state, fleet)
            state.focus = .resources
            if let index = state.paneResources(task).firstIndex(where: { $0.id == argument }) { state.resourceCursor = index }
            state.clampScroll(fleet)
            return .done([])
        case .reserve:
            guard !state.readonly else { return .refused("read-only: reserve is disabled (started with --readonly)") }
            guard let task = state.selectedTask(fleet) else { return .refused("select a task first (:task ID)") }
            let at: Date
            do {
                at = try InstantParser.parse(argument, now: state.now, zone: state.zone).date
            } catch {
                return .refused("\(error)")
            }
            Reducer.openEditor(&state, fleet, task: task, ids: state.targetResources(fleet).map(\.id), at: at)
            return .done([])
        case .status:
            guard ResourceStatus.allCases.contains(where: { $0.rawValue.hasPrefix(argument.lowercased()) }) else {
                return .refused("not a status: \(argument) (\(ResourceStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            state.filter = "status:\(argument.lowercased())"
            state.focus = .tasks
            state.taskCursor = 0
            return .done([])
        case .filter:
            state.filter = argument
            state.focus = .tasks
            state.taskCursor = 0
            return .done([])
        case .theme:
            guard state.themeNames.isEmpty || state.themeNames.contains(argument) else {
                return .refused("no theme \(argument) (\(state.themeNames.joined(separator: ", ")))")
            }
            return .done([.loadTheme(argument)])
        case .sort:
            return sort(argument, &state, fleet)
        case .history:
            return .done(Reducer.open(OverlayOpener(HistoryOverlay.self), &state, fleet))
        case .help:
            return .done(Reducer.open(OverlayOpener(HelpOverlay.self), &state, fleet))
        case .quit:
            return .done(Reducer.quitEffects(&state))
        }
    }

    /// `:sort COLUMN [asc|desc]` for the focused pane.
    static func sort(_ argument: String, _ state: inout AppState, _ fleet: FleetState) -> Result {
        let words = argument.lowercased().split(separator: " ").map(String.init)
        let direction = words.count > 1 ? words[1] : "asc"
        guard direction == "asc" || direction == "desc" else { return .refused("the direction is asc or desc, not \(direction)") }
        if state.focus == .resources, let task = state.selectedTask(fleet) {
            guard let key = ResourceSortKey.allCases.first(where: { $0.rawValue.hasPrefix(words[0]) }) else {
                return .refused("the resource pane sorts by \(ResourceSortKey.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let current = state.resourceUnderCursor(fleet)?.resource.id
            state.resourceSort = key
            state.resourceSortDescending = direction == "desc"
            if let current, let index = state.paneResources(task).firstIndex(where: { $0.id == current }) { state.resourceCursor = index }
            state.clampScroll(fleet)
        } else {
            guard let key = SortKey.allCases.first(where: { $0.rawValue.hasPrefix(words[0]) }) else {
                return .refused("the task list sorts by \(SortKey.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            state.sort = key
            state.sortDescending = direction == "desc"
        }
        return .done([])
    }

    /// Selects a task, clearing the filter when it hides it.
    static func select(task id: String, _ state: inout AppState, _ fleet: FleetState) {
        if !state.visibleTaskIDs.contains(id) {
            state.filter = ""
            state.refreshVisibleTasks(fleet)
        }
        if let index = state.visibleTaskIDs.firstIndex(of: id), index != state.taskCursor {
            state.taskCursor = index
            state.resourceCursor = 0
            state.resourceScroll = 0
            state.marked.removeAll()
        }
        state.clampScroll(fleet)
    }
}
