import Foundation
import PitstopCore

/// Where an attempt stands.
public enum ExecutionStatus: Sendable, Equatable {
    case running(progress: Int?, message: String?)
    case finished(success: Bool, message: String)
    /// An operator stopped it; the execution fails and is not retried.
    case cancelled(by: String)
    /// The command never started (its supervisor died first, or was never spawned): start it again.
    case neverStarted
    /// The supervisor died after starting the command: how it ended is unknown.
    case lost
    /// The precheck said no: nothing ran, and the resource waits (`reason` says why, e.g. "precheck: lag 40s").
    case held(reason: String)
}
