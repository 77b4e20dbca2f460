import Foundation
import PitstopCore
import PitstopEngine

/// What floats over the panes.
enum Overlay: Equatable, Sendable {
    /// The keys of every mode and what each symbol on screen means; scrolls on small screens.
    case help(scroll: Int)
    case filter
    case schedule(ScheduleEditor)
    case confirm(ConfirmationPrompt)
    case events(scroll: Int)
    /// One event of the log in full (Enter on the event log's first row): its whole text, who and when.
    case eventDetail(position: Int)
    case calendar(scroll: Int)
    case output(taskID: String, resourceID: String, scroll: Int)
    /// The plan preview of a task (`p`); nil while it is being worked out.
    case plan(taskID: String, preview: PlanPreview?, scroll: Int)
}
