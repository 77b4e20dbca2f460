import Foundation

/// The rarely set fields of a resource, as values.
struct ResourceExtraFields: Sendable, Equatable {
    var cluster: String?
    var role = ResourceRole.standalone
    var endpoint: String?
    var host: String?
    var labels: [String: String] = [:]
    var heldReason: String?

    /// Whether every field is at its default.
    var isDefault: Bool {
        cluster == nil && role == .standalone && endpoint == nil && host == nil && labels.isEmpty && heldReason == nil
    }
}

/// The rarely set fields of a resource, shared by reference and never changed in place (a change makes a new
/// one). Each field is read on its own, so reading one retains nothing else.
final class ResourceExtras: Sendable, Equatable {
    let fields: ResourceExtraFields

    private init(_ fields: ResourceExtraFields) { self.fields = fields }

    /// Extras with these fields, or nil when every one is at its default.
    static func make(_ fields: ResourceExtraFields) -> ResourceExtras? {
        fields.isDefault ? nil : ResourceExtras(fields)
    }

    static func == (a: ResourceExtras, b: ResourceExtras) -> Bool { a === b || a.fields == b.fields }
}
