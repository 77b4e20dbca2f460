import Foundation
import PitstopCore
import PitstopTestSupport
import Testing
@testable import PitstopStore

/// Compaction at any step of its replacement, and the change feed readers follow.
struct CompactionAndFeedTests {
    @Test func compactionKeepsThePreviousPairAsBackup() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 3)
        let oldSnapshot = StoreFixture.bytes(store.layout.snapshot)
        let oldJournal = StoreFixture.bytes(store.layout.journal)
        try store.compact()
        #expect(StoreFixture.bytes(store.layout.snapshotBackup) == oldSnapshot)
        #expect(StoreFixture.bytes(store.layout.journalBackup) == oldJournal)
        #expect(StoreFixture.bytes(store.layout.journal).count == FileHeader.size)
        #expect(try Store.open(dir.file("store")).state.tasks == store.state.tasks)
    }

    @Test func aCrashBetweenTheTwoRenamesOpensToTheSameState() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 3)
        let oldJournal = StoreFixture.bytes(store.layout.journal)
        try store.compact()
        // New snapshot, old journal: as if the writer died before renaming the new journal in.
        StoreFixture.write(oldJournal, to: store.layout.journal)
        let reopened = try Store.open(dir.file("store"))
        #expect(reopened.state.tasks == store.state.tasks && reopened.sequence == 3)
        try reopened.mutate(.importTasks([StoreFixture.task("T-NEW", machines: ["z"])]), context: StoreFixture.context())
        #expect(try Store.open(dir.file("store")).sequence == 4)
    }

    @Test func automaticCompactionTriggersAtTheThreshold() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 40, options: StoreOptions(compactionThreshold: 2048))
        #expect(FileManager.default.fileExists(atPath: store.layout.snapshotBackup))
        #expect(StoreFixture.bytes(store.layout.journal).count < 2048 + 512)
        #expect(try Store.open(dir.file("store")).state.tasks.count == 40)
    }

    @Test func aReaderPollsOnlyWhatIsNewAndReloadsAfterCompaction() throws {
        let dir = ScratchDirectory()
        let writer = try StoreFixture.store(in: dir, imports: 2)
        let reader = try Store.open(dir.file("store"), options: StoreOptions(readOnly: true))
        #expect(try reader.poll() == .unchanged)
        for n in 0..<2 { try writer.mutate(.exclude(taskID: "T-00\(n)", resourceIDs: ["m\(n)"]), context: StoreFixture.context()) }
        let batches = try #require(try reader.poll().batches)
        #expect(batches.map(\.sequence) == [3, 4])
        #expect(reader.state.tasks == writer.state.tasks)
        #expect(try reader.poll() == .unchanged)
        try writer.compact()
        #expect(try reader.poll() == .reloaded)
        #expect(reader.state.tasks == writer.state.tasks && reader.sequence == writer.sequence)
    }

    @Test func aWriterSeesItsOwnCommitsThroughTheFeed() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 1)
        _ = try store.poll()
        try store.mutate(.exclude(taskID: "T-000", resourceIDs: ["m0"]), context: StoreFixture.context())
        let batches = try #require(try store.poll().batches)
        #expect(batches.count == 1 && batches[0].events[0].kind == .excluded)
    }

    @Test func aStaleWriterIsValidatedAgainstTheLatestState() throws {
        let dir = ScratchDirectory()
        let first = try Store.open(dir.file("store"))
        try first.mutate(.importTasks([StoreFixture.task("A", machines: ["db"]), StoreFixture.task("B", machines: ["db"])]), context: StoreFixture.context())
        let second = try Store.open(dir.file("store"))
        let at = StoreFixture.now.addingTimeInterval(48 * 3600)
        try first.mutate(.reserve(taskID: "A", selection: .ids(["db"]), at: at, stagger: nil, force: false), context: StoreFixture.context())
        // `second` has not polled: its copy still shows "db" free, but the write is checked inside the lock.
        #expect {
            try second.mutate(.reserve(taskID: "B", selection: .ids(["db"]), at: at, stagger: nil, force: false), context: StoreFixture.context())
        } throws: { error in
            refusedRule(error) == .conflict
        }
    }

    @Test func replaceAllKeepsTheOldContentsInTheBackup() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 2)
        let reader = try Store.open(dir.file("store"), options: StoreOptions(readOnly: true))
        try store.replaceAll(with: FleetState(), now: StoreFixture.now)
        #expect(try reader.poll() == .reloaded)
        #expect(reader.state.tasks.isEmpty)
        let backup = try SnapshotFile.decode(StoreFixture.bytes(store.layout.snapshotBackup), path: "bak")
        #expect(backup.sequence == 0 && FileManager.default.fileExists(atPath: store.layout.journalBackup))
    }
}

func refusedRule(_ error: any Error) -> SchedulingRule? {
    if case .refused(let refusals) = error as? MutationError { return refusals.first?.rule }
    return nil
}
