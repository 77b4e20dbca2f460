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
    /// The longest a notice goes out before its instant: the longest lead time or deadline warning.
    static func longestLead(_ policy: Policy) -> TimeInterval {
        max(policy.notifyLeadTimes.max() ?? 0, deadlineWarnings.map(\.0).max() ?? 0)
    }

    /// Notifications one tick sends at most.
    public static let perTick = 500

    /// The key of a lead-time notice as a value: comparing it costs no string to be built, so a tick checks
    /// the thousands of reservations inside a lead time that were notified already without making their keys.
    public struct LeadKey: Hashable, Sendable {
        let taskID: String
        let resourceID: String
        let at: Int64
        let lead: Int

        /// The key as events store it.
        var text: String { "lead:\(taskID):\(resourceID):\(at):\(lead)" }

        init(taskID: String, resourceID: String, at: Int64, lead: Int) {
            (self.taskID, self.resourceID, self.at, self.lead) = (taskID, resourceID, at, lead)
        }

        /// The value of a stored lead key, given the task and resource its event names; nil for any other key.
        init?(key: String, taskID: String?, resourceID: String?) {
            guard key.hasPrefix("lead:"), let taskID, let resourceID else { return nil }
            let parts = key.split(separator: ":")
            guard parts.count >= 5, let at = Int64(parts[parts.count - 2]), let lead = Int(parts[parts.count - 1]) else { return nil }
            self.init(taskID: taskID, resourceID: resourceID, at: at, lead: lead)
            guard text == key else { return nil }
        }
    }

    /// A notice before its text is written: texts are made only for the ones that will be sent.
    /// Small and copy-free (positions, not copies of the task and resource), since a fleet can have tens of
    /// thousands of reservations entering a lead time together and only `limit` of them are sent.
    private struct Candidate {
        var when: Date
        var task: Int32
        /// The resource's position for a lead notice; -1 for a deadline warning.
        var resource: Int32
        var lead: Int32 = 0
        var pending: Int32 = 0
    }

    /// The positions of the `limit` soonest of `times`, soonest first, ties in position order: what a stable
    /// sort cut to `limit` gives, without sorting the tens of thousands a fleet entering a lead time can have.
    static func soonest(_ limit: Int, of times: [Date]) -> [Int] {
        guard limit > 0 else { return [] }
        // A heap of positions whose top is the latest of those kept (by time, then position).
        let later = { (a: Int, b: Int) in times[a] != times[b] ? times[a] > times[b] : a > b }
        var heap: [Int] = []
        heap.reserveCapacity(limit)
        for position in times.indices {
            if heap.count < limit {
                heap.append(position)
                var child = heap.count - 1
                while child > 0, later(heap[child], heap[(child - 1) / 2]) {
                    heap.swapAt(child, (child - 1) / 2)
                    child = (child - 1) / 2
                }
            } else if later(heap[0], position) {
                heap[0] = position
                var parent = 0
                while true {
                    var top = parent
                    let (left, right) = (2 * parent + 1, 2 * parent + 2)
                    if left < heap.count && later(heap[left], heap[top]) { top = left }
                    if right < heap.count && later(heap[right], heap[top]) { top = right }
                    if top == parent { break }
                    heap.swapAt(parent, top)
                    parent = top
                }
            }
        }
        return heap.sorted { later($1, $0) }
    }

    /// The prior notifications due at `now` that were not sent yet, the most urgent first.
    /// Lead notices are looked up in `sentLeads` (the same keys as values), deadline warnings in `sent`.
    public static func due(in state: FleetState, now: Date, sent: Set<String>, sentLeads: Set<LeadKey>, zone: TimeZone,
                           limit: Int = perTick) -> [Notice] {
        var candidates: [Candidate] = []
        var deadlineKeys: [Int32: String] = [:]
        let leads = state.policy.notifyLeadTimes.sorted()
        let tasks = state.tasks.array
        for t in tasks.indices {
            if !leads.isEmpty {
                let resources = tasks[t].resources
                for index in resources.indices where resources[index].status == .reserved {
                    guard let at = resources[index].scheduledAt, at > now,
                        let lead = leads.first(where: { now >= at.addingTimeInterval(-$0) })
                    else { continue }
                    let leadKey = LeadKey(taskID: tasks[t].id, resourceID: resources[index].id, at: Int64(at.timeIntervalSince1970), lead: Int(lead))
                    guard !sentLeads.contains(leadKey) else { continue }
                    candidates.append(Candidate(when: at, task: Int32(t), resource: Int32(index), lead: Int32(lead)))
                }
            }
            if tasks[t].requirement == .mandatory, let deadline = tasks[t].deadline, deadline > now {
                let resources = tasks[t].resources
                let pending = resources.indices.reduce(0) { $0 + (resources[$1].status == .pending ? 1 : 0) }
                guard pending > 0, let (_, label) = deadlineWarnings.first(where: { now >= deadline.addingTimeInterval(-$0.0) }) else { continue }
                let key = "deadline:\(tasks[t].id):\(Int64(deadline.timeIntervalSince1970)):\(label)"
                guard !sent.contains(key) else { continue }
                deadlineKeys[Int32(t)] = key
                candidates.append(Candidate(when: deadline, task: Int32(t), resource: -1, pending: Int32(pending)))
            }
        }
        if candidates.count > limit { candidates = soonest(limit, of: candidates.map(\.when)).map { candidates[$0] } }
        return candidates.map { c in
            let task = tasks[Int(c.task)]
            let left = DurationText.format(c.when.timeIntervalSince(now).rounded())
            if c.resource >= 0 {
                let resource = task.resources[Int(c.resource)]
                let lead = LeadKey(taskID: task.id, resourceID: resource.id, at: Int64(c.when.timeIntervalSince1970), lead: Int(c.lead))
                return Notice(
                    key: lead.text, taskID: task.id, resourceID: resource.id,
                    message: "\(resource.name) (\(task.id) \(task.title)) starts at \(InstantText.short(c.when, in: zone)), in \(left)\(task.downtime ? "; causes DOWNTIME" : "")",
                    lead: lead)
            }
            return Notice(
                key: deadlineKeys[c.task] ?? "", taskID: task.id, resourceID: nil,
                message: "\(task.id) \(task.title): deadline \(InstantText.short(c.when, in: zone)) in \(left) and \(c.pending) resource\(c.pending == 1 ? "" : "s") still need a reservation")
        }
    }
}
