import Foundation

/// One resource that an action could not be applied to, and why.
public struct Refusal: Sendable, Equatable, CustomStringConvertible {
    /// The task of the refused resource.
    public var taskID: String
    /// The refused resource.
    public var resourceID: String
    /// The rule it broke.
    public var rule: SchedulingRule
    /// A sentence naming the resource and the rule, e.g. "orders-db-1: … is after the deadline of MT-0007 (…)".
    public var message: String

    /// The message with the rule's name in brackets.
    public var description: String { "\(message) [\(rule.rawValue)]" }
}
