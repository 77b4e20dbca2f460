public import Foundation
import PitstopCore

/// One attempt, followed by the engine's loop without ever blocking it.
public protocol Execution: AnyObject {
    var job: ExecutionJob { get }
    /// The attempt's state at `now`; once it has ended, it stays so.
    func poll(now: Date) -> ExecutionStatus
}
