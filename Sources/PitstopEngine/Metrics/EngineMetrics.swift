public import Foundation
public import PitstopCore

/// What an engine counts about itself for `/metrics`, since it started: its ticks and how long they took, and
/// the notifications its hook dropped.
public struct EngineCounters: Sendable {
    /// Upper bounds of the tick-duration histogram, in seconds.
    public static let bounds: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
    public private(set) var count: UInt64 = 0
    public private(set) var sum: Double = 0
    /// Ticks at or under each bound (cumulative, as Prometheus reads them).
    public private(set) var buckets = [UInt64](repeating: 0, count: EngineCounters.bounds.count)
    /// Notifications dropped because the notify command's queue was full (each is also a notify-failed event).
    public internal(set) var notificationsDropped: UInt64 = 0

    public init() {}

    mutating func record(_ seconds: Double) {
        count += 1
        sum += seconds
        for (index, bound) in Self.bounds.enumerated() where seconds <= bound { buckets[index] += 1 }
    }
}

/// The Prometheus text exposition (format 0.0.4) of a fleet and its engine (SPEC §19).
public enum MetricsText {
    /// Everything `/metrics` serves: resources by task and status, held resources by why, failures, outcome
    /// unknown, halted tasks, notifications, running attempts, ticks, and whether this engine leads.
    public static func render(_ state: FleetState, running: Int, counters ticks: EngineCounters, leads: Bool) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) { out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n" }
        func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
            let text = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
            out += "\(name)\(text) \(format(value))\n"
        }

        family("pitstop_resources", "gauge", "Resources of each task by status.")
        var held: [String: Int] = [:]
        var failures = 0
        for task in state.tasks {
            var counts: [ResourceStatus: Int] = [:]
            for resource in task.resources {
                counts[resource.status, default: 0] += 1
                failures += resource.failures
                if let reason = resource.heldReason { held[holdKind(reason), default: 0] += 1 }
            }
            for status in ResourceStatus.allCases { sample("pitstop_resources", [("task", task.id), ("status", status.rawValue)], Double(counts[status] ?? 0)) }
        }
        family("pitstop_resources_held", "gauge", "Reservations the engine holds at their start time, by why.")
        for kind in ["topology", "wave", "precheck", "patroni", "other"] { sample("pitstop_resources_held", [("reason", kind)], Double(held[kind] ?? 0)) }
        family("pitstop_resource_failures", "gauge", "Failures counted on resources now (each resource's failure count, summed).")
        sample("pitstop_resource_failures", [], Double(failures))
        family("pitstop_outcome_unknown_total", "counter", "Executions whose outcome was unknown (their supervisor or host lost).")
        sample("pitstop_outcome_unknown_total", [], Double(state.events.positions(ofKind: .outcomeUnknown).count))
        family("pitstop_tasks_halted", "gauge", "Tasks halted at their maxFailures.")
        sample("pitstop_tasks_halted", [], Double(state.tasks.filter(\.halted).count))
        family("pitstop_notifications_total", "counter", "Notifications recorded, and those the notify command did not deliver.")
        sample("pitstop_notifications_total", [("result", "sent")], Double(state.events.positions(ofKind: .notified).count))
        sample("pitstop_notifications_total", [("result", "failed")], Double(state.events.positions(ofKind: .notifyFailed).count))
        family("pitstop_notifications_dropped_total", "counter", "Of the failed, those dropped unsent because the notify command's queue was full, since this engine started.")
        sample("pitstop_notifications_dropped_total", [], Double(ticks.notificationsDropped))
        family("pitstop_attempts_running", "gauge", "Attempts this engine follows now.")
        sample("pitstop_attempts_running", [], Double(running))
        family("pitstop_engine_leader", "gauge", "1 when this engine leads its fleet (always, on a store of one host), else 0.")
        sample("pitstop_engine_leader", [], leads ? 1 : 0)
        family("pitstop_engine_tick_seconds", "histogram", "How long the engine's ticks took.")
        for (index, bound) in EngineCounters.bounds.enumerated() {
            sample("pitstop_engine_tick_seconds_bucket", [("le", format(bound))], Double(ticks.buckets[index]))
        }
        sample("pitstop_engine_tick_seconds_bucket", [("le", "+Inf")], Double(ticks.count))
        sample("pitstop_engine_tick_seconds_sum", [], ticks.sum)
        sample("pitstop_engine_tick_seconds_count", [], Double(ticks.count))
        return out
    }

    /// A held reservation's reason in a few kinds (the reasons themselves name resources: too many to label).
    static func holdKind(_ reason: String) -> String {
        if reason.hasPrefix("waiting for replica") { return "topology" }
        if reason.hasPrefix("wave ") { return "wave" }
        if reason.contains("Patroni") { return "patroni" }
        if reason.hasPrefix("precheck") { return "precheck" }
        return "other"
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
