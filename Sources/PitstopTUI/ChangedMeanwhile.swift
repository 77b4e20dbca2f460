import Foundation
import PitstopCore

/// Who changed what since a person looked: the words a console shows before it asks again, so that two
/// operators never overwrite each other silently (SPEC §17).
enum ChangedMeanwhile {
    /// How far back in the log the author of a change is looked for: the change is new, so it is near the end.
    static let lookBack = 2_000

    /// `members-pg-01-primary is now reserved for 12-05 20:00 (alice, 18:58)`, for the first two moved
    /// resources, and how many more.
    static func describe(_ moved: [ResourceVersion], fleet: FleetState, zone: TimeZone, now: Date) -> String {
        let named = moved.prefix(2).map { version -> String in
            guard let resource = fleet.task(id: version.taskID)?.resource(id: version.resourceID) else {
                return "\(version.resourceID) is gone"
            }
            var text = "\(resource.name) is now \(resource.status.rawValue)"
            if resource.status == .reserved, let at = resource.scheduledAt { text += " for \(ViewText.compact(at, zone: zone, now: now))" }
            if let event = lastChange(of: version, in: fleet) {
                text += " (\(ViewText.who(event.actor)), \(ViewText.compact(event.time, zone: zone, now: now)))"
            }
            return text
        }
        let more = moved.count > 2 ? " and \(moved.count - 2) more changed" : ""
        return named.joined(separator: "; ") + more
    }

    /// What a person is asked again with when resources they saw were changed by another writer: who changed
    /// what, and the versions as they are now (what a second yes will expect). Nil while nobody changed them.
    static func overtaken(_ seen: [ResourceVersion], fleet: FleetState, zone: TimeZone, now: Date) -> (said: String, current: [ResourceVersion])? {
        let moved = ResourceVersion.moved(seen, in: fleet)
        guard !moved.isEmpty else { return nil }
        return (describe(moved, fleet: fleet, zone: zone, now: now), ResourceVersion.refreshed(seen, in: fleet))
    }

    /// The newest event that changed the resource, if it is recent enough to find.
    static func lastChange(of version: ResourceVersion, in fleet: FleetState) -> Event? {
        let events = fleet.events
        var position = events.count - 1
        let stop = max(0, events.count - lookBack)
        while position >= stop {
            let event = events[position]
            if event.resourceID == version.resourceID, event.taskID == version.taskID, !ResourceChanges.notChanges.contains(event.kind) {
                return event
            }
            position -= 1
        }
        return nil
    }
}
