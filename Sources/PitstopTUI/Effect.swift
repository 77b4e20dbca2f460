import Foundation
public import PitstopCore

/// What the loop must do for the reducer: the only ways the screen reaches the outside.
enum Effect: Equatable, Sendable {
    /// A write; `expecting` names the resources as the person saw them, and the store refuses the write if
    /// another writer moved any of them meanwhile.
    case mutate(Mutation, success: String, expecting: [ResourceVersion] = [])
    /// Stop running attempts through their supervisors.
    case cancel(taskID: String, resourceIDs: [String])
    /// Work out the plan preview of a task (a run of the engine on a copy of the fleet).
    case plan(taskID: String)
    /// Dry-run resources now, in a `pitstop rehearse` process of its own; its verdicts reach the screen as events.
    case rehearse(taskID: String, resourceIDs: [String])
    /// Put text on the terminal's clipboard (OSC 52); `said` is the status line's account of it.
    case copy(String, said: String)
    /// Switch to the theme of this name (`:theme`).
    case loadTheme(String)
    /// Add a line to the `:` history file.
    case remember(String)
    case cycleTheme
    /// Clear the terminal and draw the next frame whole (`Ctrl-L`).
    case repaint
    case quit
}
