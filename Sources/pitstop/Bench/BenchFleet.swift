import Foundation
import PitstopCore

/// The benchmark fleet of SPEC §8: the demo generator at size, padded to the event count asked for.
enum BenchFleet {
    static func build(tasks: Int, resources: Int, events: Int, now: Date) -> FleetState {
        DemoFleet(taskCount: tasks, resourceCount: resources, seed: 8).build(now: now, minimumEvents: events)
    }

    /// Reserves `count` pending resources due one second from `now`, for the engine-tick figure.
    static func withDueReservations(_ fleet: FleetState, count: Int, now: Date) -> FleetState {
        var fleet = fleet
        var policy = fleet.policy
        policy.minLeadTime = 0
        policy.conflictWindow = 0
        let context = MutationContext(now: now, actor: "bench", timeZone: TimeZone(identifier: "UTC")!)
        _ = try? fleet.apply(.setPolicy(policy), context: context)
        var reserved = 0
        for task in fleet.tasks where reserved < count {
            let ids = task.resources.filter { $0.status == .pending }.map(\.id).prefix(count - reserved)
            guard !ids.isEmpty else { continue }
            // A millisecond apart, so that each cluster's replicas come before its primary (the topology rule).
            let stagger = Stagger(spacing: 0.001)
            if (try? fleet.apply(.reserve(taskID: task.id, selection: .ids(Array(ids)), at: now.addingTimeInterval(1), stagger: stagger, force: true), context: context)) != nil {
                reserved += ids.count
            }
        }
        return fleet
    }
}

/// Wall-clock timing helpers; medians of repeated runs damp a shared machine's noise.
enum Timing {
    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    }

    static func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    /// Resident memory of this process in MB, from /proc.
    static func residentMB() -> Double { statusMB("VmRSS:") }

    /// The most this process has held resident so far.
    static func peakResidentMB() -> Double { statusMB("VmHWM:") }

    private static func statusMB(_ field: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb / 1024
    }

    /// The resident memory that `pitstop store info` reports for itself: a process that holds one store,
    /// unlike the bench, which holds several fleets at once.
    static func childResidentMB(_ arguments: [String]) throws -> (resident: Double, peak: Double) {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        child.arguments = arguments
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        let number = { (prefix: String) -> Double in
            let line = text.split(separator: "\n").first { $0.hasPrefix(prefix) }
            return line.flatMap { Double($0.dropFirst(prefix.count).split(separator: " ").first ?? "") } ?? 0
        }
        return (number("memory"), number("peak memory"))
    }
}
