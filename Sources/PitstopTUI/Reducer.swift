import Foundation
import PitstopCore

/// `state + message → state`: the whole behaviour of the screen, as a pure function of the fleet it is given.
enum Reducer {
    static func reduce(_ state: inout AppState, _ message: AppMessage, fleet: FleetState) -> [Effect] {
        let shaped = (filter: state.filter, sort: state.sort, descending: state.sortDescending)
        var effects = handle(&state, message, fleet: fleet)
        effects += refreshDerived(&state, message, fleet: fleet, shaped: shaped)
        return effects
    }

    /// Everything derived from the fleet, the filter, the sort, the selection and the clock, made again here
    /// and only here, after each message: the task list, the BY column, and what each open overlay derives
    /// (the editor's verdict, the calendar's lines), which also take results meant for them.
    static func refreshDerived(_ state: inout AppState, _ message: AppMessage, fleet: FleetState, shaped: (filter: String, sort: SortKey, descending: Bool)) -> [Effect] {
        if message == .fleetChanged || state.filter != shaped.filter || state.sort != shaped.sort || state.sortDescending != shaped.descending {
            state.refreshVisibleTasks(fleet)
        }
        if message == .fleetChanged, let task = state.selectedTask(fleet) {
            state.marked = state.marked.intersection(task.resources.map(\.id))
        }
        state.resourceChanges.update(for: state.selectedTask(fleet), events: fleet.events)
        if case .key = message { return [] }
        return OverlayStack.receive(message, &state, fleet)
    }

    /// What the message itself does (a key to the top overlay or the panes).
    static func handle(_ state: inout AppState, _ message: AppMessage, fleet: FleetState) -> [Effect] {
        switch message {
        case .fleetChanged, .planReady, .planFailed, .output:
            break  // for the derived state and the overlays
        case .tick(let now):
            state.now = now
        case .resized(let width, let height):
            state.width = width
            state.height = height
            state.clampScroll(fleet)
        case .saved(let text):
            state.notification = StatusLine(text: text, level: .success)
            state.marked.removeAll()
        case .writeFailed(let text):
            state.notification = StatusLine(text: text, level: .error)
        case .engine(let status):
            // An engine inside the console that stopped on an error says why once, in full: the header has room
            // only for "engine off".
            if case .none(let reason) = status, reason.hasPrefix("stopped: "), status != state.engine {
                let text = "engine " + reason.replacingOccurrences(of: "stopped: the engine ", with: "stopped: ")
                state.notification = StatusLine(text: text, level: .error)
            }
            state.engine = status
        case .replica(let problem):
            if let problem, state.replicaProblem == nil {
                state.notification = StatusLine(text: "etcd cannot be read \(problem.text); this copy shows what it had, and changes wait for etcd", level: .error)
            } else if problem == nil, state.replicaProblem != nil {
                state.notification = StatusLine(text: "etcd answers again; the fleet is current", level: .info)
            }
            state.replicaProblem = problem
        case .themeChanged(let name):
            state.themeName = name
        case .notify(let notification):
            state.notification = notification
        case .searchIndexReady(let index):
            state.search.adopt(index, for: fleet)
        case .undoable(let entry):
            state.undoStack.append(entry)
            if state.undoStack.count > UndoEntry.depth { state.undoStack.removeFirst() }
        case .idIndexReady(let index):
            if index.catalogVersion == fleet.catalogVersion { state.idIndex = index }
        case .key(let key):
            // Whatever is open, Ctrl-L repaints: a screen that may be wrong is never a mode's business.
            if key == .redraw { return [.repaint] }
            if state.layout.isTooSmall {
                if key == .char("q") { return quitEffects(&state) }
                return []
            }
            if !state.overlays.isEmpty { return OverlayStack.handle(key, &state, fleet) }
            return paneKey(&state, key, fleet: fleet)
        }
        return []
    }

    // MARK: Panes

    /// A key in the panes: looked up in `KeyMap`, refused when it changes the store in read-only mode.
    static func paneKey(_ state: inout AppState, _ key: Key, fleet: FleetState) -> [Effect] {
        state.notification = state.notification?.level == .error ? state.notification : nil
        if case .mouse(let event) = key {
            mouse(&state, event, fleet)
            return []
        }
        guard let binding = state.keys.binding(for: key) else {
            // Say so, rather than do nothing silently (k9s, lazygit); control characters and resizes stay quiet.
            let name: String?
            switch key {
            case .char(let c) where !c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }): name = String(c)
            case .function(let n): name = "F\(n)"
            default: name = nil
            }
            if let name { state.notification = StatusLine(text: "no action for \(name) (? for help)", level: .info) }
            return []
        }
        if binding.changesStore && state.readonly {
            state.notification = StatusLine(text: "read-only: \(binding.name) is disabled (started with --readonly)", level: .warning)
            return []
        }
        switch binding.command {
        case .move(let delta): move(&state, delta, fleet)
        case .page(let up): move(&state, up ? -pageSize(state) : pageSize(state), fleet)
        case .jump(let toFirst): move(&state, toFirst ? -1_000_000 : 1_000_000, fleet)
        case .switchPane(let toResources):
            let resources = toResources ?? (state.focus == .tasks)
            state.focus = resources && state.selectedTaskID != nil ? .resources : .tasks
        case .open:
            if state.focus == .tasks, state.selectedTaskID != nil {
                state.focus = .resources
            } else if state.focus == .resources {
                return open(OverlayOpener(OutputOverlay.self), &state, fleet)
            }
        case .back:
            if !state.marked.isEmpty {
                state.marked.removeAll()
            } else if state.focus == .resources {
                state.focus = .tasks
            } else if !state.filter.isEmpty {
                state.filter = ""
            }
        case .overlay(let opener): return open(opener, &state, fleet)
        case .sort(let reverse): sort(&state, reverse: reverse, fleet)
        case .theme: return [.cycleTheme]
        case .copy: return copy(&state, fleet)
        case .undo: return undo(&state)
        case .nextMatch(let forward): nextMatch(&state, forward, fleet)
        case .repaint: return [.repaint]
        case .quit: return quitEffects(&state)
        case .mark: toggleMark(&state, fleet)
        case .markAll: markAll(&state, fleet)
        case .reserve, .reserveWholeTask, .clear, .excludeOrInclude, .retry, .resume, .cancel, .rehearse:
            return action(&state, binding.command, fleet: fleet)
        }
        return []
    }

    /// `s` takes the focused pane's next sort column (ascending), `S` reverses the pane's order. The cursor stays
    /// on the task or resource it was on.
    static func sort(_ state: inout AppState, reverse: Bool, _ fleet: FleetState) {
        if state.focus == .resources, let task = state.selectedTask(fleet) {
            let current = state.resourceUnderCursor(fleet)?.resource.id
            if reverse {
                state.resourceSortDescending.toggle()
            } else {
                state.resourceSort = state.resourceSort.next
                state.resourceSortDescending = false
            }
            if let current, let index = state.paneResources(task).firstIndex(where: { $0.id == current }) { state.resourceCursor = index }
            state.clampScroll(fleet)
            let arrow = SortKey.arrow(descending: state.resourceSortDescending)
            let by = state.resourceSort == .task ? "the task's order" : state.resourceSort.rawValue
            state.notification = StatusLine(text: "resources sorted by \(by) \(arrow)", level: .info)
            return
        }
        if reverse {
            state.sortDescending.toggle()
        } else {
            state.sort = state.sort.next
            state.sortDescending = false
        }
        state.notification = StatusLine(text: "tasks sorted by \(state.sort.rawValue) \(SortKey.arrow(descending: state.sortDescending))", level: .info)
    }

    /// `n`/`N`: in the resource pane, the next (previous) resource the filter points at, round the end; in the
    /// task list, where every task shown matches, the next (previous) task, round the end.
    static func nextMatch(_ state: inout AppState, _ forward: Bool, _ fleet: FleetState) {
        let query = FilterQuery(state.filter)
        guard !query.isEmpty else {
            state.notification = StatusLine(text: "no filter to go through: / types one (text, or fields like status:failed)", level: .info)
            return
        }
        if state.focus == .resources, let task = state.selectedTask(fleet) {
            let shown = state.paneResources(task)
            let hits = shown.indices.filter { query.highlights(shown[$0]) }
            guard !hits.isEmpty else {
                state.notification = StatusLine(text: "no resource of \(task.id) matches \"\(state.filter)\"", level: .info)
                return
            }
            let cursor = state.resourceCursor
            let next = forward ? (hits.first { $0 > cursor } ?? hits[0]) : (hits.last { $0 < cursor } ?? hits[hits.count - 1])
            move(&state, next - cursor, fleet)
            state.notification = StatusLine(text: "match \((hits.firstIndex(of: next) ?? 0) + 1) of \(hits.count) in \(task.id)", level: .info)
            return
        }
        let count = state.visibleTaskIDs.count
        guard count > 0 else { return }
        let next = (state.taskCursor + (forward ? 1 : count - 1)) % count
        move(&state, next - state.taskCursor, fleet)
        state.notification = StatusLine(text: "match \(next + 1) of \(count)", level: .info)
    }

    /// `u`: the last change made from this console put back, through the store's door like any write, refused
    /// (and forgotten) if any of its resources moved since.
    static func undo(_ state: inout AppState) -> [Effect] {
        guard let entry = state.undoStack.popLast() else {
            state.notification = StatusLine(text: "nothing to undo: no change was made from this console (or all are undone)", level: .info)
            return []
        }
        return [.mutate(.restore(taskID: entry.taskID, resources: entry.before, undoing: entry.sequence, what: entry.what),
                        success: "undone: \(entry.what)", expecting: entry.after)]
    }

    /// `y`: the selected ids to the clipboard, unless there is nothing selected or too much for a terminal.
    static func copy(_ state: inout AppState, _ fleet: FleetState) -> [Effect] {
        let ids = Clipboard.selection(state, fleet)
        guard !ids.isEmpty else {
            state.notification = StatusLine(text: "nothing to copy: no task is selected", level: .warning)
            return []
        }
        let text = ids.joined(separator: "\n")
        guard text.utf8.count <= Clipboard.limit else {
            state.notification = StatusLine(text: "not copied: \(ids.count) ids are more than a terminal's clipboard takes; mark fewer", level: .warning)
            return []
        }
        let said = ids.count == 1 ? ids[0] : "\(ids.count) ids (\(ids[0]) …)"
        return [.copy(text, said: "copied \(said) to the clipboard (OSC 52; in tmux: set -g set-clipboard on)")]
    }

    /// Opens the overlay a key asks for, if it has something to show.
    static func open(_ opener: OverlayOpener, _ state: inout AppState, _ fleet: FleetState) -> [Effect] {
        guard let (overlay, effects) = opener.type.opened(&state, fleet) else { return [] }
        state.overlays.push(overlay)
        return effects
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
        guard let (_, resource) = state.resourceUnderCursor(fleet) else {
            state.notification = StatusLine(text: "marks are for resources: press Tab or Enter to move to the resource pane", level: .info)
            return
        }
        let id = resource.id
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
