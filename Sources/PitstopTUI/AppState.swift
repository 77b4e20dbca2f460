public import Foundation
public import PitstopCore

/// The whole state of the interactive screen except the fleet itself, which the store owns and every
/// function here receives as an argument (so a poll never copies it).
struct AppState: Equatable, Sendable {
    var width: Int
    var height: Int
    var now: Date
    var zone: TimeZone
    var storePath: String
    var readonly: Bool
    var engine: EngineStatus = .none(reason: "starting")
    /// Why the fleet's etcd cannot be read, and since when (nil: it can, or the store is not in etcd).
    var replicaProblem: ReplicaTrouble?
    var themeName = "default"

    var focus: Focus = .tasks
    /// The panes' keys in force (the config file may remap them).
    var keys = PaneKeyTable.standard
    /// Changes made from this console, newest last, that `u` puts back one by one.
    var undoStack: [UndoEntry] = []
    /// The `:` lines run before, oldest first (read from the history file at start).
    var commandHistory: [String] = []
    /// The themes `:theme` offers (the files found at start).
    var themeNames: [String] = []
    /// Every id of the fleet, sorted, for `:` completion (built off the loop as the console opens).
    var idIndex: FleetIDIndex?
    var sort: SortKey = .id
    var sortDescending = false
    /// The resource pane's order, and whether reversed.
    var resourceSort: ResourceSortKey = .task
    var resourceSortDescending = false
    var filter = ""
    /// Task ids in display order after filter and sort; recomputed when the fleet, filter or sort change.
    var visibleTaskIDs: [String] = []
    /// Tasks per status across the fleet, for the header; recomputed with `visibleTaskIDs`, never per frame.
    var taskCounts: [TaskStatus: Int] = [:]
    var taskCursor = 0
    var taskScroll = 0
    var resourceCursor = 0
    var resourceScroll = 0
    /// Marked resources of the selected task (space), by id.
    var marked: Set<String> = []
    /// What floats over the panes, bottom first (`Overlays/`).
    var overlays = OverlayStack()
    var notification: StatusLine?
    /// The `/` filter's index and last answer.
    var search = TaskSearch()
    /// Who last changed each resource of the selected task (the resource pane's BY column).
    var resourceChanges = ResourceChanges()
    var quit = false

    init(width: Int, height: Int, now: Date, zone: TimeZone, storePath: String, readonly: Bool) {
        self.width = width
        self.height = height
        self.now = now
        self.zone = zone
        self.storePath = storePath
        self.readonly = readonly
    }

    var selectedTaskID: String? {
        visibleTaskIDs.indices.contains(taskCursor) ? visibleTaskIDs[taskCursor] : nil
    }

    var topOverlay: (any OverlayComponent)? { overlays.top }
}
