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

    /// The resource's name as the message begins with it (empty when the message names none).
    public var resourceName = ""

    /// The message with the rule's name in brackets.
    public var description: String { "\(message) [\(rule.rawValue)]" }

    /// Why, without the resource's name: the same for every resource refused for the same reason.
    public var reason: String {
        guard !resourceName.isEmpty, message.hasPrefix(resourceName + ": ") else { return message }
        return String(message.dropFirst(resourceName.count + 2))
    }

    /// The refused resource.
    public init(taskID: String, resourceID: String, rule: SchedulingRule, message: String, resourceName: String = "") {
        self.taskID = taskID
        self.resourceID = resourceID
        self.rule = rule
        self.message = message
        self.resourceName = resourceName
    }

    /// Refusals grouped by their reason and rule, in order of first appearance: fifteen resources refused for
    /// one reason read as one line naming a few of them, not fifteen copies of it.
    public static func grouped(_ refusals: [Refusal]) -> [(names: [String], reason: String, rule: SchedulingRule)] {
        var groups: [(names: [String], reason: String, rule: SchedulingRule)] = []
        for refusal in refusals {
            let name = refusal.resourceName.isEmpty ? refusal.resourceID : refusal.resourceName
            if let index = groups.firstIndex(where: { $0.reason == refusal.reason && $0.rule == refusal.rule }) {
                groups[index].names.append(name)
            } else {
                groups.append(([name], refusal.reason, refusal.rule))
            }
        }
        return groups
    }
}
