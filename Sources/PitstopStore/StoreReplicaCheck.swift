import Foundation
public import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// `store check` of a store bound to a replica: this host's copy, as its files hold it, against the fleet.
public enum StoreReplicaCheck {
    /// What the comparison found.
    public enum Verdict: Equatable, Sendable {
        /// The copy is the fleet's state at its change; `behind` changes have come since (it takes them next).
        case agrees(sequence: UInt64, behind: Bool)
        /// The copy is older than the fleet's snapshot: it will start again from it.
        case behindSnapshot(sequence: UInt64, snapshot: UInt64)
        /// The copy differs from the fleet at its own change: it must be made again from the fleet.
        case differs(sequence: UInt64, what: String)

        /// One line for `store check`.
        public var line: String {
            switch self {
            case .agrees(let sequence, let behind):
                "this host's copy agrees with the fleet at change \(sequence)" + (behind ? "; later changes wait in etcd, copied here by the next write or by this host's engine" : "")
            case .behindSnapshot(let sequence, let snapshot):
                "this host's copy is at change \(sequence), before the fleet's snapshot at \(snapshot): it starts again from the snapshot on its next write"
            case .differs(let sequence, let what):
                "this host's copy differs from the fleet at change \(sequence) (\(what)); move the directory aside and run `pitstop store init --etcd …` again"
            }
        }
    }

    /// Compares the copy in `directory` with its fleet; nil when the store is bound to no replica.
    public static func run(_ directory: String) throws -> Verdict? {
        guard let binding = FileManager.default.contents(atPath: StoreReplicas.bindingPath(directory)) else { return nil }
        guard let opener = StoreReplicas.opener else { throw StoreError.noReplica(path: directory) }
        let replica = try opener(directory, binding)
        let layout = StoreLayout(directory: directory)
        let lock = try StoreLock(path: layout.lock, writable: false, timeout: 10)
        let loaded = try lock.withLock(exclusive: false) { try StoreLoader(layout: layout).load(writable: false) }
        close(loaded.journalFD)
        let sequence = loaded.sequence
        let behind = !(try replica.records(after: sequence, limit: 1)).isEmpty
        // The fleet's state at the copy's change: from its snapshot when it is not later, else from the start.
        let snapshot = try replica.latestSnapshotSequence()
        if snapshot > sequence { return .behindSnapshot(sequence: sequence, snapshot: snapshot) }
        var state = FleetState()
        var at: UInt64 = 0
        if snapshot > 0, let (_, bytes) = try replica.latestSnapshot() {
            (state, at) = try SnapshotFile.decode(bytes, path: "the fleet's snapshot")
        }
        while at < sequence {
            let records: [[UInt8]]
            do {
                records = try replica.records(after: at, limit: Int(min(500, sequence - at)))
            } catch StoreError.replicaTrimmed {
                return .behindSnapshot(sequence: sequence, snapshot: try replica.latestSnapshotSequence())
            }
            guard !records.isEmpty else { return .differs(sequence: sequence, what: "the fleet has only \(at) changes") }
            let scan = JournalFile.scan(records.flatMap { $0 }, base: 0, path: "the fleet's log")
            if let damage = scan.damage { throw damage }
            try StoreLoader.replay(scan.batches, onto: &state, sequence: &at, path: "the fleet's log")
        }
        let local = loaded.state
        if local.tasks != state.tasks {
            let first = zip(local.tasks, state.tasks).first { $0 != $1 }.map { "task \($0.0.id) is not the same" }
            return .differs(sequence: sequence, what: first ?? "\(local.tasks.count) tasks here, \(state.tasks.count) in the fleet")
        }
        if local.policy != state.policy { return .differs(sequence: sequence, what: "the policy is not the same") }
        if local.events.count != state.events.count { return .differs(sequence: sequence, what: "\(local.events.count) events here, \(state.events.count) in the fleet") }
        return .agrees(sequence: sequence, behind: behind)
    }
}
