import Foundation
import PitstopCore
import PitstopStore

/// Why the fleet's etcd cannot be read, and since when, as the console and the watch screen say it.
struct ReplicaTrouble: Equatable, Sendable {
    /// The time of day it began (`02:10`).
    var since: String
    /// Why, in etcd's words.
    var message: String

    /// `since 02:10: etcd unreachable: …`
    var text: String { "since \(since): \(message)" }

    /// The store's trouble with its replica now, or nil.
    init?(_ store: Store, zone: TimeZone) {
        guard let problem = store.replicaProblem else { return nil }
        self.init(since: ViewText.timeOfDay(CivilTime(problem.since, zone: zone)), message: problem.message)
    }

    init(since: String, message: String) {
        self.since = since
        self.message = message
    }
}
