public import Foundation

/// Writes tasks as the JSON the import reads (so export → import → export is the identity) or as CSV.
public enum ExportFormat {
    /// The JSON object of one task, with its derived `status` and `counts` for scripts.
    public static func object(_ task: MaintenanceTask) -> [String: Any] {
        let counts = StatusCounts(task.resources)
        var object: [String: Any] = [
            "id": task.id, "title": task.title, "service": task.service.rawValue,
            "requirement": task.requirement.rawValue, "recommendedAt": InstantText.iso8601UTC(task.recommendedAt),
            "priority": task.priority.rawValue, "type": task.type.rawValue, "downtime": task.downtime,
            "retries": task.retries, "status": TaskStatus(counts: counts).rawValue,
            "counts": Dictionary(uniqueKeysWithValues: ResourceStatus.allCases.map { ($0.rawValue, counts[$0]) }),
            "executor": executorObject(task.executor),
            "resources": task.resources.map(resourceObject),
        ]
        if let deadline = task.deadline { object["deadline"] = InstantText.iso8601UTC(deadline) }
        if let limit = task.maxConcurrency { object["maxConcurrency"] = limit }
        if let limit = task.maxFailures { object["maxFailures"] = limit }
        if let percent = task.maxFailuresPercent { object["maxFailures"] = WaveSize.percent(percent).text }
        if !task.waves.isEmpty {
            object["waves"] = task.waves.map { wave -> Any in
                if case .count(let n) = wave { return n }
                return wave.text
            }
        }
        if task.soak > 0 { object["soak"] = DurationText.format(task.soak) }
        if task.halted { object["halted"] = true }
        if !task.parameters.isEmpty { object["parameters"] = task.parameters }
        for case let (name, command?) in task.hooks.named {
            switch command {
            case .argv(let argv): object[name] = argv
            case .runbook(let runbook): object[name] = ["kind": "runbook", "name": runbook]
            }
        }
        return object
    }

    /// The JSON object of one resource, as `task --json` and export print it.
    public static func resourceObject(_ r: Resource) -> [String: Any] {
        var object: [String: Any] = [
            "id": r.id, "name": r.name, "status": r.status.rawValue, "attempts": r.attempts, "failures": r.failures,
        ]
        if let at = r.scheduledAt { object["scheduledAt"] = InstantText.iso8601UTC(at) }
        if r.progress != 0 { object["progress"] = r.progress }
        if let id = r.attemptID { object["attempt"] = id }
        if let cluster = r.cluster { object["cluster"] = cluster }
        if r.role != .standalone || r.cluster != nil { object["role"] = r.role.rawValue }
        if let live = r.liveRole { object["liveRole"] = live.rawValue }
        if let endpoint = r.endpoint { object["endpoint"] = endpoint }
        if let host = r.host { object["host"] = host }
        if !r.labels.isEmpty { object["labels"] = r.labels }
        if let reason = r.heldReason { object["held"] = reason }
        if let at = r.finishedAt { object["finishedAt"] = InstantText.iso8601UTC(at) }
        if !r.lastMessage.isEmpty { object["lastMessage"] = r.lastMessage }
        if let at = r.lastFailureAt { object["lastFailureAt"] = InstantText.iso8601UTC(at) }
        return object
    }

    /// The JSON object of one event: what `events --json` prints and what a notify command reads on stdin.
    public static func eventObject(_ event: Event) -> [String: Any] {
        var object: [String: Any] = [
            "sequence": event.sequence, "time": InstantText.iso8601UTC(event.time), "actor": event.actor,
            "kind": event.kind.rawValue, "message": event.message,
        ]
        if let id = event.taskID { object["taskId"] = id }
        if let id = event.resourceID { object["resourceId"] = id }
        if let key = event.key { object["key"] = key }
        if let id = event.attemptID { object["attempt"] = id }
        return object
    }

    static func executorObject(_ executor: ExecutorSpec) -> [String: Any] {
        switch executor {
        case .simulated(let s):
            return ["kind": "simulated", "durationSeconds": s.durationSeconds, "jitter": s.jitter, "failureRate": s.failureRate, "seed": s.seed]
        case .command(let c):
            var object: [String: Any] = c.runbook.map { ["kind": "runbook", "name": $0] } ?? ["kind": "command", "argv": c.argv]
            object["timeoutSeconds"] = c.timeoutSeconds
            if let directory = c.workingDirectory { object["workingDirectory"] = directory }
            return object
        }
    }

    /// Stable, pretty JSON: sorted keys, so that two exports of the same state are byte-identical.
    public static func json(_ value: Any) -> Data {
        // Only values built by this type reach here, all of them valid JSON objects.
        (try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// The export document of these tasks, which imports back to the same tasks.
    public static func json(tasks: [MaintenanceTask]) -> Data {
        var data = json(["tasks": tasks.map(object)])
        data.append(0x0A)
        return data
    }

    /// The columns of `export --format csv`, one row per resource.
    public static let csvHeader = [
        "task_id", "task_title", "service", "requirement", "priority", "type", "downtime", "deadline", "task_status",
        "resource_id", "resource_name", "scheduled_at", "status", "attempts", "failures", "last_message",
    ]

    /// One row per resource (RFC 4180 quoting), for spreadsheets.
    public static func csv(tasks: [MaintenanceTask]) -> String {
        var lines = [csvHeader.joined(separator: ",")]
        for task in tasks {
            let status = task.status.rawValue
            for r in task.resources {
                let fields = [
                    task.id, task.title, task.service.rawValue, task.requirement.rawValue, task.priority.rawValue,
                    task.type.rawValue, task.downtime ? "true" : "false", task.deadline.map(InstantText.iso8601UTC) ?? "",
                    status, r.id, r.name, r.scheduledAt.map(InstantText.iso8601UTC) ?? "", r.status.rawValue,
                    String(r.attempts), String(r.failures), r.lastMessage,
                ]
                lines.append(fields.map(csvField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A cell as RFC 4180 quotes it. A cell a spreadsheet would take for a formula (starting with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return) gets a leading `'` and quotes, as OWASP advises against CSV injection.
    static func csvField(_ text: String) -> String {
        var text = text
        var quote = false
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            text = "'" + text
            quote = true
        }
        // Decided on Unicode scalars: "\r\n" is one Character, equal to neither "\r" nor "\n", and left unquoted it
        // would start a new row (whose first cell could be a formula).
        guard quote || text.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
