import Foundation

/// The rarely set fields of a resource, shared by reference and never changed in place (a change makes a new one).
final class ResourceExtras: Sendable, Equatable {
    struct Value: Sendable, Equatable {
        var cluster: String?
        var role: ResourceRole = .standalone
        var endpoint: String?
        var labels: [String: String] = [:]
        var heldReason: String?
    }

    let value: Value

    init(_ value: Value) { self.value = value }

    static func == (a: ResourceExtras, b: ResourceExtras) -> Bool { a === b || a.value == b.value }
}
