import Foundation
import PitstopCore

/// What is typed after `/`, read as fields and free text: `status:failed cluster:orders role:primary svc:pg
/// label:zone=b held orders`. A task matches when the free text is in its searchable text (`TaskSearch`), its
/// own fields (`svc:`, `type:`) match, and one of its resources matches every resource field together
/// (`status:`, `cluster:`, `role:`, `label:`, `held`). Values match by prefix, case-insensitively, so
/// `status:fail`, `svc:pg` and `type:kernel` do what they look like.
struct FilterQuery: Equatable, Sendable {
    /// The free text, lower-cased and normalised as `TaskSearch` compares it.
    var text = ""
    var services: [String] = []
    var types: [String] = []
    var statuses: [String] = []
    var clusters: [String] = []
    var roles: [String] = []
    /// `label:KEY` (any value) or `label:KEY=VALUE`.
    var labels: [(key: String, value: String?)] = []
    var held = false
    /// `name:value` tokens whose name is not a field: kept in the free text, and named in the prompt.
    var unknownFields: [String] = []

    /// The fields the prompt offers, as they are typed.
    static let fieldNames = ["status", "svc", "type", "cluster", "role", "label", "held"]

    init(_ typed: String) {
        var free: [String] = []
        for token in typed.split(whereSeparator: \.isWhitespace).map(String.init) {
            let lower = TaskSearch.normalized(token)
            if lower == "held" {
                held = true
                continue
            }
            guard let colon = lower.firstIndex(of: ":"), colon != lower.startIndex else {
                free.append(lower)
                continue
            }
            let name = String(lower[..<colon])
            let value = String(lower[lower.index(after: colon)...])
            switch name {
            case "status": statuses.append(value)
            case "svc", "service": services.append(value)
            case "type": types.append(value)
            case "cluster": clusters.append(value)
            case "role": roles.append(value)
            case "label":
                let parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                labels.append((parts[0], parts.count > 1 ? parts[1] : nil))
            default:
                unknownFields.append(name)
                free.append(lower)
            }
        }
        text = free.joined(separator: " ")
    }

    static func == (a: FilterQuery, b: FilterQuery) -> Bool {
        a.text == b.text && a.services == b.services && a.types == b.types && a.statuses == b.statuses && a.clusters == b.clusters
            && a.roles == b.roles && a.held == b.held && a.unknownFields == b.unknownFields
            && a.labels.map(\.key) == b.labels.map(\.key) && a.labels.map(\.value) == b.labels.map(\.value)
    }

    var isEmpty: Bool { text.isEmpty && !hasFields }
    /// Whether anything but free text was asked for.
    var hasFields: Bool { !services.isEmpty || !types.isEmpty || hasResourceFields }
    /// Whether a resource must match fields of its own.
    var hasResourceFields: Bool { !statuses.isEmpty || !clusters.isEmpty || !roles.isEmpty || !labels.isEmpty || held }

    /// Whether the task's own fields match (the free text is `TaskSearch`'s part).
    func matchesTaskFields(_ task: MaintenanceTask) -> Bool {
        let service = task.service.rawValue.lowercased()
        let serviceOK = services.allSatisfy { value in
            service.hasPrefix(value) || (value == "pg" && task.service == .postgresql) || (value.hasPrefix("maria") && task.service == .mysql)
        }
        return serviceOK && types.allSatisfy { task.type.rawValue.hasPrefix($0) }
    }

    /// Whether a resource matches every resource field (true when none is asked for).
    func matches(_ resource: Resource) -> Bool {
        if held && resource.heldReason == nil { return false }
        let status = resource.status.rawValue
        guard statuses.allSatisfy({ status.hasPrefix($0) || ($0 == "running" && resource.status == .inProgress) || ($0 == "done" && resource.status == .completed) }) else { return false }
        guard roles.allSatisfy({ resource.effectiveRole.rawValue.hasPrefix($0) }) else { return false }
        if !clusters.isEmpty {
            guard let cluster = resource.cluster?.lowercased(), clusters.allSatisfy({ cluster.hasPrefix($0) }) else { return false }
        }
        for label in labels {
            guard let found = resource.labels.first(where: { $0.key.lowercased() == label.key }) else { return false }
            if let value = label.value, !found.value.lowercased().hasPrefix(value) { return false }
        }
        return true
    }

    /// Whether a resource is one the query points at in the resource pane (for highlights and `n`/`N`): it
    /// matches the resource fields, and its id or name holds the free text (any of it, when fields were given).
    func highlights(_ resource: Resource) -> Bool {
        guard !isEmpty else { return false }
        guard matches(resource) else { return false }
        guard !text.isEmpty else { return hasResourceFields }
        return TaskSearch.normalized(resource.name).contains(text) || TaskSearch.normalized(resource.id).contains(text)
    }

    /// Whether the whole task matches, given whether its searchable text holds the free text.
    func matches(_ task: MaintenanceTask) -> Bool {
        guard matchesTaskFields(task) else { return false }
        guard hasResourceFields else { return true }
        return task.resources.contains { matches($0) }
    }
}
