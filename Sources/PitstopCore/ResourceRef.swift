import Foundation

/// One resource of one task.
public struct ResourceRef: Sendable, Hashable, Comparable {
    /// The task.
    public var taskID: String
    /// The resource in it.
    public var resourceID: String

    /// A reference to one resource of one task.
    public init(taskID: String, resourceID: String) {
        self.taskID = taskID
        self.resourceID = resourceID
    }

    /// By task id, then resource id.
    public static func < (a: ResourceRef, b: ResourceRef) -> Bool { (a.taskID, a.resourceID) < (b.taskID, b.resourceID) }
}
