public import Foundation
import PitstopCore
import PitstopEngine

/// Everything that happens to the screen: keys, store changes, the clock, results of writes.
enum AppMessage: Equatable, Sendable {
    case key(Key)
    /// The poller brought changes (or a reload) into the fleet.
    case fleetChanged
    case tick(Date)
    case resized(width: Int, height: Int)
    /// A write went through; the text says what was saved.
    case saved(String)
    /// A write was refused or failed; nothing changed.
    case writeFailed(String)
    /// The plan preview asked for with `p` is ready.
    case planReady(taskID: String, PlanPreview)
    /// Working out the plan preview failed: its placeholder closes and the error is said.
    case planFailed(taskID: String, String)
    /// The terminal now shows this theme.
    case themeChanged(String)
    case engine(EngineStatus)
    case notify(StatusLine)
    /// The output of a resource's attempt as the loop last read it from its file (for the output overlay).
    case output(taskID: String, resourceID: String, [String])
    /// The filter's index, built on another thread as the console opened (or reloaded the store).
    case searchIndexReady(TaskSearchIndex)
    /// A change made from this console that `u` can put back.
    case undoable(UndoEntry)
    /// The sorted ids for `:` completion, built on another thread.
    case idIndexReady(FleetIDIndex)
    /// The fleet's etcd cannot be read, or can again (nil).
    case replica(problem: ReplicaTrouble?)
}
