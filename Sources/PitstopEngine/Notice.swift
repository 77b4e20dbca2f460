import CPitstopSpawn
import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// A notification the engine should send, with the key that makes it happen once.
public struct Notice: Sendable, Equatable {
    /// Unique per notification, so none is sent twice.
    public var key: String
    /// The task it is about.
    public var taskID: String?
    /// The resource it is about.
    public var resourceID: String?
    /// What the operator reads.
    public var message: String
    /// For a lead-time notice, its key as a value (what the engine remembers it by between ticks).
    var lead: NotificationPlanner.LeadKey? = nil
}
