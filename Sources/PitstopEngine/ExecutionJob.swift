import Foundation
public import PitstopCore

/// What one attempt runs against: the resource and how.
public struct ExecutionJob: Sendable, Equatable {
    /// The task.
    public var taskID: String
    /// The resource (the machine).
    public var resourceID: String
    /// Its display name.
    public var resourceName: String
    /// The kind of maintenance.
    public var taskType: TaskType
    /// The database engine.
    public var service: Service
    /// 1 for the first attempt.
    public var attempt: Int
    /// The attempt's id in the store (`Resource.attemptID`): it names the record and output files.
    public var attemptID: UInt64
    /// How to execute it.
    public var executor: ExecutorSpec
    /// The machine's cluster, role, endpoint and labels, and the task's parameters, for the command's environment.
    public var cluster: String?
    /// The machine's role in its cluster.
    public var role: ResourceRole = .standalone
    /// Where the automation reaches the machine.
    public var endpoint: String?
    /// Where runbooks reach the machine over SSH (`Resource.sshDestination`).
    public var host: String?
    /// The SSH destinations of the other members of its cluster in the task that are replicas, for a primary's
    /// runbook to check them (`PITSTOP_CLUSTER_REPLICAS`, space-separated).
    public var clusterReplicas: [String] = []
    /// The machine's labels.
    public var labels: [String: String] = [:]
    /// The task's parameters.
    public var parameters: [String: String] = [:]
    /// The task's precheck, health check and switchover.
    public var hooks = TaskHooks()
    /// What the owner's seal of the task covers (`MaintenanceTask.sealedContent`), nil when it runs no command.
    public var sealedContent: [UInt8]?
    /// The owner's seal of the task.
    public var ownerSeal: String?

    /// A job.
    public init(
        taskID: String, resourceID: String, resourceName: String, taskType: TaskType, service: Service, attempt: Int,
        attemptID: UInt64, executor: ExecutorSpec
    ) {
        self.taskID = taskID
        self.resourceID = resourceID
        self.resourceName = resourceName
        self.taskType = taskType
        self.service = service
        self.attempt = attempt
        self.attemptID = attemptID
        self.executor = executor
    }

    /// The job of the current attempt of `resource`.
    public init(task: MaintenanceTask, resource: Resource) {
        self.init(
            taskID: task.id, resourceID: resource.id, resourceName: resource.name, taskType: task.type, service: task.service,
            attempt: max(resource.attempts, 1), attemptID: resource.attemptID ?? 0, executor: task.executor)
        cluster = resource.cluster
        role = resource.effectiveRole
        endpoint = resource.endpoint
        host = resource.sshDestination
        if let cluster = resource.cluster, resource.effectiveRole == .primary {
            clusterReplicas = task.resources.compactMap { other in
                other.effectiveRole == .replica && other.cluster == cluster && other.id != resource.id ? other.sshDestination : nil
            }
        }
        labels = resource.labels
        parameters = task.parameters
        hooks = task.hooks
        sealedContent = task.sealedContent
        ownerSeal = task.ownerSeal
    }

    /// Why the values this job hands its command must not reach it: an endpoint or SSH destination a program
    /// could read as an option or a list, or keys that would reach it as one variable. Import refuses them; a
    /// record written by hand to a team store's files could still hold them (SPEC §29). Nil when sound.
    public var targetProblem: String? {
        if let endpoint, !Endpoint.isValid(endpoint) { return "the endpoint \"\(endpoint)\" is not host:port or [v6]:port" }
        for destination in [host].compactMap({ $0 }) + clusterReplicas where !Resource.isSSHDestination(destination) {
            return "the SSH destination \"\(destination)\" could be read as an option or more than one word"
        }
        if let url = labels[PatroniCluster.urlLabel], let problem = PatroniCluster.urlProblem(url, endpoint: endpoint, host: host) { return problem }
        if let (a, b) = EnvironmentName.collision(among: labels.keys) { return "the labels \"\(a)\" and \"\(b)\" would reach it as one variable" }
        if let (a, b) = EnvironmentName.collision(among: parameters.keys) { return "the parameters \"\(a)\" and \"\(b)\" would reach it as one variable" }
        return nil
    }

    /// `PITSTOP_LABEL_` or `PITSTOP_PARAM_` and the key, upper-cased, anything but letters and digits as `_`.
    static func variable(_ prefix: String, _ key: String) -> String { EnvironmentName.of(prefix, key) }

    /// The variables the command finds in its environment; values reach it only this way, never in its argv.
    public var environment: [String: String] {
        [
            "PITSTOP_TASK_ID": taskID, "PITSTOP_RESOURCE_ID": resourceID, "PITSTOP_RESOURCE_NAME": resourceName,
            "PITSTOP_TASK_TYPE": taskType.rawValue, "PITSTOP_SERVICE": service.rawValue, "PITSTOP_ATTEMPT": String(attempt),
            "PITSTOP_ATTEMPT_ID": String(attemptID),
        ]
        .merging(topologyEnvironment) { $1 }
    }

    private var topologyEnvironment: [String: String] {
        var variables = ["PITSTOP_RESOURCE_ROLE": role.rawValue]
        if let cluster { variables["PITSTOP_RESOURCE_CLUSTER"] = cluster }
        if let endpoint { variables["PITSTOP_RESOURCE_ENDPOINT"] = endpoint }
        if let host { variables["PITSTOP_RESOURCE_HOST"] = host }
        if !clusterReplicas.isEmpty { variables["PITSTOP_CLUSTER_REPLICAS"] = clusterReplicas.joined(separator: " ") }
        for (key, value) in labels { variables[Self.variable("PITSTOP_LABEL_", key)] = value }
        for (key, value) in parameters { variables[Self.variable("PITSTOP_PARAM_", key)] = value }
        return variables
    }
}
