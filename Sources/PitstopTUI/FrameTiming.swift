public import Foundation
public import PitstopCore

/// Frames for `pitstop bench`, drawn by the real views into a cell buffer, without the executable having to
/// know the console's state types.
public enum FrameTiming {
    /// Renders the console's main screen of `fleet` at a size; the task list is filtered and sorted once,
    /// as the console does when the fleet changes, so a call costs what one frame costs.
    public static func consoleFrame(fleet: FleetState, width: Int, height: Int, now: Date, storePath: String) -> () -> Void {
        let prepared = mainScreen(fleet, width: width, height: height, now: now, storePath: storePath)
        return { _ = Renderer.render(prepared, fleet: fleet) }
    }

    /// Moves the cursor down one task and renders, as a key press does: the reducer's work (including finding
    /// who last changed each resource of the newly selected task, newest event first) plus one frame.
    public static func nextTaskFrame(fleet: FleetState, width: Int, height: Int, now: Date, storePath: String) -> () -> Void {
        var state = mainScreen(fleet, width: width, height: height, now: now, storePath: storePath)
        return {
            if state.taskCursor + 1 >= state.visibleTaskIDs.count { _ = Reducer.reduce(&state, .key(.home), fleet: fleet) }
            _ = Reducer.reduce(&state, .key(.down), fleet: fleet)
            _ = Renderer.render(state, fleet: fleet)
        }
    }

    /// Types `query` into the `/` filter one key per call, rendering after each, as a person types; at the end
    /// the filter is cleared (Esc) and typing starts again.
    public static func filterKeyFrame(fleet: FleetState, query: String, width: Int, height: Int, now: Date, storePath: String) -> () -> Void {
        var state = mainScreen(fleet, width: width, height: height, now: now, storePath: storePath)
        let keys = Array(query)
        var typed = 0
        return {
            if typed == keys.count {
                _ = Reducer.reduce(&state, .key(.escape), fleet: fleet)
                typed = 0
            }
            if typed == 0 { _ = Reducer.reduce(&state, .key(.char("/")), fleet: fleet) }
            _ = Reducer.reduce(&state, .key(.char(keys[typed])), fleet: fleet)
            typed += 1
            _ = Renderer.render(state, fleet: fleet)
        }
    }

    /// The first key typed into the filter of a console just opened: `/` and one character, then a frame. The
    /// filter's index is built before the clock starts, as the console builds it on another thread while the
    /// person reads the first screen; each call starts from a fresh console.
    public static func firstFilterKeyFrame(fleet: FleetState, query: Character, width: Int, height: Int, now: Date, storePath: String) -> () -> Void {
        var opened = mainScreen(fleet, width: width, height: height, now: now, storePath: storePath)
        opened.search.adopt(TaskSearchIndex(Array(fleet.tasks), catalogVersion: fleet.catalogVersion), for: fleet)
        return {
            var state = opened
            _ = Reducer.reduce(&state, .key(.char("/")), fleet: fleet)
            _ = Reducer.reduce(&state, .key(.char(query)), fleet: fleet)
            _ = Renderer.render(state, fleet: fleet)
        }
    }

    /// Tab on the `:` line after `text` (`res pg-0`: a prefix of thousands of resource ids), with the ids'
    /// index built as the console builds it off the loop while it opens, and a frame; then Esc.
    public static func commandCompletionFrame(fleet: FleetState, text: String, width: Int, height: Int, now: Date, storePath: String) -> () -> Void {
        var state = mainScreen(fleet, width: width, height: height, now: now, storePath: storePath)
        state.idIndex = FleetIDIndex(fleet)
        return {
            _ = Reducer.reduce(&state, .key(.char(":")), fleet: fleet)
            for c in text { _ = Reducer.reduce(&state, .key(.char(c)), fleet: fleet) }
            _ = Reducer.reduce(&state, .key(.tab), fleet: fleet)
            _ = Renderer.render(state, fleet: fleet)
            _ = Reducer.reduce(&state, .key(.escape), fleet: fleet)
        }
    }

    /// Presses `key` on the main screen, its cursor on the second task (opening an overlay, cycling the sort…),
    /// and renders; then presses Esc for the next call.
    public static func keyFrame(_ key: Character, fleet: FleetState, width: Int, height: Int, now: Date, storePath: String) -> () -> Void {
        var state = mainScreen(fleet, width: width, height: height, now: now, storePath: storePath)
        _ = Reducer.reduce(&state, .key(.down), fleet: fleet)
        return {
            _ = Reducer.reduce(&state, .key(.char(key)), fleet: fleet)
            _ = Renderer.render(state, fleet: fleet)
            _ = Reducer.reduce(&state, .key(.escape), fleet: fleet)
        }
    }

    /// The console's main screen of `fleet`, its task list filtered and sorted as when the fleet changes.
    private static func mainScreen(_ fleet: FleetState, width: Int, height: Int, now: Date, storePath: String) -> AppState {
        var state = AppState(width: width, height: height, now: now, zone: .current, storePath: storePath, readonly: false)
        state.refreshVisibleTasks(fleet)
        return state
    }

    /// Renders the watch screen of `fleet` at a size.
    public static func watchFrame(fleet: FleetState, width: Int, height: Int, now: Date, storePath: String) -> () -> Void {
        let state = WatchState(width: width, height: height, now: now, zone: .current, storePath: storePath)
        return { _ = WatchView.render(state, fleet: fleet) }
    }
}
