import Foundation
import PitstopCore

/// A line for the notification bar.
public struct StatusLine: Equatable, Sendable {
    public enum Level: Sendable { case info, success, warning, error }
    public var text: String
    public var level: Level
}
