import Foundation

/// One resource of one task.
public struct ResourceRef: Sendable, Hashable, Comparable {
    public var taskID: String
    public var resourceID: String

    public init(taskID: String, resourceID: String) {
        self.taskID = taskID
        self.resourceID = resourceID
    }

    public static func < (a: ResourceRef, b: ResourceRef) -> Bool { (a.taskID, a.resourceID) < (b.taskID, b.resourceID) }
}
