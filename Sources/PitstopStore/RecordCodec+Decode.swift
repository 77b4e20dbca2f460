import Foundation
import PitstopCore

/// Decoders for the records `RecordCodec+Encode` writes; unknown field numbers are skipped.
extension ByteReader {
    mutating func resource() throws(DecodeError) -> Resource {
        var texts = StringInterner()
        return try resource(texts: &texts)
    }

    /// A resource; `texts` shares the strings many resources repeat (last messages, clusters) between them.
    mutating func resource(texts: inout StringInterner) throws(DecodeError) -> Resource {
        // Fields into locals, then one initialisation: setting them one by one on a resource goes through its
        // compact storage's setters, and the rare ones would each make a new shared box.
        var id = ""
        var name = ""
        var scheduledAt: Date?
        var status = ResourceStatus.pending
        var attempts = 0
        var failures = 0
        var progress = 0
        var lastMessage = ""
        var lastFailureAt: Date?
        var attemptID: UInt64?
        var finishedAt: Date?
        var cluster: String?
        var role = ResourceRole.standalone
        var endpoint: String?
        var host: String?
        var labels: [String: String] = [:]
        var heldReason: String?
        var liveRole: ResourceRole?
        while let (field, type) = try nextField() {
            switch field {
            case 1: id = try string(type)
            case 2: name = try string(type)
            case 3: scheduledAt = try date(type)
            case 4: status = try ResourceStatus.decode(try uint(type))
            case 5: attempts = try int(type)
            case 6: failures = try int(type)
            case 7: progress = try int(type)
            case 8: lastMessage = try string(type, interner: &texts)
            case 9: lastFailureAt = try date(type)
            case 10: attemptID = try uint(type)
            case 11: cluster = try string(type, interner: &texts)
            case 12: role = try ResourceRole.decode(try uint(type))
            case 13: endpoint = try string(type)
            case 14:
                var nested = try message(type)
                let (key, value) = try nested.pair()
                labels[key] = value
            case 15: heldReason = try string(type)
            case 16: finishedAt = try date(type)
            case 17: host = try string(type)
            case 18: liveRole = try ResourceRole.decode(try uint(type))
            default: try skip(type)
            }
        }
        return Resource(
            id: id, name: name, scheduledAt: scheduledAt, status: status, attempts: attempts, failures: failures, progress: progress,
            lastMessage: lastMessage, lastFailureAt: lastFailureAt, attemptID: attemptID, cluster: cluster, role: role, endpoint: endpoint,
            host: host, labels: labels, finishedAt: finishedAt, heldReason: heldReason, liveRole: liveRole)
    }

    mutating func executor() throws(DecodeError) -> ExecutorSpec {
        var kind: UInt64 = 0
        var simulated = SimulatedExecutor()
        var command = CommandExecutor(argv: [])
        while let (field, type) = try nextField() {
            switch field {
            case 1: kind = try uint(type)
            case 2: simulated.durationSeconds = try double(type)
            case 3: simulated.jitter = try double(type)
            case 4: simulated.failureRate = try double(type)
            case 5: simulated.seed = try uint(type)
            case 6: command.argv.append(try string(type))
            case 7: command.workingDirectory = try string(type)
            case 8: command.timeoutSeconds = try double(type)
            case 9: command.runbook = try string(type)
            default: try skip(type)
            }
        }
        switch kind {
        case 0: return .simulated(simulated)
        case 1: return .command(command)
        default: throw DecodeError(reason: "unknown executor kind \(kind) (written by a newer Pitstop?)")
        }
    }

    mutating func task() throws(DecodeError) -> MaintenanceTask {
        var texts = StringInterner()
        return try task(texts: &texts)
    }

    /// A task; `texts` is shared across the tasks a reader decodes (see `resource(texts:)`). Without
    /// `withResources`, its resources are stepped over (and the task is not checked as a whole): a task's head.
    mutating func task(texts: inout StringInterner, withResources: Bool = true) throws(DecodeError) -> MaintenanceTask {
        var t = MaintenanceTask(
            id: "", title: "", service: .mysql, requirement: .recommended, recommendedAt: Date(timeIntervalSince1970: 0),
            type: .osUpdate)
        while let (field, type) = try nextField() {
            switch field {
            case 1: t.id = try string(type)
            case 2: t.title = try string(type)
            case 3: t.service = try Service.decode(try uint(type))
            case 4: t.requirement = try Requirement.decode(try uint(type))
            case 5: t.recommendedAt = try date(type)
            case 6: t.deadline = try date(type)
            case 7: t.priority = try Priority.decode(try uint(type))
            case 8: t.type = try TaskType.decode(try uint(type))
            case 9: t.downtime = try bool(type)
            case 10:
                var nested = try message(type)
                t.executor = try nested.executor()
            case 11: t.retries = try int(type)
            case 12: t.maxConcurrency = try int(type)
            case 13 where !withResources: try skip(type)
            case 13:
                var nested = try message(type)
                let resource = try nested.resource(texts: &texts)
                if let problem = TaskValidation.resourceProblems(resource).first { throw DecodeError(reason: "task \(t.id): \(problem)") }
                t.resources.append(resource)
            case 14: t.maxFailures = try int(type)
            case 15: t.halted = try bool(type)
            case 16:
                var nested = try message(type)
                let (key, value) = try nested.pair()
                t.parameters[key] = value
            case 20:
                var nested = try message(type)
                t.waves.append(try nested.wave())
            case 21: t.soak = TimeInterval(try int(type) as Int64) / 1000
            case 22: t.maxFailuresPercent = try double(type)
            case 24: t.ownerSeal = try string(type)
            case 23 where !withResources: try skip(type)
            case 23: t.resources.reserveCapacity(min(max(0, try int(type)), 1 << 20))
            case 17:
                var nested = try message(type)
                t.hooks.precheck = try nested.hook()
            case 18:
                var nested = try message(type)
                t.hooks.healthcheck = try nested.hook()
            case 19:
                var nested = try message(type)
                t.hooks.switchover = try nested.hook()
            default: try skip(type)
            }
        }
        if withResources, let problem = TaskValidation.fieldProblems(in: t, eachResourceChecked: true).first {
            throw DecodeError(reason: "task \(t.id): \(problem)")
        }
        return t
    }

    mutating func policy() throws(DecodeError) -> Policy {
        var p = Policy()
        var leadTimes: [TimeInterval] = []
        var sawLeadTimeList = false
        func seconds(_ milliseconds: Int64) -> TimeInterval { TimeInterval(milliseconds) / 1000 }
        while let (field, type) = try nextField() {
            switch field {
            case 1: p.minLeadTime = seconds(try int(type))
            case 2: p.startWindow = seconds(try int(type))
            case 3: p.conflictWindow = seconds(try int(type))
            case 4: p.lockout = seconds(try int(type))
            case 5: p.autoApplyMargin = seconds(try int(type))
            case 6: p.maxConcurrency = try int(type)
            case 7: p.autoApply = try bool(type)
            case 8: leadTimes.append(seconds(try int(type)))
            case 9: p.notifyCommand.append(try string(type))
            case 10: sawLeadTimeList = try bool(type)
            case 11: p.outputRetention = seconds(try int(type))
            case 12: p.clusterConcurrency = try int(type)
            case 13:
                var nested = try message(type)
                p.freezes.append(try nested.freeze())
            case 14: p.notifyCommandSeal = try string(type)
            default: try skip(type)
            }
        }
        if sawLeadTimeList { p.notifyLeadTimes = leadTimes }
        if let problem = p.problems.first { throw DecodeError(reason: "the policy \(problem)") }
        return p
    }

    /// One wave: a count (field 1) or a share (field 2).
    mutating func wave() throws(DecodeError) -> WaveSize {
        var size = WaveSize.count(1)
        while let (field, type) = try nextField() {
            switch field {
            case 1: size = .count(try int(type))
            case 2: size = .percent(try double(type))
            default: try skip(type)
            }
        }
        return size
    }

    /// A hook as `ByteWriter.task` writes it: an argv (field 1, repeated) or a runbook's name (field 2).
    mutating func hook() throws(DecodeError) -> HookCommand {
        var argv: [String] = []
        var runbook: String?
        while let (field, type) = try nextField() {
            switch field {
            case 1: argv.append(try string(type))
            case 2: runbook = try string(type)
            default: try skip(type)
            }
        }
        return runbook.map(HookCommand.runbook) ?? .argv(argv)
    }

    /// A freeze window as `ByteWriter.freeze` writes it.
    mutating func freeze() throws(DecodeError) -> FreezeWindow {
        var name = ""
        var kind: UInt64 = 0
        var numbers = [Int64](repeating: 0, count: 4)
        var zoneName = "UTC"
        var service: Service?
        while let (field, type) = try nextField() {
            switch field {
            case 1: name = try string(type)
            case 2: kind = try uint(type)
            case 3, 4, 5, 6: numbers[Int(field) - 3] = try int(type)
            case 7: zoneName = try string(type)
            case 8: service = try Service.decode(try uint(type))
            default: try skip(type)
            }
        }
        guard let zone = TimeZone(identifier: zoneName) else { throw DecodeError(reason: "freeze \(name): unknown time zone \(zoneName)") }
        let n = numbers.map { Int(clamping: $0) }
        let recurrence: FreezeWindow.Recurrence
        switch kind {
        case 0: recurrence = .once(from: Date(timeIntervalSince1970: Double(numbers[0]) / 1000), to: Date(timeIntervalSince1970: Double(numbers[1]) / 1000))
        case 1: recurrence = .weekly(fromDay: n[0], fromMinute: n[1], toDay: n[2], toMinute: n[3])
        case 2: recurrence = .yearly(fromMonth: n[0], fromDay: n[1], toMonth: n[2], toDay: n[3])
        default: throw DecodeError(reason: "freeze \(name): unknown kind \(kind) (written by a newer Pitstop?)")
        }
        return FreezeWindow(name: name, recurrence: recurrence, zone: zone, service: service)
    }

    /// One entry of a string map.
    mutating func pair() throws(DecodeError) -> (String, String) {
        var key = ""
        var value = ""
        while let (field, type) = try nextField() {
            switch field {
            case 1: key = try string(type)
            case 2: value = try string(type)
            default: try skip(type)
            }
        }
        return (key, value)
    }

    mutating func event() throws(DecodeError) -> Event {
        var interner = StringInterner()
        return try event(interner: &interner)
    }

    mutating func event(interner: inout StringInterner) throws(DecodeError) -> Event {
        var e = Event(time: Date(timeIntervalSince1970: 0), actor: "", kind: .imported, message: "")
        while let (field, type) = try nextField() {
            switch field {
            case 1: e.sequence = try uint(type)
            case 2: e.time = try date(type)
            case 3: e.actor = try string(type, interner: &interner)
            case 4: e.taskID = try string(type)
            case 5: e.resourceID = try string(type)
            case 6: e.kind = EventKind(rawValue: try string(type))
            case 7: e.message = try string(type)
            case 8: e.key = try string(type)
            case 9: e.attemptID = try uint(type)
            default: try skip(type)
            }
        }
        return e
    }

    /// A change, or nil for a kind of change this version does not know (skipped, like an unknown field).
    mutating func change() throws(DecodeError) -> Change? {
        var result: Change?
        while let (field, type) = try nextField() {
            var nested = try message(type)
            switch field {
            case 1: result = .addTask(try nested.task())
            case 2:
                var taskID = ""
                var resource: Resource?
                while let (inner, innerType) = try nested.nextField() {
                    switch inner {
                    case 1: taskID = try nested.string(innerType)
                    case 2:
                        var r = try nested.message(innerType)
                        resource = try r.resource()
                    default: try nested.skip(innerType)
                    }
                }
                guard let resource else { throw DecodeError(reason: "a resource update without its resource") }
                result = .updateResource(taskID: taskID, resource: resource)
            case 3: result = .setPolicy(try nested.policy())
            case 4:
                var taskID = ""
                var halted = false
                while let (inner, innerType) = try nested.nextField() {
                    switch inner {
                    case 1: taskID = try nested.string(innerType)
                    case 2: halted = try nested.bool(innerType)
                    default: try nested.skip(innerType)
                    }
                }
                result = .setHalted(taskID: taskID, halted: halted)
            case 5:
                var taskID = ""
                var resourceID = ""
                var reason: String?
                while let (inner, innerType) = try nested.nextField() {
                    switch inner {
                    case 1: taskID = try nested.string(innerType)
                    case 2: resourceID = try nested.string(innerType)
                    case 3: reason = try nested.string(innerType)
                    default: try nested.skip(innerType)
                    }
                }
                result = .setHold(taskID: taskID, resourceID: resourceID, reason: reason)
            default: break
            }
        }
        return result
    }

    mutating func batch() throws(DecodeError) -> JournalBatch {
        var b = JournalBatch(sequence: 0, time: Date(timeIntervalSince1970: 0), actor: "", changes: [], events: [])
        while let (field, type) = try nextField() {
            switch field {
            case 1: b.sequence = try uint(type)
            case 2: b.time = try date(type)
            case 3: b.actor = try string(type)
            case 4:
                var nested = try message(type)
                if let change = try nested.change() { b.changes.append(change) }
            case 5:
                var nested = try message(type)
                b.events.append(try nested.event())
            default: try skip(type)
            }
        }
        return b
    }
}
