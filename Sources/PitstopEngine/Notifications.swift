import Foundation
import PitstopCore

/// A notification the engine should send, with the key that makes it happen once.
public struct Notice: Sendable, Equatable {
    public var key: String
    public var taskID: String?
    public var resourceID: String?
    public var message: String
}

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

    public static func due(in state: FleetState, now: Date, sent: Set<String>, zone: TimeZone, limit: Int = perTick) -> [Notice] {
        var candidates: [Candidate] = []
        let leads = state.policy.notifyLeadTimes.sorted()
        for task in state.tasks {
            if !leads.isEmpty {
                for resource in task.resources where resource.status == .reserved {
                    guard let at = resource.scheduledAt, at > now,
                        let lead = leads.first(where: { now >= at.addingTimeInterval(-$0) })
                    else { continue }
                    let key = "lead:\(task.id):\(resource.id):\(Int64(at.timeIntervalSince1970)):\(Int(lead))"
                    if !sent.contains(key) { candidates.append(Candidate(key: key, when: at, task: task, resource: resource)) }
                }
            }
            if task.requirement == .mandatory, let deadline = task.deadline, deadline > now {
                let pending = task.resources.filter { $0.status == .pending }.count
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

/// Sends notifications to the policy's `notifyCommand`: the event as JSON on stdin, a timeout, and the
/// outcome handed back to the engine's loop (a failing hook becomes an event, never a crash).
public final class NotifyHook: @unchecked Sendable {
    public static let timeout: TimeInterval = 10
    private let lock = NSLock()
    private var failures: [(Event, String)] = []

    public init() {}

    /// Starts the hook on a background thread; returns at once.
    public func send(_ event: Event, argv: [String]) {
        guard !argv.isEmpty else { return }
        var data = ExportFormat.json(ExportFormat.eventObject(event))
        data.append(0x0A)
        let input = data
        Thread.detachNewThread { [self] in
            if let problem = Self.run(argv: argv, input: input) {
                lock.withLock { failures.append((event, problem)) }
            }
        }
    }

    /// Failures since the last call.
    public func takeFailures() -> [(Event, String)] {
        lock.withLock {
            defer { failures.removeAll() }
            return failures
        }
    }

    private static func run(argv: [String], input: Data) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0].contains("/") ? argv[0] : "/usr/bin/env")
        process.arguments = argv[0].contains("/") ? Array(argv.dropFirst()) : argv
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return "cannot start \(argv[0]): \(error.localizedDescription)"
        }
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            return "\(argv[0]) did not finish within \(Int(timeout))s and was stopped"
        }
        return process.terminationStatus == 0 ? nil : "\(argv[0]) exited with status \(process.terminationStatus)"
    }
}
