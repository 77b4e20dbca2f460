import Foundation
import PitstopCore

/// Field numbers of each record. Never reuse a number; add new fields with new numbers.
extension ByteWriter {
    mutating func resource(_ r: Resource) {
        string(1, r.id)
        string(2, r.name)
        if let at = r.scheduledAt { date(3, at) }
        uint(4, r.status.storedCode)
        if r.attempts != 0 { int(5, r.attempts) }
        if r.failures != 0 { int(6, r.failures) }
        if r.progress != 0 { int(7, r.progress) }
        if !r.lastMessage.isEmpty { string(8, r.lastMessage) }
        if let at = r.lastFailureAt { date(9, at) }
        if let id = r.attemptID { uint(10, id) }
        if let cluster = r.cluster { string(11, cluster) }
        if r.role != .standalone { uint(12, r.role.storedCode) }
        if let endpoint = r.endpoint { string(13, endpoint) }
        let labels = r.labels
        if !labels.isEmpty { for (key, value) in labels.sorted(by: { $0.key < $1.key }) { message(14) { $0.pair(key, value) } } }
        if let reason = r.heldReason { string(15, reason) }
        if let at = r.finishedAt { date(16, at) }
        if let host = r.host { string(17, host) }
        if let live = r.liveRole { uint(18, live.storedCode) }
    }

    mutating func executor(_ e: ExecutorSpec) {
        switch e {
        case .simulated(let s):
            uint(1, 0)
            double(2, s.durationSeconds)
            double(3, s.jitter)
            double(4, s.failureRate)
            uint(5, s.seed)
        case .command(let c):
            uint(1, 1)
            for argument in c.argv { string(6, argument) }
            if let directory = c.workingDirectory { string(7, directory) }
            double(8, c.timeoutSeconds)
            if let runbook = c.runbook { string(9, runbook) }
        }
    }

    mutating func task(_ t: MaintenanceTask) {
        string(1, t.id)
        string(2, t.title)
        uint(3, t.service.storedCode)
        uint(4, t.requirement.storedCode)
        date(5, t.recommendedAt)
        if let deadline = t.deadline { date(6, deadline) }
        uint(7, t.priority.storedCode)
        uint(8, t.type.storedCode)
        bool(9, t.downtime)
        message(10) { $0.executor(t.executor) }
        int(11, t.retries)
        if let limit = t.maxConcurrency { int(12, limit) }
        // How many follow, so that a reader makes room for them once.
        if !t.resources.isEmpty { int(23, t.resources.count) }
        for r in t.resources { message(13) { $0.resource(r) } }
        if let limit = t.maxFailures { int(14, limit) }
        if t.halted { bool(15, true) }
        for (key, value) in t.parameters.sorted(by: { $0.key < $1.key }) { message(16) { $0.pair(key, value) } }
        for wave in t.waves {
            message(20) { w in
                switch wave {
                case .count(let n): w.int(1, n)
                case .percent(let p): w.double(2, p)
                }
            }
        }
        if t.soak > 0 { int(21, ByteWriter.clampedMilliseconds(t.soak)) }
        if let percent = t.maxFailuresPercent { double(22, percent) }
        if let seal = t.ownerSeal { string(24, seal) }
        // A hook: its argv as field 1 (repeated), or a runbook's name as field 2.
        for (field, hook) in [(17, t.hooks.precheck), (18, t.hooks.healthcheck), (19, t.hooks.switchover)] as [(UInt64, HookCommand?)] {
            switch hook {
            case .argv(let argv)?: message(field) { w in for argument in argv { w.string(1, argument) } }
            case .runbook(let name)?: message(field) { w in w.string(2, name) }
            case nil: break
            }
        }
    }

    mutating func policy(_ p: Policy) {
        func milliseconds(_ seconds: TimeInterval) -> Int64 { ByteWriter.clampedMilliseconds(seconds) }
        int(1, milliseconds(p.minLeadTime))
        int(2, milliseconds(p.startWindow))
        int(3, milliseconds(p.conflictWindow))
        int(4, milliseconds(p.lockout))
        int(5, milliseconds(p.autoApplyMargin))
        int(6, p.maxConcurrency)
        bool(7, p.autoApply)
        // A marker, so that an empty list is told apart from a policy written before the field existed.
        bool(10, true)
        for lead in p.notifyLeadTimes { int(8, milliseconds(lead)) }
        for argument in p.notifyCommand { string(9, argument) }
        int(11, milliseconds(p.outputRetention))
        int(12, p.clusterConcurrency)
        for freeze in p.freezes { message(13) { $0.freeze(freeze) } }
        if let seal = p.notifyCommandSeal { string(14, seal) }
    }

    /// A freeze window: its name, kind and four numbers (milliseconds for a one-off window), zone and service.
    mutating func freeze(_ f: FreezeWindow) {
        string(1, f.name)
        switch f.recurrence {
        case .once(let from, let to):
            uint(2, 0)
            int(3, ByteWriter.clampedMilliseconds(from.timeIntervalSince1970))
            int(4, ByteWriter.clampedMilliseconds(to.timeIntervalSince1970))
        case .weekly(let a, let b, let c, let d):
            uint(2, 1)
            int(3, a); int(4, b); int(5, c); int(6, d)
        case .yearly(let a, let b, let c, let d):
            uint(2, 2)
            int(3, a); int(4, b); int(5, c); int(6, d)
        }
        string(7, f.zone.identifier)
        if let service = f.service { uint(8, service.storedCode) }
    }

    /// One entry of a string map: key in field 1, value in field 2.
    mutating func pair(_ key: String, _ value: String) {
        string(1, key)
        string(2, value)
    }

    mutating func event(_ e: Event) {
        uint(1, e.sequence)
        date(2, e.time)
        string(3, e.actor)
        if let id = e.taskID { string(4, id) }
        if let id = e.resourceID { string(5, id) }
        string(6, e.kind.rawValue)
        string(7, e.message)
        if let key = e.key { string(8, key) }
        if let id = e.attemptID { uint(9, id) }
    }

    mutating func change(_ c: Change) {
        switch c {
        case .addTask(let task): message(1) { $0.task(task) }
        case .updateResource(let taskID, let resource):
            message(2) {
                $0.string(1, taskID)
                $0.message(2) { $0.resource(resource) }
            }
        case .setPolicy(let policy): message(3) { $0.policy(policy) }
        case .setHalted(let taskID, let halted):
            message(4) {
                $0.string(1, taskID)
                $0.bool(2, halted)
            }
        case .setHold(let taskID, let resourceID, let reason):
            message(5) {
                $0.string(1, taskID)
                $0.string(2, resourceID)
                if let reason { $0.string(3, reason) }
            }
        }
    }

    mutating func batch(_ b: JournalBatch) {
        uint(1, b.sequence)
        date(2, b.time)
        string(3, b.actor)
        for c in b.changes { message(4) { $0.change(c) } }
        for e in b.events { message(5) { $0.event(e) } }
    }
}
