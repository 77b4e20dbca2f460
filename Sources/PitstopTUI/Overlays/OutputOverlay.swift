import Foundation
import PitstopCore

/// `o`: the output of a resource's current (or last) attempt, followed live while it runs; or of one attempt
/// named by an event (`o` in an event's full text). The loop reads the file (`AttemptOutput`) and sends what it
/// holds as `AppMessage.output`; this overlay only shows it.
struct OutputOverlay: OverlayComponent {
    var taskID: String
    var resourceID: String
    /// The attempt whose output this is; nil for the resource's current one.
    var attempt: UInt64?
    /// The output's lines, as last read.
    var lines: [String] = []
    /// Scrolled up from the end.
    var list = ScrollingList()

    init(taskID: String, resourceID: String, attempt: UInt64? = nil) {
        self.taskID = taskID
        self.resourceID = resourceID
        self.attempt = attempt
    }

    /// The resource under the cursor of the resource pane.
    static func open(_ state: inout AppState, _ fleet: FleetState) -> (OutputOverlay, [Effect])? {
        guard let (task, resource) = state.resourceUnderCursor(fleet) else { return nil }
        return (OutputOverlay(taskID: task.id, resourceID: resource.id), [])
    }

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        list.simple(key, limit: lines.count - ScrollingList.pageRows(state.height))
    }

    mutating func receive(_ message: AppMessage, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        if case .output(taskID, resourceID, let read) = message { lines = read }
        return .keep
    }

    var hints: [(String, String)] { ScrollingList.hints }

    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let box = OverlayViews.frame("Output — \(taskID)/\(resourceID)", width: buffer.width - 4, height: buffer.height - 4, into: &buffer)
        if lines.isEmpty { buffer.put("No output recorded for this resource yet.", x: box.x, y: box.y, style: Style(.dim)) }
        let bottom = max(0, lines.count - box.h - list.scroll)
        for row in 0..<box.h where bottom + row < lines.count {
            buffer.put(lines[bottom + row], x: box.x, y: box.y + row, style: Style(.overlay), maxWidth: box.w)
        }
    }
}
