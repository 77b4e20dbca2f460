import Foundation
import PitstopCore

/// The notifications an engine has sent, by key, so that none goes out twice, kept only while a key can come
/// up again: a daemon that runs for months holds what is still ahead, not everything it ever sent.
///
/// - Lead and deadline keys, which the planner looks for every tick, name their instant: they are forgotten
///   once it has passed (the planner only plans for reservations and deadlines still ahead).
/// - Every other key (failed, cancelled, missed, held, halted, outcome unknown) is made once, right after the
///   write it reports; it is kept for two rounds of `forget` so that a repeat soon after is still caught.
struct SentNotices {
    /// Keys the planner consults (`NotificationPlanner.due`): lead and deadline notices.
    private(set) var planned: Set<String> = []
    /// The lead keys of `planned` as values.
    private(set) var leads: Set<NotificationPlanner.LeadKey> = []
    private var recent: Set<String> = []
    private var older: Set<String> = []
    /// When the last round of `forgetHourly` ran (or the memory was made).
    private var lastRound: Date?

    /// How many keys are held (for tests and logs).
    var count: Int { planned.count + recent.count + older.count }

    /// Records `key` as sent; false when it was sent already.
    mutating func insert(_ key: String, lead: NotificationPlanner.LeadKey? = nil) -> Bool {
        if Self.isPlanned(key) {
            guard planned.insert(key).inserted else { return false }
            if let lead { leads.insert(lead) }
            return true
        }
        if older.contains(key) { return false }
        return recent.insert(key).inserted
    }

    /// A round of `forget`, if an hour has passed since the last one.
    mutating func forgetHourly(now: Date) {
        if let lastRound, now.timeIntervalSince(lastRound) < 3600 { return }
        if lastRound != nil { forget(before: now) }
        lastRound = now
    }

    /// Forgets planned keys whose instant is before `now`, and event keys from two rounds ago.
    mutating func forget(before now: Date) {
        let cutoff = Int64(now.timeIntervalSince1970)
        planned = planned.filter { (Self.instant(of: $0) ?? .max) >= cutoff }
        leads = leads.filter { $0.at >= cutoff }
        older = recent
        recent = []
    }

    /// The planned keys still ahead among the notifications recorded in the log: the engine's memory after a
    /// restart. Read newest first, back to `horizon` before now: a notice for an instant still ahead was sent
    /// at most its lead (or its deadline warning) before that instant. Event keys are not needed: each
    /// follows a write that a restart does not make again.
    init(log: EventLog, now: Date, horizon: TimeInterval) {
        lastRound = now
        let cutoff = Int64(now.timeIntervalSince1970)
        // A day more than the horizon: clocks of engines on other hosts may disagree a little.
        let oldest = now.addingTimeInterval(-horizon - 86400)
        for position in log.positions(ofKind: .notified).reversed() {
            let event = log[position]
            if event.time < oldest { break }
            guard let key = event.key, Self.isPlanned(key), (Self.instant(of: key) ?? .max) >= cutoff else { continue }
            planned.insert(key)
            if let lead = NotificationPlanner.LeadKey(key: key, taskID: event.taskID, resourceID: event.resourceID) { leads.insert(lead) }
        }
    }

    init() {}

    private static func isPlanned(_ key: String) -> Bool { key.hasPrefix("lead:") || key.hasPrefix("deadline:") }

    /// The instant (Unix seconds) a planned key names: a lead key's reservation, a deadline key's deadline.
    static func instant(of key: String) -> Int64? {
        let parts = key.split(separator: ":")
        if key.hasPrefix("lead:"), parts.count >= 5 { return Int64(parts[parts.count - 2]) }
        if key.hasPrefix("deadline:"), parts.count >= 4 { return Int64(parts[parts.count - 2]) }
        return nil
    }
}
