import Foundation
import PitstopCore

/// What floats over the panes.
enum Overlay: Equatable, Sendable {
    case help
    case filter
    case schedule(ScheduleEditor)
    case confirm(ConfirmationPrompt)
    case events(scroll: Int)
    case calendar(scroll: Int)
    case output(taskID: String, resourceID: String, scroll: Int)
}
