import Foundation
import PitstopCore

/// Which pane keys go to.
public enum Focus: Equatable, Sendable { case tasks, resources }

/// How the task list is ordered; `s` cycles.
public enum SortKey: String, CaseIterable, Sendable {
    case id, status, priority, deadline, title
}

/// Who runs the engine for this store, as the header shows it.
public enum EngineStatus: Equatable, Sendable {
    case embedded(running: Int)
    case daemon(pid: Int32)
    case none(reason: String)
    /// The embedded engine runs but the store refuses its writes (a full disk); it retries every tick.
    case waiting(running: Int, reason: String)

    /// The engine here runs but the store refuses its writes.
    public var isWaiting: Bool { if case .waiting = self { true } else { false } }

    /// Executions the engine inside this window runs, or nil when it runs none of its own.
    public var runningHere: Int? {
        switch self {
        case .embedded(let running), .waiting(let running, _): running
        case .daemon, .none: nil
        }
    }

    /// `engine: on (3 running)`, `engine: in pid 812`, `engine: off (read-only)`.
    public var label: String {
        switch self {
        case .embedded(let running): return "engine: on (\(running) running)"
        case .daemon(let pid): return "engine: in pid \(pid)"
        case .none(let reason): return "engine: off (\(reason))"
        case .waiting(let running, let reason): return "engine: WAITING (\(reason); \(running) running)"
        }
    }
}

/// A line for the notification bar.
public struct StatusLine: Equatable, Sendable {
    public enum Level: Sendable { case info, success, warning, error }
    public var text: String
    public var level: Level
}

/// Something the user must confirm with `y` before it happens.
public struct ConfirmationPrompt: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        case mutate(Mutation, success: String)
        /// Stop the running attempts of these resources (`K`).
        case cancel(taskID: String, resourceIDs: [String])
        case quit
    }
    public var title: String
    public var message: String
    public var action: Action
}

/// What floats over the panes.
public enum Overlay: Equatable, Sendable {
    case help
    case filter
    case schedule(ScheduleEditor)
    case confirm(ConfirmationPrompt)
    case events(scroll: Int)
    case calendar(scroll: Int)
    case output(taskID: String, resourceID: String, scroll: Int)
}

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
