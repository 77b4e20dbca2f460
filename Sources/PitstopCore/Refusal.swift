import Foundation

/// One resource that an action could not be applied to, and why.
public struct Refusal: Sendable, Equatable, CustomStringConvertible {
    public var taskID: String
    public var resourceID: String
    public var rule: SchedulingRule
    /// A sentence naming the resource and the rule, e.g. "orders-db-1: … is after the deadline of MT-0007 (…)".
    public var message: String

    public var description: String { "\(message) [\(rule.rawValue)]" }
}
