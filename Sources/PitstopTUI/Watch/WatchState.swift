public import Foundation
import PitstopCore
import PitstopText

/// What the watch screen shows besides the fleet: size, clock, scope and the loop's own settings.
struct WatchState: Equatable, Sendable {
    var width: Int
    var height: Int
    var now: Date
    var zone: TimeZone
    var storePath: String
    /// Only this task, when given.
    var taskID: String?
    var engine: EngineStatus = .none(reason: "none")
    /// Why the fleet's etcd cannot be read, and since when (nil: it can, or the store is not in etcd).
    var replicaProblem: ReplicaTrouble?
    var paused = false
    /// The keys and symbols, over the screen (`?`).
    var showHelp = false
    var interval: TimeInterval = 1

    init(width: Int, height: Int, now: Date, zone: TimeZone, storePath: String, taskID: String? = nil) {
        self.width = width
        self.height = height
        self.now = now
        self.zone = zone
        self.storePath = storePath
        self.taskID = taskID
    }
}
