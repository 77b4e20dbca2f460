import Foundation

/// The rarely set fields of a resource, shared by reference and never changed in place (a change makes a new
/// one). Each field is read on its own, so reading one retains nothing else.
final class ResourceExtras: Sendable, Equatable {
    let cluster: String?
    let role: ResourceRole
    let endpoint: String?
    let labels: [String: String]
    let heldReason: String?

    init(cluster: String?, role: ResourceRole, endpoint: String?, labels: [String: String], heldReason: String?) {
        self.cluster = cluster
        self.role = role
        self.endpoint = endpoint
        self.labels = labels
        self.heldReason = heldReason
    }

    /// Extras with these fields, or nil when every one is at its default.
    static func make(cluster: String?, role: ResourceRole, endpoint: String?, labels: [String: String], heldReason: String?) -> ResourceExtras? {
        if cluster == nil && role == .standalone && endpoint == nil && labels.isEmpty && heldReason == nil { return nil }
        return ResourceExtras(cluster: cluster, role: role, endpoint: endpoint, labels: labels, heldReason: heldReason)
    }

    static func == (a: ResourceExtras, b: ResourceExtras) -> Bool {
        a === b || (a.cluster == b.cluster && a.role == b.role && a.endpoint == b.endpoint && a.labels == b.labels && a.heldReason == b.heldReason)
    }
}
