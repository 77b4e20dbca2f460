import CPitstopSpawn
public import Foundation
public import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// "Prior notifications" that depend only on the state and the time: lead times before each reservation,
/// and 7-day and 1-day warnings for mandatory tasks still waiting for reservations. Only the most imminent
/// lead time that applies is sent, so an engine started late does not send 24h, 1h and 10m at once.
/// At most `limit` are returned, the most urgent first; the rest come on later ticks, so a fleet where
/// thousands of reservations enter their lead time together does not stall the engine's loop.
public enum NotificationPlanner {
    static let deadlineWarnings: [(TimeInterval, String)] = [(86400, "1d"), (7 * 86400, "7d")]
    /// Notifications one tick sends at most.
    public static let perTick = 500

    /// A notice before its text is written: texts are made only for the ones that will be sent.
    private struct Candidate {
        var key: String
        var when: Date
        var task: MaintenanceTask
        var resource: Resource?
        var pending = 0
    }

    /// The prior notifications due at `now` that were not sent yet, the most urgent first.
    public static func due(in state: FleetState, now: Date, sent: Set<String>, zone: TimeZone, limit: Int = perTick) -> [Notice] {
        var candidates: [Candidate] = []
        let leads = state.policy.notifyLeadTimes.sorted()
        for task in state.tasks {
            if !leads.isEmpty {
                let resources = task.resources
                for index in resources.indices where resources[index].status == .reserved {
                    guard let at = resources[index].scheduledAt, at > now,
                        let lead = leads.first(where: { now >= at.addingTimeInterval(-$0) })
                    else { continue }
                    let resource = resources[index]
                    let key = "lead:\(task.id):\(resource.id):\(Int64(at.timeIntervalSince1970)):\(Int(lead))"
                    if !sent.contains(key) { candidates.append(Candidate(key: key, when: at, task: task, resource: resource)) }
                }
            }
            if task.requirement == .mandatory, let deadline = task.deadline, deadline > now {
                let resources = task.resources
                let pending = resources.indices.reduce(0) { $0 + (resources[$1].status == .pending ? 1 : 0) }
                guard pending > 0, let (_, label) = deadlineWarnings.first(where: { now >= deadline.addingTimeInterval(-$0.0) }) else { continue }
                let key = "deadline:\(task.id):\(Int64(deadline.timeIntervalSince1970)):\(label)"
                if !sent.contains(key) { candidates.append(Candidate(key: key, when: deadline, task: task, pending: pending)) }
            }
        }
        if candidates.count > limit {
            candidates.sort { $0.when < $1.when }
            candidates.removeLast(candidates.count - limit)
        }
        return candidates.map { c in
            let task = c.task
            let left = DurationText.format(c.when.timeIntervalSince(now).rounded())
            if let resource = c.resource {
                return Notice(
                    key: c.key, taskID: task.id, resourceID: resource.id,
                    message: "\(resource.name) (\(task.id) \(task.title)) starts at \(InstantText.short(c.when, in: zone)), in \(left)\(task.downtime ? "; causes DOWNTIME" : "")")
            }
            return Notice(
                key: c.key, taskID: task.id, resourceID: nil,
                message: "\(task.id) \(task.title): deadline \(InstantText.short(c.when, in: zone)) in \(left) and \(c.pending) resource\(c.pending == 1 ? "" : "s") still need a reservation")
        }
    }
}
