import Foundation
import PitstopCore
import PitstopTestSupport
import Testing
@testable import PitstopStore

/// Torn tails, flipped bits, newer formats, permissions: what the store does with damaged or unusual files.
struct StoreDurabilityTests {
    @Test func mutationsSurviveReopening() throws {
        let dir = ScratchDirectory()
        let written = try StoreFixture.store(in: dir, imports: 5).state
        let reopened = try Store.open(dir.file("store"))
        #expect(reopened.state.tasks == written.tasks && reopened.sequence == 5)
    }

    @Test func createsAPrivateDirectoryAndPrivateFiles() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 1)
        try store.compact()
        let mode = { (path: String) in ((try FileManager.default.attributesOfItem(atPath: path))[.posixPermissions] as! Int) & 0o777 }
        #expect(try mode(store.directory) == 0o700)
        for name in ["snapshot", "journal", "lock", "snapshot.bak", "journal.bak"] {
            #expect(try mode(store.directory + "/" + name) == 0o600, "\(name)")
        }
    }

    @Test func aRefusedMutationWritesNothing() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 1)
        let before = StoreFixture.bytes(store.layout.journal)
        #expect(throws: MutationError.self) {
            try store.mutate(.clear(taskID: "T-000", resourceIDs: ["m0"]), context: StoreFixture.context())
        }
        #expect(StoreFixture.bytes(store.layout.journal) == before && store.sequence == 1)
    }

    @Test func aTornTailIsCutAtEveryByteOfTheLastRecord() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 3)
        let journal = StoreFixture.bytes(store.layout.journal)
        let snapshot = StoreFixture.bytes(store.layout.snapshot)
        let lastStart = StoreFixture.recordOffsets(journal).last!
        for cut in (lastStart + 1)..<journal.count {
            let copy = ScratchDirectory("torn")
            try FileManager.default.createDirectory(atPath: copy.file("store"), withIntermediateDirectories: true)
            StoreFixture.write(snapshot, to: copy.file("store/snapshot"))
            StoreFixture.write(Array(journal[..<cut]), to: copy.file("store/journal"))
            let reader = try Store.open(copy.file("store"), options: StoreOptions(readOnly: true))
            #expect(reader.sequence == 2, "cut at \(cut)")
            #expect(reader.warnings.contains { $0.contains("unfinished record at byte \(lastStart)") })
            let writer = try Store.open(copy.file("store"))
            #expect(writer.sequence == 2 && writer.state.tasks.count == 2)
            #expect(StoreFixture.bytes(copy.file("store/journal")).count == lastStart, "the tail is cut off")
        }
    }

    @Test func aZeroFilledTailIsATornTail() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 2)
        StoreFixture.write(StoreFixture.bytes(store.layout.journal) + [UInt8](repeating: 0, count: 4096), to: store.layout.journal)
        #expect(try Store.open(dir.file("store")).sequence == 2)
    }

    enum Target: String, CaseIterable { case snapshotHeader, snapshotBody, journalHeader, journalFirstRecord, journalLastRecord }

    @Test(arguments: Target.allCases)
    func aFlippedBitRefusesToOpenNamingFileAndOffset(target: Target) throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 3)
        let (path, offset): (String, Int)
        let records = StoreFixture.recordOffsets(StoreFixture.bytes(store.layout.journal))
        switch target {
        case .snapshotHeader: (path, offset) = (store.layout.snapshot, 13)
        case .snapshotBody: (path, offset) = (store.layout.snapshot, StoreFixture.bytes(store.layout.snapshot).count - 20)
        case .journalHeader: (path, offset) = (store.layout.journal, 3)
        case .journalFirstRecord: (path, offset) = (store.layout.journal, records[0] + 20)
        case .journalLastRecord: (path, offset) = (store.layout.journal, records[2] + 30)
        }
        try StoreFixture.expectRefusal(damaging: path, at: offset, store: dir.file("store"))
    }

    @Test func recoverRebuildsFromTheBackupWhenTheSnapshotIsDamaged() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 3)
        try store.compact()
        for n in 3..<5 { try store.mutate(.importTasks([StoreFixture.task("T-00\(n)", machines: ["m"])]), context: StoreFixture.context()) }
        let expected = store.state.tasks
        var bytes = StoreFixture.bytes(store.layout.snapshot)
        bytes[bytes.count / 2] ^= 0xFF
        StoreFixture.write(bytes, to: store.layout.snapshot)
        #expect(throws: StoreError.self) { try Store.open(dir.file("store")) }
        let report = try StoreRecovery.run(dir.file("store"))
        #expect(report.rebuilt && report.sequence == 5)
        #expect(try Store.open(dir.file("store")).state.tasks == expected)
        #expect(try StoreCheck.run(dir.file("store")).isHealthy)
        let kept = try FileManager.default.contentsOfDirectory(atPath: dir.file("store")).filter { $0.contains(".damaged-") }
        #expect(kept.count == 2, "damaged files are kept, never deleted")
    }

    @Test func recoverSalvagesTheJournalUpToTheDamage() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 4)
        let records = StoreFixture.recordOffsets(StoreFixture.bytes(store.layout.journal))
        var bytes = StoreFixture.bytes(store.layout.journal)
        bytes[records[2] + 20] ^= 1
        StoreFixture.write(bytes, to: store.layout.journal)
        let report = try StoreRecovery.run(dir.file("store"))
        #expect(report.sequence == 2)
        #expect(try Store.open(dir.file("store")).state.tasks.map(\.id) == ["T-000", "T-001"])
    }

    @Test func aNewerFormatIsRefusedWithAnUpgradeHint() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 1)
        var header = FileHeader(kind: .snapshot, sequence: 0, createdAt: StoreFixture.now)
        header.version = 9
        var bytes = StoreFixture.bytes(store.layout.snapshot)
        bytes.replaceSubrange(0..<FileHeader.size, with: header.encoded())
        StoreFixture.write(bytes, to: store.layout.snapshot)
        #expect(throws: StoreError.newerFormat(path: store.layout.snapshot, version: 9)) { try Store.open(dir.file("store")) }
    }

    @Test func leftoverTempFilesAreRemovedOnOpen() throws {
        let dir = ScratchDirectory()
        let store = try StoreFixture.store(in: dir, imports: 1)
        StoreFixture.write([1, 2, 3], to: store.layout.snapshot + ".tmp")
        _ = try Store.open(dir.file("store"))
        #expect(!FileManager.default.fileExists(atPath: store.layout.snapshot + ".tmp"))
    }

    @Test func aMissingStoreIsNotCreatedByReaders() {
        let dir = ScratchDirectory()
        #expect(throws: StoreError.notFound(path: dir.file("none"))) {
            try Store.open(dir.file("none"), options: StoreOptions(readOnly: true))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("none")))
    }
}
