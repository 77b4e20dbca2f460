import Foundation

/// The rarely set fields of a resource, as values.
struct ResourceExtraFields: Sendable, Equatable {
    var cluster: String?
    var role = ResourceRole.standalone
    var endpoint: String?
    var host: String?
    var labels: [String: String] = [:]
    var heldReason: String?
    var liveRole: ResourceRole?
}

/// The rarely set fields of a resource, shared by reference and never changed in place (a change makes a new
/// one). Each field is its own stored property, read on its own: reading one retains nothing else.
final class ResourceExtras: Sendable, Equatable {
    let cluster: String?
    let role: ResourceRole
    let endpoint: String?
    let host: String?
    let labels: [String: String]
    let heldReason: String?
    let liveRole: ResourceRole?

    private init(cluster: String?, role: ResourceRole, endpoint: String?, host: String?, labels: [String: String], heldReason: String?,
                 liveRole: ResourceRole?) {
        self.cluster = cluster
        self.role = role
        self.endpoint = endpoint
        self.host = host
        self.labels = labels
        self.heldReason = heldReason
        self.liveRole = liveRole
    }

    /// The fields as one value, to change one of them.
    var fields: ResourceExtraFields {
        ResourceExtraFields(cluster: cluster, role: role, endpoint: endpoint, host: host, labels: labels, heldReason: heldReason, liveRole: liveRole)
    }

    /// Extras with these fields, or nil when every one is at its default.
    static func make(_ f: ResourceExtraFields) -> ResourceExtras? {
        make(cluster: f.cluster, role: f.role, endpoint: f.endpoint, host: f.host, labels: f.labels, heldReason: f.heldReason, liveRole: f.liveRole)
    }

    /// The same from the fields one by one: what decoding 100,000 resources calls, without a value in between.
    static func make(
        cluster: String?, role: ResourceRole, endpoint: String?, host: String?, labels: [String: String], heldReason: String?,
        liveRole: ResourceRole? = nil
    ) -> ResourceExtras? {
        if cluster == nil && role == .standalone && endpoint == nil && host == nil && labels.isEmpty && heldReason == nil && liveRole == nil { return nil }
        return ResourceExtras(cluster: cluster, role: role, endpoint: endpoint, host: host, labels: labels, heldReason: heldReason, liveRole: liveRole)
    }

    static func == (a: ResourceExtras, b: ResourceExtras) -> Bool { a === b || a.fields == b.fields }
}
