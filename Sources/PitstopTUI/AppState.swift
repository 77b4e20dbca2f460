public import Foundation
public import PitstopCore

/// The whole state of the interactive screen except the fleet itself, which the store owns and every
/// function here receives as an argument (so a poll never copies it).
public struct AppState: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var now: Date
    public var zone: TimeZone
    public var storePath: String
    public var readonly: Bool
    public var engine: EngineStatus = .none(reason: "starting")
    public var themeName = "default"

    public var focus: Focus = .tasks
    public var sort: SortKey = .id
    public var filter = ""
    /// Task ids in display order after filter and sort; recomputed when the fleet, filter or sort change.
    public var visibleTaskIDs: [String] = []
    /// Tasks per status across the fleet, for the header; recomputed with `visibleTaskIDs`, never per frame.
    public var taskCounts: [TaskStatus: Int] = [:]
    public var taskCursor = 0
    public var taskScroll = 0
    public var resourceCursor = 0
    public var resourceScroll = 0
    /// Marked resources of the selected task (space), by id.
    public var marked: Set<String> = []
    public var overlays: [Overlay] = []
    public var notification: StatusLine?
    /// The output shown by the output overlay; the loop reads it from the store's `outputs/` folder.
    public var outputLines: [String] = []
    public var quit = false

    public init(width: Int, height: Int, now: Date, zone: TimeZone, storePath: String, readonly: Bool) {
        self.width = width
        self.height = height
        self.now = now
        self.zone = zone
        self.storePath = storePath
        self.readonly = readonly
    }

    public var selectedTaskID: String? {
        visibleTaskIDs.indices.contains(taskCursor) ? visibleTaskIDs[taskCursor] : nil
    }

    public var topOverlay: Overlay? { overlays.last }
}
