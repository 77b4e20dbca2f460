import Foundation
import PitstopCore
@testable import PitstopStore
import PitstopTestSupport
import Testing

/// The event log's own file (store format 2): appended by compactions, read on demand, checked at open,
/// and the format-1 stores of earlier versions still read and upgraded.
struct EventFileTests {
    /// A store of `events` history events on a small fleet, compacted so the log is in its event file.
    private func compactedStore(in dir: ScratchDirectory, events: Int = 10_000) throws -> Store {
        let store = try Store.open(dir.file("store"))
        try store.replaceAll(with: DemoFleet(taskCount: 20, resourceCount: 200, seed: 3).build(now: StoreFixture.now, minimumEvents: events))
        return store
    }

    private func eventFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter(EventFile.isEventFile).sorted()
    }

    @Test func aCompactionWritesOnlyTheEventsSinceTheLastOneAndASnapshotWithoutEvents() throws {
        let dir = ScratchDirectory()
        let store = try compactedStore(in: dir)
        let files = eventFiles(store.directory)
        try #require(files.count == 1)
        let eventPath = store.directory + "/" + files[0]
        let before = StoreFixture.bytes(eventPath)
        let snapshotBefore = StoreFixture.bytes(store.layout.snapshot).count
        for n in 0..<3 {
            try store.mutate(.setPolicyValue(key: "maxConcurrency", value: "\(n + 2)"), context: StoreFixture.context(Double(n)))
        }
        try store.compact(now: StoreFixture.now)
        let after = StoreFixture.bytes(eventPath)
        #expect(Array(after[..<before.count]) == before, "events already on disk are not rewritten")
        #expect(after.count > before.count && after.count - before.count < 1_000, "only the three new events were appended")
        #expect(abs(StoreFixture.bytes(store.layout.snapshot).count - snapshotBefore) < 64, "the snapshot's size does not follow the log's")
        #expect(store.state.events.recent.isEmpty, "after a compaction memory holds none of the log")
        let reopened = try Store.open(store.directory, options: StoreOptions(readOnly: true))
        #expect(reopened.state.events.count == 10_003 && reopened.state.events == store.state.events)
        #expect(reopened.state.events.last?.kind == .policyChanged)
    }

    @Test func eventsAreReadByPositionAndThroughTheIndexAsTheyWereWritten() throws {
        let dir = ScratchDirectory()
        let fleet = DemoFleet(taskCount: 20, resourceCount: 200, seed: 3).build(now: StoreFixture.now, minimumEvents: 9_000)
        let store = try Store.open(dir.file("store"))
        try store.replaceAll(with: fleet)
        let reader = try Store.open(store.directory, options: StoreOptions(readOnly: true))
        let log = reader.state.events
        #expect(log.archive != nil && log.recent.isEmpty, "opening decodes no event")
        #expect(Array(log) == Array(fleet.events))
        let task = fleet.tasks[7].id
        #expect(log.events(ofTask: task) == fleet.events.filter { $0.taskID == task })
        #expect(log.events(ofKind: .notified) == fleet.events.filter { $0.kind == .notified })
        let machine = fleet.tasks[7].resources[2].id
        #expect(log.events(ofResource: machine) == fleet.events.filter { $0.resourceID == machine })
        // Newest first, from the end, as the console and the watch read it; then older ones by position.
        #expect(log.suffix(5).map(\.sequence) == Array(fleet.events.suffix(5)).map(\.sequence))
        #expect(log[4_321] == fleet.events[4_321])
    }

    @Test func theIndexCarriesOverACompactionAndFindsWhatItAppended() throws {
        let dir = ScratchDirectory()
        let store = try compactedStore(in: dir, events: 3_000)
        let task = try #require(store.state.tasks.first { $0.resources.contains { $0.status == .pending } })
        let before = store.state.events.events(ofTask: task.id)  // builds the index
        let pending = task.resources.first { $0.status == .pending }!.id
        try store.mutate(.exclude(taskID: task.id, resourceIDs: [pending]), context: StoreFixture.context())
        try store.compact(now: StoreFixture.now)
        let after = store.state.events.events(ofTask: task.id)
        #expect(after.count == before.count + 1 && after.last?.kind == .excluded && after.last?.resourceID == pending)
        let reopened = try Store.open(store.directory, options: StoreOptions(readOnly: true))
        #expect(reopened.state.events.events(ofTask: task.id) == after, "a fresh index finds the same")
        #expect(reopened.state.events.events(ofKind: .excluded).last == after.last)
    }

    @Test func aFormatOneStoreOpensAsItWasAndIsRewrittenAsFormatTwoByItsNextCompaction() throws {
        let dir = ScratchDirectory()
        let fleet = DemoFleet(taskCount: 5, resourceCount: 40, seed: 4).build(now: StoreFixture.now, minimumEvents: 500)
        try FileManager.default.createDirectory(atPath: dir.file("store"), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        StoreFixture.write(formatOne(SnapshotFile.encode(fleet, sequence: 9, now: StoreFixture.now)), to: dir.file("store/snapshot"))
        StoreFixture.write(formatOne(JournalFile.header(baseSequence: 9, now: StoreFixture.now)), to: dir.file("store/journal"))
        let old = try Store.open(dir.file("store"))
        #expect(old.state.tasks == fleet.tasks && Array(old.state.events) == Array(fleet.events))
        #expect(eventFiles(old.directory).isEmpty)
        try old.mutate(.setPolicyValue(key: "maxConcurrency", value: "3"), context: StoreFixture.context())
        try old.compact(now: StoreFixture.now)
        #expect(eventFiles(old.directory).count == 1)
        #expect(StoreFixture.bytes(dir.file("store/snapshot"))[8] == 2, "the snapshot is format 2 now")
        let upgraded = try Store.open(dir.file("store"), options: StoreOptions(readOnly: true))
        #expect(upgraded.state.events.archive != nil)
        #expect(Array(upgraded.state.events) == Array(fleet.events) + [old.state.events.last!])
        // The backup is the format-1 pair, which still opens on its own.
        #expect(try SnapshotFile.decode(path: dir.file("store/snapshot.bak")).state.events.count == fleet.events.count)
    }

    @Test func bytesAnUnfinishedCompactionLeftPastTheSnapshotsEndAreIgnoredThenCut() throws {
        let dir = ScratchDirectory()
        let store = try compactedStore(in: dir, events: 2_000)
        let path = store.directory + "/" + eventFiles(store.directory)[0]
        let clean = StoreFixture.bytes(path)
        StoreFixture.write(clean + [UInt8](repeating: 0xAB, count: 777), to: path)
        #expect(try Store.open(store.directory, options: StoreOptions(readOnly: true)).state.events.count == 2_000)
        try store.mutate(.setPolicyValue(key: "maxConcurrency", value: "3"), context: StoreFixture.context())
        try store.compact(now: StoreFixture.now)
        let after = StoreFixture.bytes(path)
        #expect(Array(after[..<clean.count]) == clean && !after[clean.count...].contains(0xAB))
        #expect(try Store.open(store.directory).state.events.count == 2_001)
    }

    @Test func aFlippedBitInTheEventFileFailsStoreCheckAndRecoverKeepsTheFleetAndTheReadableEvents() throws {
        let dir = ScratchDirectory()
        let store = try compactedStore(in: dir, events: 10_000)
        let tasks = Array(store.state.tasks)
        let path = store.directory + "/" + eventFiles(store.directory)[0]
        // Sealed records are checked when read, not at open (SPEC §21; LazyOpenTests shows how it is reported):
        // `store check` reads them all and names the file.
        var damaged = StoreFixture.bytes(path)
        damaged[damaged.count / 2] ^= 0x04
        StoreFixture.write(damaged, to: path)
        let check = try StoreCheck.run(dir.file("store"))
        #expect(!check.isHealthy && check.errors.contains { "\($0)".contains(path) })
        let report = try StoreRecovery.run(dir.file("store"), now: StoreFixture.now)
        #expect(report.steps.contains { if case .lostEvents = $0 { true } else { false } })
        #expect(report.steps.contains { if case .keptDamagedFile(let file, _) = $0 { file == (path as NSString).lastPathComponent } else { false } })
        let recovered = try Store.open(dir.file("store"))
        #expect(Array(recovered.state.tasks) == tasks, "the fleet is whole")
        let count = recovered.state.events.count
        #expect(count < 10_000 && count >= 10_000 - EventFile.eventsPerRecord, "one record of events is lost, the rest kept")
        #expect(try StoreCheck.run(dir.file("store")).isHealthy)
    }

    @Test func eventFilesNoSnapshotNamesAreRemovedByTheNextCompaction() throws {
        let dir = ScratchDirectory()
        let store = try compactedStore(in: dir, events: 1_000)
        let first = eventFiles(store.directory)
        try store.replaceAll(with: DemoFleet(taskCount: 3, resourceCount: 9, seed: 5).build(now: StoreFixture.now, minimumEvents: 100))
        #expect(eventFiles(store.directory).count == 2, "the backup still names the first file")
        try store.replaceAll(with: DemoFleet(taskCount: 3, resourceCount: 9, seed: 6).build(now: StoreFixture.now, minimumEvents: 100))
        let left = eventFiles(store.directory)
        #expect(left.count == 2 && !left.contains(first[0]), "the first file is named by neither snapshot any more")
        #expect(try SnapshotFile.decode(path: store.layout.snapshotBackup).state.events.count == 100)
    }

    @Test func aReaderKeepsReadingItsLogWhileAWriterCompactsAndReplacesTheFleet() throws {
        let dir = ScratchDirectory()
        let writer = try compactedStore(in: dir, events: 5_000)
        let reader = try Store.open(writer.directory, options: StoreOptions(readOnly: true))
        let expected = Array(reader.state.events.suffix(10))
        try writer.replaceAll(with: DemoFleet(taskCount: 3, resourceCount: 9, seed: 5).build(now: StoreFixture.now, minimumEvents: 100))
        try writer.replaceAll(with: DemoFleet(taskCount: 3, resourceCount: 9, seed: 6).build(now: StoreFixture.now, minimumEvents: 100))
        // The reader's file has no name any more; what it holds is still readable until the reader reloads.
        #expect(Array(reader.state.events.suffix(10)) == expected)
        #expect(reader.state.events[1_234].kind != .unreadable)
        #expect(try reader.poll() == .reloaded)
        #expect(reader.state.events.count == 100)
    }

    /// The same bytes as format 1 wrote them: the version field set back, the header's checksum redone.
    private func formatOne(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy[8] = 1
        copy[9] = 0
        let crc = CRC32C.checksum(Array(copy[0..<32]))
        for i in 0..<4 { copy[32 + i] = UInt8(truncatingIfNeeded: crc >> (8 * i)) }
        return copy
    }
}
