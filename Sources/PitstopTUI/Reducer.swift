import Foundation
import PitstopCore

/// Everything that happens to the screen: keys, store changes, the clock, results of writes.
public enum AppMessage: Equatable, Sendable {
    case key(Key)
    /// The poller brought changes (or a reload) into the fleet.
    case fleetChanged
    case tick(Date)
    case resized(width: Int, height: Int)
    case mutationSucceeded(String)
    case mutationFailed(String)
    case engine(EngineStatus)
    case notify(Notification)
}

/// What the loop must do for the reducer: the only ways the screen reaches the outside.
public enum Effect: Equatable, Sendable {
    case mutate(Mutation, success: String)
    /// Stop running attempts through their supervisors.
    case cancel(taskID: String, resourceIDs: [String])
    case cycleTheme
    case quit
}

/// `state + message → state`: the whole behaviour of the screen, as a pure function of the fleet it is given.
public enum Reducer {
    public static func reduce(_ state: inout AppState, _ message: AppMessage, fleet: FleetState) -> [Effect] {
        switch message {
        case .fleetChanged:
            state.refreshVisibleTasks(fleet)
            if let task = state.selectedTask(fleet) {
                state.marked = state.marked.intersection(task.resources.map(\.id))
            }
        case .tick(let now):
            state.now = now
        case .resized(let width, let height):
            state.width = width
            state.height = height
            state.clampScroll(fleet)
        case .mutationSucceeded(let text):
            state.notification = Notification(text: text, level: .success)
            state.marked.removeAll()
        case .mutationFailed(let text):
            state.notification = Notification(text: text, level: .error)
        case .engine(let status):
            state.engine = status
        case .notify(let notification):
            state.notification = notification
        case .key(let key):
            if state.layout.isTooSmall {
                if key == .char("q") { return quitEffects(&state) }
                return []
            }
            if state.topOverlay != nil { return overlayKey(&state, key, fleet: fleet) }
            return paneKey(&state, key, fleet: fleet)
        }
        return []
    }

    // MARK: Panes

    static func paneKey(_ state: inout AppState, _ key: Key, fleet: FleetState) -> [Effect] {
        state.notification = state.notification?.level == .error ? state.notification : nil
        switch key {
        case .up, .char("k"): move(&state, -1, fleet)
        case .down, .char("j"): move(&state, 1, fleet)
        case .pageUp: move(&state, -pageSize(state), fleet)
        case .pageDown: move(&state, pageSize(state), fleet)
        case .home, .char("g"): move(&state, -1_000_000, fleet)
        case .end, .char("G"): move(&state, 1_000_000, fleet)
        case .tab, .backTab, .right, .left, .char("l"), .char("h"):
            let toResources = key == .right || key == .char("l") ? true : key == .left || key == .char("h") ? false : state.focus == .tasks
            state.focus = toResources && state.selectedTaskID != nil ? .resources : .tasks
        case .enter:
            if state.focus == .tasks, state.selectedTaskID != nil {
                state.focus = .resources
            } else if state.focus == .resources, let task = state.selectedTask(fleet), task.resources.indices.contains(state.resourceCursor) {
                state.overlays.append(.output(taskID: task.id, resourceID: task.resources[state.resourceCursor].id, scroll: 0))
            }
        case .escape:
            if !state.marked.isEmpty {
                state.marked.removeAll()
            } else if state.focus == .resources {
                state.focus = .tasks
            } else if !state.filter.isEmpty {
                state.filter = ""
                state.refreshVisibleTasks(fleet)
            }
        case .char("/"):
            state.overlays.append(.filter)
        case .char("s"):
            let all = SortKey.allCases
            state.sort = all[(all.firstIndex(of: state.sort)! + 1) % all.count]
            state.refreshVisibleTasks(fleet)
            state.notification = Notification(text: "sorted by \(state.sort.rawValue)", level: .info)
        case .char("?"), .function(1):
            state.overlays.append(.help)
        case .char("L"):
            state.overlays.append(.events(scroll: 0))
        case .char("v"):
            state.overlays.append(.calendar(scroll: 0))
        case .char("t"):
            return [.cycleTheme]
        case .char("q"):
            return quitEffects(&state)
        case .char(" "):
            toggleMark(&state, fleet)
        case .char("a"):
            markAll(&state, fleet)
        case .char("o"):
            if let task = state.selectedTask(fleet), task.resources.indices.contains(state.resourceCursor) {
                state.overlays.append(.output(taskID: task.id, resourceID: task.resources[state.resourceCursor].id, scroll: 0))
            }
        case .char("e"), .char("E"), .char("c"), .char("x"), .char("r"), .char("R"), .char("K"):
            return action(&state, key, fleet: fleet)
        case .mouse(let event):
            mouse(&state, event, fleet)
        case .resize:
            break
        default:
            break
        }
        return []
    }

    static func pageSize(_ state: AppState) -> Int {
        max(1, state.focus == .tasks ? state.layout.taskRows - 1 : state.layout.resourceRows - 1)
    }

    static func move(_ state: inout AppState, _ delta: Int, _ fleet: FleetState) {
        switch state.focus {
        case .tasks:
            let before = state.taskCursor
            state.taskCursor = max(0, min(state.visibleTaskIDs.count - 1, state.taskCursor + delta))
            if state.taskCursor != before {
                state.resourceCursor = 0
                state.resourceScroll = 0
                state.marked.removeAll()
            }
        case .resources:
            let count = state.selectedTask(fleet)?.resources.count ?? 0
            state.resourceCursor = max(0, min(count - 1, state.resourceCursor + delta))
        }
        state.clampScroll(fleet)
    }

    static func toggleMark(_ state: inout AppState, _ fleet: FleetState) {
        guard state.focus == .resources, let task = state.selectedTask(fleet), task.resources.indices.contains(state.resourceCursor) else {
            state.notification = Notification(text: "marks are for resources: press Tab or Enter to move to the resource pane", level: .info)
            return
        }
        let id = task.resources[state.resourceCursor].id
        if state.marked.remove(id) == nil { state.marked.insert(id) }
        move(&state, 1, fleet)
    }

    static func markAll(_ state: inout AppState, _ fleet: FleetState) {
        guard let task = state.selectedTask(fleet) else { return }
        state.marked = state.marked.count == task.resources.count ? [] : Set(task.resources.map(\.id))
        state.focus = .resources
    }

    static func mouse(_ state: inout AppState, _ event: MouseEvent, _ fleet: FleetState) {
        let layout = state.layout
        switch event.kind {
        case .wheelUp: move(&state, -3, fleet)
        case .wheelDown: move(&state, 3, fleet)
        case .click:
            let taskRow = event.y - (layout.taskTop + 1)
            let resourceRow = event.y - (layout.resourceTop + 2)
            if taskRow >= 0 && taskRow < layout.taskRows {
                state.focus = .tasks
                move(&state, state.taskScroll + taskRow - state.taskCursor, fleet)
            } else if resourceRow >= 0 && resourceRow < layout.resourceRows {
                state.focus = .resources
                move(&state, state.resourceScroll + resourceRow - state.resourceCursor, fleet)
            }
        }
    }

    /// Quitting changes nothing: attempts run on under their supervisors, and the console says so as it leaves.
    static func quitEffects(_ state: inout AppState) -> [Effect] {
        state.quit = true
        return [.quit]
    }
}
