import Foundation
import PitstopCore
import PitstopTUI

/// One event as a line of text: `2026-11-25 19:30 +00:00  reserved  MT-0001/my-00042  message  (actor)`.
enum EventLine {
    static func format(_ event: Event, zone: TimeZone) -> String {
        let target = [event.taskID, event.resourceID].compactMap { $0 }.joined(separator: "/")
        return DisplayWidth.sanitized(
            "\(InstantText.short(event.time, in: zone))  \(event.kind.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(target.isEmpty ? "-" : target)  \(event.message)  (\(event.actor))")
    }
}
