import Foundation
import PitstopCore

/// Sizes and positions of a store, for `pitstop store info`.
public struct StoreInfo: Sendable {
    public var directory: String
    public var sequence: UInt64
    public var tasks: Int
    public var resources: Int
    public var events: Int
    public var snapshotBytes: Int
    public var journalBytes: Int
    public var compactionThreshold: Int
}

extension Store {
    public var info: StoreInfo {
        StoreInfo(
            directory: directory, sequence: sequence, tasks: state.tasks.count,
            resources: state.tasks.reduce(0) { $0 + $1.resources.count }, events: state.events.count,
            snapshotBytes: FileIO.identity(layout.snapshot)?.size ?? 0, journalBytes: FileIO.identity(layout.journal)?.size ?? 0,
            compactionThreshold: options.compactionThreshold)
    }
}
