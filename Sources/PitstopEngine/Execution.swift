public import Foundation
public import PitstopCore

/// One attempt, followed by the engine's loop without ever blocking it.
public protocol Execution: AnyObject {
    var job: ExecutionJob { get }
    /// The attempt's state at `now`; once it has ended, it stays so.
    func poll(now: Date) -> ExecutionStatus
    /// The roles a Patroni command of the attempt last reported for its cluster's members (by member name).
    var reportedRoles: [String: ResourceRole]? { get }
}

extension Execution {
    /// Simulated and planned attempts report none.
    public var reportedRoles: [String: ResourceRole]? { nil }
}
