import Foundation
import PitstopCore
import PitstopText

/// Something the user must confirm with `y` before it happens.
struct ConfirmationPrompt: OverlayComponent {
    enum Action: Equatable, Sendable {
        case mutate(Mutation, success: String)
        /// Stop the running attempts of these resources (`K`).
        case cancel(taskID: String, resourceIDs: [String])
        case quit
    }
    var title: String
    var message: String
    var action: Action
    /// The resources as the person saw them when asked: if another writer moves them before `y`, the prompt
    /// says who changed what and asks again.
    var opened: [ResourceVersion] = []

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        switch OverlayKeys.confirm.command(for: key) {
        case .yes?:
            // Another writer moved what the prompt was about: say who and what, and ask again.
            if let (said, current) = ChangedMeanwhile.overtaken(opened, fleet: fleet, zone: state.zone, now: state.now) {
                opened = current
                title = "Changed meanwhile — \(title)"
                state.notification = StatusLine(text: "changed since you were asked: \(said); y to go ahead anyway, n to leave it", level: .warning)
                return .keep
            }
            switch action {
            case .quit:
                state.quit = true
                return .close([.quit])
            case .mutate(let mutation, let success):
                return .close([.mutate(mutation, success: success, expecting: opened)])
            case .cancel(let taskID, let resourceIDs):
                return .close([.cancel(taskID: taskID, resourceIDs: resourceIDs)])
            }
        case .no?: return .close
        case nil: return .keep
        }
    }

    var hints: [(String, String)] { OverlayKeys.confirm.footer }

    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let width = min(70, max(40, DisplayWidth.of(message) / 2 + 8))
        let lines = OverlayViews.wrap(message, width: width - 4)
        let box = OverlayViews.frame(title, width: width, height: lines.count + 5, into: &buffer)
        for (index, line) in lines.enumerated() { buffer.put(line, x: box.x, y: box.y + index, style: Style(.overlay)) }
        let x = buffer.put(" y ", x: box.x, y: box.y + box.h - 1, style: Style(.footerKey, bold: true))
        let end = buffer.put(" yes    ", x: x, y: box.y + box.h - 1, style: Style(.overlay))
        let n = buffer.put(" n ", x: end, y: box.y + box.h - 1, style: Style(.footerKey, bold: true))
        buffer.put(" no (Esc)", x: n, y: box.y + box.h - 1, style: Style(.overlay))
    }
}
