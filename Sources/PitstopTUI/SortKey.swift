import Foundation
import PitstopCore

/// How the task list is ordered; `s` cycles.
enum SortKey: String, CaseIterable, Sendable {
    case id, status, priority, deadline, title
}
