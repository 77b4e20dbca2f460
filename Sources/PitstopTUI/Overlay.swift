import Foundation
import PitstopCore
import PitstopEngine

/// What floats over the panes.
enum Overlay: Equatable, Sendable {
    case help
    case filter
    case schedule(ScheduleEditor)
    case confirm(ConfirmationPrompt)
    case events(scroll: Int)
    case calendar(scroll: Int)
    case output(taskID: String, resourceID: String, scroll: Int)
    /// The plan preview of a task (`p`); nil while it is being worked out.
    case plan(taskID: String, preview: PlanPreview?, scroll: Int)
}
