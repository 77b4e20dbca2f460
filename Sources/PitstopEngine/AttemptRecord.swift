public import Foundation

/// What an attempt's record file says: written line by line by the engine (the header) and then by the
/// attempt's supervisor (`pitstop-supervisor`, see its main.c for the lines), each line synced before the
/// next step. A line without its newline was cut by a crash and is ignored; unknown lines are skipped.
public struct AttemptRecord: Sendable, Equatable {
    /// How the command ended, as the supervisor saw it.
    public enum End: Sendable, Equatable {
        case exited(code: Int32, reason: Reason?)
        case signalled(signal: Int32, reason: Reason?)
        /// The supervisor gave up before starting the command (no exec line was written).
        case refused(String)
        /// The precheck said no (its exit, e.g. "exit 1"): nothing ran, the resource is held.
        case held(String)
    }

    /// Why the supervisor stopped the command, when it did.
    public enum Reason: Sendable, Equatable {
        case timeout(seconds: Double)
        case cancelled(by: String)
    }

    /// The attempt's id, from the header.
    public var attemptID: UInt64?
    /// The task, from the header.
    public var taskID: String?
    /// The resource, from the header.
    public var resourceID: String?
    /// 1 for the first attempt of an execution.
    public var number: Int?
    /// The supervisor's pid; meaningful only while the record is locked.
    public var supervisorPID: Int32?
    /// When the supervisor was about to start the command; nil means the command never ran.
    public var execAt: Date?
    /// The command's pid, leader of its process group.
    public var childPID: Int32?
    /// When the command started.
    public var childStartedAt: Date?
    /// When the supervisor saw it end.
    public var endedAt: Date?
    /// How it ended; nil while it runs, or when its supervisor was lost.
    public var end: End?
    /// The hook in which the attempt ended, when it was not the command itself (`switchover`, `healthcheck`).
    public var failedStep: String?

    /// An empty record.
    public init() {}

    static let magic = "pitstop-attempt 1"

    /// The header the engine writes before it hands the record to a supervisor.
    static func header(attemptID: UInt64, job: ExecutionJob, now: Date) -> String {
        func clean(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ") }
        return "\(magic)\nattempt \(attemptID)\ntask \(clean(job.taskID))\nresource \(clean(job.resourceID))\nnumber \(job.attempt)\ncreated \(milliseconds(now))\n"
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// Reads the record at `path`; nil when there is none.
    public static func read(_ path: String) -> AttemptRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return parse(data)
    }

    /// Parses whole lines of a record.
    public static func parse(_ data: Data) -> AttemptRecord {
        var record = AttemptRecord()
        var text = String(decoding: data, as: UTF8.self)
        if let lastNewline = text.lastIndex(of: "\n") {
            text = String(text[...lastNewline])
        } else {
            text = ""
        }
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard words.count == 2 else { continue }
            let value = words[1]
            let fields = value.split(separator: " ").map(String.init)
            func date(_ s: String?) -> Date? { s.flatMap { Int64($0) }.map { Date(timeIntervalSince1970: Double($0) / 1000) } }
            switch words[0] {
            case "attempt": record.attemptID = UInt64(value)
            case "task": record.taskID = value
            case "resource": record.resourceID = value
            case "number": record.number = Int(value)
            case "supervisor": record.supervisorPID = fields.first.flatMap { Int32($0) }
            case "exec": record.execAt = date(fields.first)
            case "child":
                record.childPID = fields.first.flatMap { Int32($0) }
                record.childStartedAt = date(fields.dropFirst().first)
            case "end":
                record.endedAt = date(fields.first)
                (record.end, record.failedStep) = parseEnd(Array(fields.dropFirst()), value: value)
            default: continue
            }
        }
        return record
    }

    /// `MS exit|signal N [step NAME] [timeout S | cancelled BY]`, `MS refused REASON`, `MS held exit|signal N`.
    private static func parseEnd(_ fields: [String], value: String) -> (End?, String?) {
        guard fields.count >= 2 else { return (nil, nil) }
        if fields[0] == "refused" {
            // Everything after "MS refused " is the reason, spaces and all.
            return (.refused(value.split(separator: " ", maxSplits: 2).dropFirst(2).first.map(String.init) ?? "refused"), nil)
        }
        if fields[0] == "held" { return (.held(fields.dropFirst().prefix(2).joined(separator: " ")), nil) }
        guard let number = Int32(fields[1]) else { return (nil, nil) }
        var rest = Array(fields.dropFirst(2))
        var step: String?
        if rest.count >= 2, rest[0] == "step" {
            step = rest[1]
            rest.removeFirst(2)
        }
        var reason: Reason?
        if rest.count >= 2, rest[0] == "timeout", let seconds = Double(rest[1]) {
            reason = .timeout(seconds: seconds)
        } else if rest.first == "cancelled", let range = value.range(of: " cancelled ") {
            reason = .cancelled(by: String(value[range.upperBound...]))
        } else if rest.first == "cancelled" {
            reason = .cancelled(by: "an operator")
        }
        switch fields[0] {
        case "exit": return (.exited(code: number, reason: reason), step)
        case "signal": return (.signalled(signal: number, reason: reason), step)
        default: return (nil, nil)
        }
    }
}
