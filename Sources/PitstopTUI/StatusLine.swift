import Foundation
import PitstopCore

/// A line for the notification bar.
struct StatusLine: Equatable, Sendable {
    enum Level: Sendable { case info, success, warning, error }
    var text: String
    var level: Level
}
