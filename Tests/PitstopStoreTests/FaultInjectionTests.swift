import Foundation
import PitstopCore
@testable import PitstopStore
import PitstopTestSupport
import Testing

/// What a reopened store must equal: a store's sequence, tasks, policy and events.
struct StoreContents: Equatable, CustomStringConvertible {
    var sequence: UInt64
    var tasks: [MaintenanceTask]
    var policy: Policy
    var events: [Event]

    init(_ store: Store) {
        sequence = store.sequence
        tasks = Array(store.state.tasks)
        policy = store.state.policy
        events = Array(store.state.events)
    }

    var description: String { "change \(sequence), \(tasks.count) tasks, \(events.count) events, maxConcurrency \(policy.maxConcurrency)" }
}

/// One store operation that the crash matrix interrupts at every system call.
enum InterruptedOperation: String, CaseIterable, CustomStringConvertible {
    /// Open an empty directory: the store creates its snapshot and journal.
    case create
    /// A mutation: append one record and fdatasync it.
    case append
    /// A mutation that crosses the compaction threshold: append, then fold the journal into a snapshot.
    case appendThenCompact
    /// `pitstop store compact`.
    case compact
    /// A compaction of a store compacted before: the events since go at the end of its event file.
    case compactAppendingEvents
    /// `pitstop demo --force`: everything replaced, written like a compaction.
    case replaceAll
    /// A writer opening a store whose journal ends in a torn record: it cuts the tail and syncs.
    case openCuttingATornTail

    var description: String { rawValue }

    var compactionThreshold: Int { self == .appendThenCompact ? 1 : 8 << 20 }

    /// Prepares a store holding three acknowledged imports (nothing for `create`), all synced.
    func prepare(_ directory: String) throws {
        guard self != .create else { return try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let store = try Store.open(directory)
        for n in 0..<3 {
            try store.mutate(.importTasks([StoreFixture.task("T-\(n)", machines: ["m\(n)", "x\(n)"])]), context: StoreFixture.context())
        }
        if self == .compactAppendingEvents {
            try store.compact(now: StoreFixture.now)
            try store.mutate(.importTasks([StoreFixture.task("T-3", machines: ["m3"])]), context: StoreFixture.context())
        }
        if self == .openCuttingATornTail {
            let journal = StoreFixture.bytes(store.layout.journal)
            let last = StoreFixture.recordOffsets(journal).last!
            StoreFixture.write(journal + journal[last..<(last + 20)], to: store.layout.journal)
        }
    }

    /// Whether the store is opened by the operation itself rather than before it.
    var opensTheStore: Bool { self == .create || self == .openCuttingATornTail }

    /// Runs the operation on an open store (nil for those that open it themselves).
    func run(_ directory: String, _ store: Store?) throws {
        switch self {
        case .create, .openCuttingATornTail:
            _ = try Store.open(directory)
        case .append, .appendThenCompact:
            try store!.mutate(.setPolicyValue(key: "maxConcurrency", value: "7"), context: StoreFixture.context(1))
        case .compact, .compactAppendingEvents:
            try store!.compact(now: StoreFixture.now)
        case .replaceAll:
            var state = FleetState()
            _ = try state.apply(.importTasks([StoreFixture.task("NEW", machines: ["n1"])]), context: StoreFixture.context())
            try store!.replaceAll(with: state, now: StoreFixture.now)
        }
    }
}

/// Crashes between any two system calls of the store's writes, with and without a power cut, and failed
/// system calls (ENOSPC, EIO, short writes, renames that never happened), injected through `FileIO.seam`.
/// After each, the store must open to a prefix of the acknowledged mutations, `store check` must agree,
/// and the caller must have seen a clear error at the moment of failure.
struct FaultInjectionTests {
    /// Every crash point × every kind of loss, for each operation.
    @Test(arguments: InterruptedOperation.allCases)
    func aCrashAtAnySystemCallLeavesAPrefixOfTheAcknowledgedChanges(operation: InterruptedOperation) throws {
        let total = try callCount(of: operation)
        #expect(total > 0)
        for stop in 0...total {
            for loss in SimulatedDisk.Loss.allCases {
                try crash(operation, at: stop, loss: loss, total: total)
            }
        }
    }

    /// `store recover` on a store whose snapshot is damaged, stopped at each of its system calls: running it
    /// again finishes the job with every acknowledged change.
    @Test func aCrashDuringRecoveryLeavesAStoreThatRecoverFinishes() throws {
        func damagedStore(_ directory: String) throws -> StoreContents {
            try InterruptedOperation.append.prepare(directory)
            let store = try Store.open(directory)
            try store.compact(now: StoreFixture.now)
            try store.mutate(.setPolicyValue(key: "maxConcurrency", value: "5"), context: StoreFixture.context(1))
            let acknowledged = StoreContents(store)
            var bytes = StoreFixture.bytes(store.layout.snapshot)
            bytes[bytes.count / 2] ^= 0x20
            StoreFixture.write(bytes, to: store.layout.snapshot)
            return acknowledged
        }
        let probeScratch = ScratchDirectory("pitstop-fault")
        _ = try damagedStore(probeScratch.file("store"))
        let probe = SimulatedDisk(directory: probeScratch.file("store"))
        _ = try FileIO.$seam.withValue(probe) { try StoreRecovery.run(probeScratch.file("store"), now: StoreFixture.now) }
        let total = probe.callCount
        #expect(total >= 8)
        for stop in 0...total {
            for loss in SimulatedDisk.Loss.allCases {
                let scratch = ScratchDirectory("pitstop-fault")
                let directory = scratch.file("store")
                let acknowledged = try damagedStore(directory)
                let disk = SimulatedDisk(directory: directory)
                disk.stopAt = stop
                _ = try? FileIO.$seam.withValue(disk) { try StoreRecovery.run(directory, now: StoreFixture.now) }
                disk.cutPower(loss)
                let place = "recover stopped at call \(stop) of \(total), \(loss)"
                do {
                    _ = try StoreRecovery.run(directory, now: StoreFixture.now.addingTimeInterval(1))
                    #expect(StoreContents(try Store.open(directory)) == acknowledged, "\(place)")
                } catch {
                    Issue.record("\(place): \(error); calls: \(disk.calls.prefix(stop).map(\.description).joined(separator: ", "))")
                }
            }
        }
    }

    private func callCount(of operation: InterruptedOperation) throws -> Int {
        let scratch = ScratchDirectory("pitstop-fault")
        let directory = scratch.file("store")
        try operation.prepare(directory)
        let disk = SimulatedDisk(directory: directory)
        let store = operation.opensTheStore ? nil : try Store.open(directory, options: StoreOptions(compactionThreshold: operation.compactionThreshold))
        try FileIO.$seam.withValue(disk) { try operation.run(directory, store) }
        return disk.callCount
    }

    private func crash(_ operation: InterruptedOperation, at stop: Int, loss: SimulatedDisk.Loss, total: Int) throws {
        let scratch = ScratchDirectory("pitstop-fault")
        let directory = scratch.file("store")
        try operation.prepare(directory)
        let place = "\(operation), stopped at call \(stop) of \(total), \(loss)"
        let disk = SimulatedDisk(directory: directory)
        disk.stopAt = stop
        var before: StoreContents?
        var after: StoreContents?
        var acknowledged = false
        do {
            let options = StoreOptions(compactionThreshold: operation.compactionThreshold)
            let store = operation.opensTheStore ? nil : try Store.open(directory, options: options)
            before = try store.map(StoreContents.init) ?? (operation == .create ? nil : StoreContents(try Store.open(directory, options: StoreOptions(readOnly: true))))
            FileIO.$seam.withValue(disk) {
                do {
                    try operation.run(directory, store)
                    acknowledged = true
                } catch {
                    let message = "\(error)"
                    #expect(message.contains(directory), "\(place): the error names the store: \(message)")
                }
            }
            after = store.map(StoreContents.init) ?? before
        }
        disk.cutPower(loss)
        let stepsTaken = disk.calls.prefix(stop).map(\.description).joined(separator: ", ")

        let reopened: Store
        do {
            reopened = try Store.open(directory)
        } catch {
            Issue.record("\(place): the store does not open: \(error); calls made: \(stepsTaken)")
            return
        }
        let found = StoreContents(reopened)
        if operation == .create {
            #expect(found.sequence == 0 && found.tasks.isEmpty, "\(place): \(found)")
        } else if acknowledged {
            #expect(found == after, "\(place): acknowledged \(after!), found \(found); calls made: \(stepsTaken)")
        } else {
            #expect(found == before || found.sequence == before!.sequence + 1,
                    "\(place): before \(before!), found \(found); calls made: \(stepsTaken)")
        }
        let report = try StoreCheck.run(directory)
        #expect(report.isHealthy, "\(place): store check: \(report.errors)")
        // The store keeps working: a new change is acknowledged and survives reopening.
        try reopened.mutate(.setPolicyValue(key: "maxConcurrency", value: "9"), context: StoreFixture.context(2))
        #expect(try Store.open(directory).state.policy.maxConcurrency == 9, "\(place)")
    }
}

/// Failed system calls: the caller sees a clear error at the moment of failure, nothing acknowledged is
/// lost, and the handle keeps working where that is safe.
struct FailedSystemCallTests {
    let scratch = ScratchDirectory("pitstop-fault")
    var directory: String { scratch.file("store") }

    private func openPrepared(compactionThreshold: Int = 8 << 20) throws -> Store {
        try InterruptedOperation.append.prepare(directory)
        return try Store.open(directory, options: StoreOptions(compactionThreshold: compactionThreshold))
    }

    private func setConcurrency(_ store: Store, _ value: Int) throws {
        try store.mutate(.setPolicyValue(key: "maxConcurrency", value: "\(value)"), context: StoreFixture.context(1))
    }

    private func journalSize() -> Int { FileIO.identity(StoreLayout(directory: directory).journal)?.size ?? -1 }

    @Test(arguments: [ENOSPC, EIO, EDQUOT])
    func aFailedJournalWriteIsReportedAndLeavesNoTrace(code: Int32) throws {
        let store = try openPrepared()
        let before = StoreContents(store)
        let size = journalSize()
        let disk = SimulatedDisk(directory: directory)
        disk.rule = { call in if case .write = call { return .fail(code) } else { return .proceed } }
        let error = #expect(throws: StoreError.self) { try FileIO.$seam.withValue(disk) { try setConcurrency(store, 7) } }
        #expect(error == .io(operation: "writing", path: store.layout.journal, errno: code))
        #expect("\(error!)".contains(String(cString: strerror(code))))
        #expect(StoreContents(store) == before)
        #expect(journalSize() == size, "the failed record was cut back off")
        // Space is back: the same handle writes again, and the store holds exactly the second change.
        try setConcurrency(store, 8)
        let reopened = try Store.open(directory)
        #expect(reopened.state.policy.maxConcurrency == 8 && reopened.sequence == before.sequence + 1)
    }

    @Test func aShortWriteFollowedByAFullDiskCutsThePartialRecord() throws {
        let store = try openPrepared()
        let size = journalSize()
        let disk = SimulatedDisk(directory: directory)
        disk.faults = [0: .shortWrite(10), 1: .fail(ENOSPC)]
        #expect(throws: StoreError.self) { try FileIO.$seam.withValue(disk) { try setConcurrency(store, 7) } }
        #expect(disk.calls.count >= 3, "the partial record was truncated: \(disk.calls)")
        #expect(journalSize() == size)
        try setConcurrency(store, 8)
        #expect(try Store.open(directory).state.policy.maxConcurrency == 8)
    }

    @Test func shortWritesAreResumedUntilTheRecordIsWhole() throws {
        let store = try openPrepared()
        let disk = SimulatedDisk(directory: directory)
        disk.faults = [0: .shortWrite(1), 1: .shortWrite(3), 2: .shortWrite(50)]
        try FileIO.$seam.withValue(disk) { try setConcurrency(store, 7) }
        #expect(try Store.open(directory).state.policy.maxConcurrency == 7)
        #expect(try StoreCheck.run(directory).isHealthy)
    }

    @Test(arguments: [EIO, ENOSPC])
    func aFailedFsyncIsNeverRetriedAndTheChangeIsNotAcknowledged(code: Int32) throws {
        let store = try openPrepared()
        let before = StoreContents(store)
        let disk = SimulatedDisk(directory: directory)
        disk.rule = { call in if case .sync = call { return .fail(code) } else { return .proceed } }
        let error = #expect(throws: StoreError.self) { try FileIO.$seam.withValue(disk) { try setConcurrency(store, 7) } }
        #expect(error == .syncFailed(path: store.layout.journal, errno: code))
        #expect("\(error!)".contains("NOT saved"))
        #expect(disk.calls.filter { if case .sync = $0 { true } else { false } }.count == 1, "fsync was called once: \(disk.calls)")
        #expect(StoreContents(store) == before)
        // The handle refuses to write again (the kernel may have dropped pages); a fresh one works.
        #expect(throws: StoreError.unusable(path: directory)) { try setConcurrency(store, 8) }
        let reopened = try Store.open(directory)
        #expect(StoreContents(reopened) == before)
        try setConcurrency(reopened, 9)
        #expect(try Store.open(directory).state.policy.maxConcurrency == 9)
    }

    /// Every write-side call of a compaction failing in turn: the mutation that triggered it stays
    /// acknowledged, the failure is a warning, no temp file is left to fill the disk, and a later
    /// compaction succeeds.
    @Test func aFailedCompactionKeepsTheMutationAndLeavesNoTempFiles() throws {
        let prepared = try openPrepared(compactionThreshold: 1)
        let probe = SimulatedDisk(directory: directory)
        try FileIO.$seam.withValue(probe) { try setConcurrency(prepared, 7) }
        let total = probe.callCount
        for failing in 2..<total {  // 0 and 1 are the append and its fsync
            let scratch = ScratchDirectory("pitstop-fault")
            let directory = scratch.file("store")
            try InterruptedOperation.append.prepare(directory)
            let store = try Store.open(directory, options: StoreOptions(compactionThreshold: 1))
            let disk = SimulatedDisk(directory: directory)
            disk.faults = [failing: .fail(ENOSPC)]
            try FileIO.$seam.withValue(disk) {
                try store.mutate(.setPolicyValue(key: "maxConcurrency", value: "7"), context: StoreFixture.context(1))
            }
            let place = "failing call \(failing), \(disk.calls[failing])"
            #expect(store.warnings.contains { $0.contains("compaction") && $0.contains("No space left") }, "\(place): \(store.warnings)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty, "\(place): \(leftovers)")
            #expect(try Store.open(directory).state.policy.maxConcurrency == 7, "\(place)")
            try store.mutate(.setPolicyValue(key: "maxConcurrency", value: "8"), context: StoreFixture.context(2))
            let reopened = try Store.open(directory)
            #expect(reopened.state.policy.maxConcurrency == 8, "\(place)")
            #expect(try StoreCheck.run(directory).isHealthy, "\(place)")
        }
    }

    /// A rename that reports success but never reached the disk (a lying or crashing file system), for each
    /// rename of a compaction, followed by more writes: the store either opens with every acknowledged
    /// change or refuses with an error naming the file, and `store recover` then restores every one.
    @Test func aRenameThatNeverHappenedLosesNoAcknowledgedChange() throws {
        let prepared = try openPrepared()
        let probe = SimulatedDisk(directory: directory)
        try FileIO.$seam.withValue(probe) { try prepared.compact(now: StoreFixture.now) }
        let renames = probe.calls.indices.filter { if case .rename = probe.calls[$0] { true } else { false } }
        #expect(renames.count == 4)
        for index in renames {
            let scratch = ScratchDirectory("pitstop-fault")
            let directory = scratch.file("store")
            try InterruptedOperation.append.prepare(directory)
            let store = try Store.open(directory)
            let disk = SimulatedDisk(directory: directory)
            disk.faults = [index: .pretend]
            try? FileIO.$seam.withValue(disk) { try store.compact(now: StoreFixture.now) }
            _ = try? store.mutate(.setPolicyValue(key: "maxConcurrency", value: "7"), context: StoreFixture.context(1))
            let acknowledged = StoreContents(store)
            let place = "\(disk.calls[index]) never happened"
            do {
                let found = StoreContents(try Store.open(directory))
                #expect(found == acknowledged, "\(place): acknowledged \(acknowledged), found \(found)")
            } catch {
                #expect("\(error)".contains(directory), "\(place): \(error)")
                _ = try StoreRecovery.run(directory, now: StoreFixture.now)
                #expect(StoreContents(try Store.open(directory)) == acknowledged, "\(place): after recover")
            }
        }
    }
}
