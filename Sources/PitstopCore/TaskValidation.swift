import Foundation

/// The invariants every task must hold, whatever wrote it.
public enum TaskValidation {
    /// Problems with `task`, as sentences relative to the task; empty when it is valid.
    public static func problems(in task: MaintenanceTask) -> [String] {
        var problems = fieldProblems(in: task)
        var ids = Set<String>()
        for resource in task.resources {
            if resource.id.isEmpty { problems.append("a resource has an empty id") }
            if !ids.insert(resource.id).inserted { problems.append("resource id \(resource.id) appears twice") }
            if resource.status == .reserved && resource.scheduledAt == nil {
                problems.append("resource \(resource.id) is reserved but has no scheduledAt")
            }
            problems.append(contentsOf: targetProblems(resource))
        }
        if let (a, b) = EnvironmentName.collision(among: task.parameters.keys) {
            problems.append("parameters \"\(a)\" and \"\(b)\" would both reach the command as \(EnvironmentName.of("PITSTOP_PARAM_", a)); keep one")
        }
        return problems
    }

    /// The task's own fields and each resource's counters: cheap enough for the store to check on every
    /// read, so that a damaged or forged file cannot hand the engine a value it would trap on. A decoder that
    /// checked each resource with `resourceProblems` as it read it passes `eachResourceChecked`, and the rule
    /// between resources (one primary per cluster, which no engine step traps on) is then left to the
    /// import and the planner, which every stored task went through.
    public static func fieldProblems(in task: MaintenanceTask, eachResourceChecked: Bool = false) -> [String] {
        var problems: [String] = []
        if task.id.isEmpty { problems.append("id is empty") }
        if task.title.isEmpty { problems.append("title is empty") }
        if task.requirement == .mandatory && task.deadline == nil { problems.append("a mandatory task needs a deadline") }
        if task.requirement == .recommended && task.deadline != nil { problems.append("a recommended task has no deadline") }
        if !task.service.supportedTypes.contains(task.type) {
            problems.append("\(task.service.rawValue) does not support \(task.type.rawValue)")
        }
        if task.retries < 0 { problems.append("retries must be 0 or more") }
        if let limit = task.maxConcurrency, limit < 1 { problems.append("maxConcurrency must be at least 1") }
        if let limit = task.maxFailures, limit < 1 { problems.append("maxFailures must be at least 1") }
        if let percent = task.maxFailuresPercent, !(percent > 0 && percent <= 100) { problems.append("maxFailures must be a share above 0% and at most 100%") }
        if !(0...Policy.longestDuration).contains(task.soak) { problems.append("soak must be from 0 to 100 years") }
        for wave in task.waves {
            switch wave {
            case .count(let n) where n < 1: problems.append("a wave must reach at least 1 resource")
            case .percent(let p) where !(p > 0 && p <= 100): problems.append("a wave must reach a share above 0% and at most 100%")
            default: break
            }
        }
        switch task.executor {
        case .simulated(let sim):
            if !SimulatedExecutor.fractionRange.contains(sim.failureRate) { problems.append("executor.failureRate must be between 0 and 1") }
            if !SimulatedExecutor.fractionRange.contains(sim.jitter) { problems.append("executor.jitter must be between 0 and 1") }
            if !SimulatedExecutor.durationRange.contains(sim.durationSeconds) {
                problems.append("executor.durationSeconds must be from 0 to \(Int(SimulatedExecutor.durationRange.upperBound)) (a day)")
            }
        case .command(let command):
            if let runbook = command.runbook {
                if !CommandExecutor.isRunbookName(runbook) || !command.argv.isEmpty { problems.append("executor.name must name a runbook in STORE/runbooks/") }
            } else if command.argv.isEmpty || command.argv[0].isEmpty {
                problems.append("executor.argv needs a program")
            }
            if !CommandExecutor.timeoutRange.contains(command.timeoutSeconds) {
                problems.append("executor.timeoutSeconds must be from 1 to \(Int(CommandExecutor.timeoutRange.upperBound)) (a week)")
            }
        }
        if !eachResourceChecked {
            let resources = task.resources
            for index in resources.indices { problems.append(contentsOf: resourceProblems(resources[index])) }
            problems.append(contentsOf: clusterProblems(in: task))
        }
        if task.parameters.keys.contains(where: \.isEmpty) { problems.append("a parameter has an empty key") }
        for case let (name, command?) in task.hooks.named {
            switch command {
            case .argv(let argv): if argv.isEmpty || argv[0].isEmpty { problems.append("\(name) needs a program") }
            case .runbook(let runbook): if !CommandExecutor.isRunbookName(runbook) { problems.append("\(name) names no runbook (\"\(runbook)\")") }
            }
        }
        return problems
    }

    /// Problems with where a resource's automation goes: an endpoint or SSH destination a program could read as
    /// an option, a list or a second word, and labels that would reach the command as one variable. Checked at
    /// import, and by the engine before an attempt starts (what a forged record holds never reaches a command).
    public static func targetProblems(_ resource: Resource) -> [String] {
        guard resource.hasExtras else { return [] }
        var problems: [String] = []
        if let endpoint = resource.endpoint, !Endpoint.isValid(endpoint) {
            problems.append("resource \(resource.id) has the endpoint \"\(endpoint)\", which is not host:port or [v6]:port")
        }
        if let host = resource.host, !Resource.isSSHDestination(host) {
            problems.append("resource \(resource.id) has the host \"\(host)\", which is not an SSH destination")
        }
        if let url = resource.labels[PatroniCluster.urlLabel], let problem = PatroniCluster.urlProblem(url, endpoint: resource.endpoint, host: resource.host) {
            problems.append("resource \(resource.id): \(problem)")
        }
        if let (a, b) = EnvironmentName.collision(among: resource.labels.keys) {
            problems.append("resource \(resource.id) has labels \"\(a)\" and \"\(b)\", which would both reach the command as \(EnvironmentName.of("PITSTOP_LABEL_", a)); keep one")
        }
        return problems
    }

    /// Problems with one resource's own fields (counters, cluster, role, labels). The store checks them as
    /// it decodes each resource, before it is ever copied.
    public static func resourceProblems(_ resource: Resource) -> [String] {
        var problems: [String] = []
        if !(0...100).contains(resource.progress) || resource.attempts < 0 || resource.failures < 0 {
            problems.append("resource \(resource.id) has progress \(resource.progress), attempts \(resource.attempts), failures \(resource.failures)")
        }
        guard resource.hasExtras else { return problems }
        if let cluster = resource.cluster, cluster.isEmpty { problems.append("resource \(resource.id) has an empty cluster") }
        if resource.role != .standalone && resource.cluster == nil {
            problems.append("resource \(resource.id) is a \(resource.role.rawValue) but names no cluster")
        }
        if resource.labels.keys.contains(where: \.isEmpty) { problems.append("resource \(resource.id) has a label with an empty key") }
        return problems
    }

    /// Problems between a task's resources: two primaries of one cluster.
    public static func clusterProblems(in task: MaintenanceTask) -> [String] {
        var problems: [String] = []
        var primaries: [String: String] = [:]
        // Read in place, by index: a resource copy retains each of its strings.
        let resources = task.resources
        for index in resources.indices where resources[index].hasExtras && resources[index].role == .primary {
            guard let cluster = resources[index].cluster else { continue }
            if let other = primaries[cluster] {
                problems.append("cluster \(cluster) has two primaries in this task: \(other) and \(resources[index].id)")
            }
            primaries[cluster] = resources[index].id
        }
        return problems
    }
}
