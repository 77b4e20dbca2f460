import CPitstopSpawn
import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// A notification the engine should send, with the key that makes it happen once.
public struct Notice: Sendable, Equatable {
    public var key: String
    public var taskID: String?
    public var resourceID: String?
    public var message: String
}
