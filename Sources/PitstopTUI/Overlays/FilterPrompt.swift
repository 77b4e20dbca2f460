import Foundation
import PitstopCore

/// `/`: the filter typed on the notification line; the task list narrows as each character lands.
struct FilterPrompt: OverlayComponent {
    static func open(_ state: inout AppState, _ fleet: FleetState) -> (FilterPrompt, [Effect])? { (FilterPrompt(), []) }

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        switch OverlayKeys.filter.command(for: key) {
        case .keep?:
            state.notification = state.filter.isEmpty ? nil : StatusLine(text: "filter \"\(state.filter)\": \(state.visibleTaskIDs.count) task(s); Esc clears it", level: .info)
            return .close
        case .clearAndLeave?:
            // Leaves the prompt and the filter together, as lazygit's and k9s's do: a `/` typed next opens it again.
            state.filter = ""
            state.taskCursor = 0
            return .close
        case .erase?:
            if !state.filter.isEmpty { state.filter.removeLast() }
        case nil:
            if case .char(let c) = key, !c.isNewline { state.filter.append(c) }
        }
        // The list is filtered again by the reducer's refresh, which sees the filter changed.
        state.taskCursor = 0
        return .keep
    }

    var hints: [(String, String)] { [("type", "filter")] + OverlayKeys.filter.footer }

    /// On the notification line, over whatever it said.
    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let y = buffer.height - 2
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: .plain)
        let x = buffer.put(" / ", x: 0, y: y, style: Style(.accent, bold: true))
        let end = buffer.put(state.filter, x: x, y: y, style: Style(.input))
        let count = state.visibleTaskIDs.count
        let unknown = FilterQuery(state.filter).unknownFields
        if let name = unknown.first {
            // Kept as text, so nothing is lost; but the person probably meant a field.
            buffer.put("▏ \(count) match\(count == 1 ? "" : "es"); \(name): is not a field (\(FilterQuery.fieldNames.joined(separator: " ")))", x: end, y: y, style: Style(.warning))
        } else {
            buffer.put("▏ \(count) match\(count == 1 ? "" : "es") (text, or status: svc: type: cluster: role: label:K=V held)", x: end, y: y, style: Style(.dim))
        }
    }
}
