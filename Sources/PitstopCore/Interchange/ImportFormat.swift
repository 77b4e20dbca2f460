public import Foundation

/// Reads the import file of the spec: `{"tasks": [ … ]}`. All or nothing: any problem rejects the whole file,
/// and every problem is reported with its JSON path.
public enum ImportFormat {
    /// The tasks of an import document, or every problem in it by JSON path; all or nothing.
    public static func parse(_ data: Data) throws(ImportRejection) -> [MaintenanceTask] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ImportRejection(problems: [ImportProblem(path: "$", message: "not valid JSON: \(jsonErrorDetail(error))")])
        }
        guard let object = root as? [String: Any] else {
            throw ImportRejection(problems: [ImportProblem(path: "$", message: "must be an object with a \"tasks\" array")])
        }
        var fields = JSONFields(object, path: "$")
        let taskObjects = fields.objectArray("tasks") ?? []
        fields.rejectUnknownKeys()
        var problems = fields.problems
        var tasks: [MaintenanceTask] = []
        var firstIndexOfID: [String: Int] = [:]
        for (index, taskObject) in taskObjects.enumerated() {
            let path = "$.tasks[\(index)]"
            let (task, taskProblems) = parseTask(taskObject, path: path)
            problems += taskProblems
            guard let task else { continue }
            if let first = firstIndexOfID[task.id] {
                problems.append(ImportProblem(path: "\(path).id", message: "\"\(task.id)\" is already the id of $.tasks[\(first)]"))
            } else {
                firstIndexOfID[task.id] = index
            }
            tasks.append(task)
        }
        if taskObjects.isEmpty && problems.isEmpty {
            problems.append(ImportProblem(path: "$.tasks", message: "holds no tasks"))
        }
        guard problems.isEmpty else { throw ImportRejection(problems: problems) }
        return tasks
    }

    private static func jsonErrorDetail(_ error: any Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }

    private static func parseTask(_ object: [String: Any], path: String) -> (MaintenanceTask?, [ImportProblem]) {
        var f = JSONFields(object, path: path)
        let id = f.identifier("id")
        let title = f.string("title")
        let service = f.enumValue("service", Service.self)
        let requirement = f.enumValue("requirement", Requirement.self)
        let recommendedAt = f.instant("recommendedAt")
        let deadline = f.instant("deadline", required: false)
        let priority = f.enumValue("priority", Priority.self, required: false) ?? .medium
        let type = f.enumValue("type", TaskType.self)
        let downtime = f.bool("downtime") ?? false
        let retries = f.int("retries", minimum: 0) ?? 1
        let maxConcurrency = f.int("maxConcurrency", minimum: 1)
        var maxFailures: Int?
        var maxFailuresPercent: Double?
        if let value = f.any("maxFailures") {
            switch Self.countOrShare(value) {
            case .count(let n)? where n >= 1: maxFailures = n
            case .percent(let p)? where p > 0 && p <= 100: maxFailuresPercent = p
            default: f.problem("maxFailures", "must be a whole number from 1 or a share like \"10%\"")
            }
        }
        var waves: [WaveSize] = []
        if let value = f.any("waves") {
            let sizes = (value as? [Any])?.map(Self.countOrShare) ?? [nil]
            if sizes.contains(where: { $0 == nil }) || sizes.isEmpty {
                f.problem("waves", "must be an array of counts and shares, e.g. [1, \"10%\", \"50%\", \"100%\"]")
            } else {
                waves = sizes.compactMap { $0 }
            }
        }
        var soak: TimeInterval = 0
        if let text = f.string("soak", required: false) {
            if let seconds = DurationText.parse(text) { soak = seconds } else { f.problem("soak", "\"\(text)\" is not a duration; write e.g. 30m or 2h") }
        }
        let halted = f.bool("halted") ?? false
        let parameters = f.stringMap("parameters") ?? [:]
        if let (a, b) = EnvironmentName.collision(among: parameters.keys) {
            f.problem("parameters", "\"\(a)\" and \"\(b)\" would both reach the command as \(EnvironmentName.of("PITSTOP_PARAM_", a)); keep one")
        }
        let hooks = TaskHooks(precheck: parseHook(&f, "precheck"), healthcheck: parseHook(&f, "healthcheck"),
                              switchover: parseHook(&f, "switchover"))
        var executor = ExecutorSpec.defaultSimulated
        if let executorObject = f.object("executor") {
            var e = JSONFields(executorObject, path: "\(path).executor")
            executor = parseExecutor(&e) ?? executor
            e.rejectUnknownKeys()
            f.absorb(e)
        }
        if let status = f.string("status", required: false), TaskStatus(rawValue: status) == nil {
            f.problem("status", "unknown value \"\(status)\"")
        }
        f.ignore("counts")
        var resources: [Resource] = []
        if let resourceObjects = f.objectArray("resources") {
            var seen: [String: Int] = [:]
            for (index, resourceObject) in resourceObjects.enumerated() {
                var r = JSONFields(resourceObject, path: "\(path).resources[\(index)]")
                if let resource = parseResource(&r) {
                    if let first = seen[resource.id] {
                        r.problem("id", "\"\(resource.id)\" is already the id of \(path).resources[\(first)]")
                    } else {
                        seen[resource.id] = index
                    }
                    resources.append(resource)
                }
                r.rejectUnknownKeys()
                f.absorb(r)
            }
        }
        if requirement == .mandatory && deadline == nil && !f.problems.contains(where: { $0.path == "\(path).deadline" }) {
            f.problem("deadline", "is required for a mandatory task")
        }
        if requirement == .recommended && deadline != nil {
            f.problem("deadline", "only mandatory tasks have a deadline")
        }
        if let service, let type, !service.supportedTypes.contains(type) {
            f.problem("type", "\(service.rawValue) does not support \(type.rawValue)")
        }
        f.rejectUnknownKeys()
        guard let id, let title, let service, let requirement, let recommendedAt, let type, f.problems.isEmpty else {
            return (nil, f.problems)
        }
        let task = MaintenanceTask(
            id: id, title: title, service: service, requirement: requirement, recommendedAt: recommendedAt,
            deadline: deadline, priority: priority, type: type, downtime: downtime, executor: executor,
            retries: retries, maxConcurrency: maxConcurrency, maxFailures: maxFailures, resources: resources)
        var result = task
        result.halted = halted
        result.parameters = parameters
        result.hooks = hooks
        result.waves = waves
        result.soak = soak
        result.maxFailuresPercent = maxFailuresPercent
        // The invariants of the model too (a cluster's one primary…), reported at the task's path.
        for problem in TaskValidation.problems(in: result) where !f.problems.contains(where: { $0.message == problem }) {
            f.problem(nil, problem)
        }
        return (f.problems.isEmpty ? result : nil, f.problems)
    }

    /// `5` or `"10%"` (a number, or a string ending in %); nil for anything else.
    static func countOrShare(_ value: Any) -> WaveSize? {
        if let text = value as? String, text.hasSuffix("%"), let p = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), p.isFinite {
            return .percent(p)
        }
        if !JSONFields.isBool(value), let number = value as? NSNumber, let n = Int(exactly: number.doubleValue) { return .count(n) }
        return nil
    }

    private static func parseExecutor(_ e: inout JSONFields) -> ExecutorSpec? {
        guard let kind = e.string("kind") else { return nil }
        switch kind {
        case "simulated":
            let duration = e.double("durationSeconds", range: SimulatedExecutor.durationRange) ?? 5
            let jitter = e.double("jitter", range: SimulatedExecutor.fractionRange) ?? 0.2
            let failureRate = e.double("failureRate", range: SimulatedExecutor.fractionRange) ?? 0
            let seed = e.int("seed", minimum: 0) ?? 0
            return .simulated(SimulatedExecutor(durationSeconds: duration, jitter: jitter, failureRate: failureRate, seed: UInt64(seed)))
        case "command":
            let argv = e.stringArray("argv", required: true)
            if let argv, argv.isEmpty || argv[0].isEmpty { e.problem("argv", "needs at least the program to run") }
            let timeout = e.double("timeoutSeconds", range: CommandExecutor.timeoutRange) ?? 1800
            let directory = e.string("workingDirectory", required: false)
            guard let argv, !argv.isEmpty, !argv[0].isEmpty else { return nil }
            return .command(CommandExecutor(argv: argv, workingDirectory: directory, timeoutSeconds: timeout))
        case "runbook":
            let name = runbookName(&e)
            let timeout = e.double("timeoutSeconds", range: CommandExecutor.timeoutRange) ?? 1800
            let directory = e.string("workingDirectory", required: false)
            guard let name else { return nil }
            return .command(CommandExecutor(argv: [], runbook: name, workingDirectory: directory, timeoutSeconds: timeout))
        default:
            e.problem("kind", "unknown value \"\(kind)\"; expected \"simulated\", \"command\" or \"runbook\"")
            return nil
        }
    }

    /// A hook: an argv (`["/usr/local/bin/check", "--fast"]`) or a runbook by name (`{"kind": "runbook", "name": "pg-lag"}`).
    private static func parseHook(_ f: inout JSONFields, _ key: String) -> HookCommand? {
        guard let value = f.any(key) else { return nil }
        if let array = value as? [Any] {
            guard let argv = array as? [String] else {
                f.problem(key, "must be an array of strings or {\"kind\": \"runbook\", \"name\": …}")
                return nil
            }
            return .argv(argv)
        }
        guard let object = value as? [String: Any] else {
            f.problem(key, "must be an array of strings (an argv) or {\"kind\": \"runbook\", \"name\": …}")
            return nil
        }
        var h = JSONFields(object, path: "\(f.path).\(key)")
        defer { h.rejectUnknownKeys(); f.absorb(h) }
        guard let kind = h.string("kind") else { return nil }
        guard kind == "runbook" else {
            h.problem("kind", "unknown value \"\(kind)\"; a hook names a \"runbook\" or is an array of strings")
            return nil
        }
        return runbookName(&h).map(HookCommand.runbook)
    }

    /// The `name` of a runbook (an executor's or a hook's), or nil with a problem when it is not a file name
    /// that can stand in `STORE/runbooks/`.
    private static func runbookName(_ fields: inout JSONFields) -> String? {
        guard let name = fields.string("name") else { return nil }
        guard CommandExecutor.isRunbookName(name) else {
            fields.problem("name", "\"\(name)\" is not a runbook name: a file name in STORE/runbooks/ of letters, digits, '.', '_' and '-'")
            return nil
        }
        return name
    }

    private static func parseResource(_ r: inout JSONFields) -> Resource? {
        let id = r.identifier("id")
        let name = r.string("name")
        let scheduledAt = r.instant("scheduledAt", required: false)
        let status = r.enumValue("status", ResourceStatus.self, required: false) ?? (scheduledAt == nil ? .pending : .reserved)
        let attempts = r.int("attempts", minimum: 0) ?? 0
        let failures = r.int("failures", minimum: 0) ?? 0
        let progress = r.int("progress", minimum: 0) ?? 0
        if progress > 100 { r.problem("progress", "must be at most 100") }
        let lastMessage = r.string("lastMessage", required: false, nonEmpty: false) ?? ""
        let lastFailureAt = r.instant("lastFailureAt", required: false)
        let attemptID = r.int("attempt", minimum: 1).map { UInt64($0) }
        let cluster = r.string("cluster", required: false)
        let role = r.enumValue("role", ResourceRole.self, required: false) ?? .standalone
        let endpoint = r.string("endpoint", required: false)
        let host = r.string("host", required: false)
        if let endpoint, !Endpoint.isValid(endpoint) {
            r.problem("endpoint", "\"\(endpoint)\" is not host:port or [v6]:port (a host name or address and a port, without spaces, commas or a leading '-')")
        }
        if let host, !Resource.isSSHDestination(host) {
            r.problem("host", "\"\(host)\" is not an SSH destination: a host name or address, optionally user@, without spaces or a leading '-'")
        }
        let labels = r.stringMap("labels") ?? [:]
        if let (a, b) = EnvironmentName.collision(among: labels.keys) {
            r.problem("labels", "\"\(a)\" and \"\(b)\" would both reach the command as \(EnvironmentName.of("PITSTOP_LABEL_", a)); keep one")
        }
        let heldReason = r.string("held", required: false)
        let liveRole = r.enumValue("liveRole", ResourceRole.self, required: false)
        let finishedAt = r.instant("finishedAt", required: false)
        if role != .standalone && cluster == nil { r.problem("cluster", "is required for a \(role.rawValue)") }
        if status == .reserved && scheduledAt == nil { r.problem("scheduledAt", "is required for a reserved resource") }
        if status == .pending && scheduledAt != nil { r.problem("scheduledAt", "a pending resource has no reservation; use status \"reserved\"") }
        guard let id, let name else { return nil }
        return Resource(
            id: id, name: name, scheduledAt: scheduledAt, status: status, attempts: attempts, failures: failures,
            progress: progress, lastMessage: lastMessage, lastFailureAt: lastFailureAt, attemptID: attemptID,
            cluster: cluster, role: role, endpoint: endpoint, host: host, labels: labels, finishedAt: finishedAt, heldReason: heldReason,
            liveRole: liveRole == role ? nil : liveRole)
    }
}
