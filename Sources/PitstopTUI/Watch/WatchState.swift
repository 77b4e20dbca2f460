public import Foundation
import PitstopCore
import PitstopText

/// What the watch screen shows besides the fleet: size, clock, scope and the loop's own settings.
public struct WatchState: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var now: Date
    public var zone: TimeZone
    public var storePath: String
    /// Only this task, when given.
    public var taskID: String?
    public var engine: EngineStatus = .none(reason: "none")
    public var paused = false
    public var interval: TimeInterval = 1

    public init(width: Int, height: Int, now: Date, zone: TimeZone, storePath: String, taskID: String? = nil) {
        self.width = width
        self.height = height
        self.now = now
        self.zone = zone
        self.storePath = storePath
        self.taskID = taskID
    }
}
