import Foundation
import PitstopCore

/// Copying from the console (`y`): what is copied, and the terminal sequence that copies it.
enum Clipboard {
    /// The most a copy may hold: terminals cap OSC 52 (xterm's default is about 100 KB of base64, some less).
    static let limit = 65_536

    /// The text `y` copies: the marked resources of the task, else the resource under the cursor, as
    /// `TASK/RESOURCE` one per line; in the task list, the task's id.
    static func selection(_ state: AppState, _ fleet: FleetState) -> [String] {
        guard let task = state.selectedTask(fleet) else { return [] }
        let resources = state.targetResources(fleet)
        if resources.isEmpty { return [task.id] }
        return resources.map { "\(task.id)/\($0.id)" }
    }

    /// `ESC ] 52 ; c ; BASE64 BEL`: the clipboard selection, set to `text`.
    static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}"
    }
}
