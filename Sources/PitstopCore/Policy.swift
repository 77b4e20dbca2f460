public import Foundation

/// Store-wide rules for scheduling, execution and notification. Durations are in seconds.
public struct Policy: Sendable, Equatable {
    /// A reservation must be at least this far after now.
    public var minLeadTime: TimeInterval = 24 * 3600
    /// The engine starts a reservation no later than this after its time; later than that it is missed.
    public var startWindow: TimeInterval = 15 * 60
    /// Reservations of one machine in different tasks must be at least this far apart.
    public var conflictWindow: TimeInterval = 60 * 60
    /// After three failures a resource cannot be reserved for this long, unless forced.
    public var lockout: TimeInterval = 24 * 3600
    /// The engine auto-reserves mandatory pending resources at deadline minus this margin.
    public var autoApplyMargin: TimeInterval = 2 * 3600
    /// At most this many executions run at once across the store.
    public var maxConcurrency: Int = 8
    /// Whether the engine auto-reserves mandatory tasks near their deadline.
    public var autoApply: Bool = true
    /// Notify this long before each reservation.
    public var notifyLeadTimes: [TimeInterval] = [24 * 3600, 3600, 600]
    /// A program that receives each notification as JSON on stdin; empty for none.
    public var notifyCommand: [String] = []
    /// The store owner's seal of `notifyCommand` (see `MaintenanceTask.ownerSeal`), as hex; nil when unsealed.
    public var notifyCommandSeal: String?
    /// Periods in which nothing may run (`freeze add`); a reservation that would run into one is refused.
    public var freezes: [FreezeWindow] = []
    /// At most this many members of one cluster run at once, across all tasks.
    public var clusterConcurrency: Int = 1
    /// Attempt records and outputs older than this are removed (by `store compact` and the engine, daily).
    public var outputRetention: TimeInterval = 30 * 86400

    /// Failures at which the lockout rule starts to apply.
    public static let lockoutFailureCount = 3

    /// The default policy.
    public init() {}

    /// The longest duration a policy holds (what `DurationText` reads: 100 years).
    public static let longestDuration: TimeInterval = 100 * 365 * 86400

    /// Values `policy set` could never have written, as phrases (`"minLeadTime is -5s"`); empty when sound.
    /// The store checks this on every read, so a damaged or forged file cannot hand the engine such a value.
    public var problems: [String] {
        let durations = [("minLeadTime", minLeadTime), ("startWindow", startWindow), ("conflictWindow", conflictWindow),
                         ("lockout", lockout), ("autoApplyMargin", autoApplyMargin), ("outputRetention", outputRetention)] + notifyLeadTimes.map { ("notifyLeadTimes", $0) }
        var found = durations.filter { !(0...Self.longestDuration).contains($0.1) }.map { "\($0.0) is \($0.1)s, outside 0 to 100 years" }
        if !(1...10_000).contains(maxConcurrency) { found.append("maxConcurrency is \(maxConcurrency), outside 1 to 10000") }
        for freeze in freezes where freeze.name.isEmpty || !Self.isSound(freeze.recurrence) {
            found.append("the freeze \"\(freeze.name)\" has an impossible window")
        }
        if !(1...10_000).contains(clusterConcurrency) { found.append("clusterConcurrency is \(clusterConcurrency), outside 1 to 10000") }
        return found
    }

    static func isSound(_ recurrence: FreezeWindow.Recurrence) -> Bool {
        switch recurrence {
        case .once(let from, let to): return to > from
        case .weekly(let a, let b, let c, let d): return (1...7).contains(a) && (1...7).contains(c) && (0..<1440).contains(b) && (0..<1440).contains(d)
        case .yearly(let a, let b, let c, let d): return (1...12).contains(a) && (1...12).contains(c) && (1...31).contains(b) && (1...31).contains(d)
        }
    }

    /// The freeze a run of `[start, end)` for a task of `service` would run into, with its occurrence.
    public func freeze(overlapping start: Date, _ end: Date, service: Service) -> (FreezeWindow, DateInterval)? {
        for freeze in freezes where freeze.applies(to: service) {
            if let occurrence = freeze.occurrence(overlapping: start, end) { return (freeze, occurrence) }
        }
        return nil
    }

    /// Every key `policy set` accepts, in the order `policy show` prints them.
    public static let keys = [
        "minLeadTime", "startWindow", "conflictWindow", "lockout", "autoApplyMargin",
        "maxConcurrency", "clusterConcurrency", "autoApply", "notifyLeadTimes", "notifyCommand", "outputRetention",
    ]
}
