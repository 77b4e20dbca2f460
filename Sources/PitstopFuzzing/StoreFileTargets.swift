import Foundation
import PitstopCore
import PitstopStore

/// The snapshot and journal readers: what `pitstop` does with whatever bytes it finds in a store directory.
enum StoreFileTargets {
    private static let written = Date(timeIntervalSince1970: 1_795_000_000)

    static func snapshot(_ input: UnsafeRawBufferPointer) -> FuzzFinding? {
        var bytes = [UInt8](input)
        ChecksumRepair.repair(&bytes)
        let decoded = bytes.withUnsafeBytes { try? SnapshotFile.decode($0, path: "fuzz") }
        guard let (state, sequence) = decoded else { return nil }
        let fail = { (message: String) in FuzzFinding(.snapshot, message) }
        _ = state.tasks.map(\.status)
        let again = SnapshotFile.encode(state, sequence: sequence, now: written)
        guard let (reread, rereadSequence) = try? SnapshotFile.decode(again, path: "fuzz") else {
            return fail("a snapshot that decoded re-encodes to bytes that do not decode")
        }
        if rereadSequence != sequence { return fail("sequence \(sequence) came back as \(rereadSequence)") }
        if reread.tasks != state.tasks { return fail("the tasks changed in a write and read back") }
        if reread.events != state.events { return fail("the events changed in a write and read back") }
        if reread.policy != state.policy { return fail("the policy changed in a write and read back") }
        return nil
    }

    static func journal(_ input: UnsafeRawBufferPointer) -> FuzzFinding? {
        var bytes = [UInt8](input)
        ChecksumRepair.repair(&bytes)
        let fail = { (message: String) in FuzzFinding(.journal, message) }
        let header = bytes.withUnsafeBytes { try? FileHeader.decode($0, kind: .journal, path: "fuzz") }
        guard let header else { return nil }
        let scan = JournalFile.scan(Array(bytes[FileHeader.size...]), base: FileHeader.size, path: "fuzz")
        guard (FileHeader.size...bytes.count).contains(scan.validEnd) else {
            return fail("the scan ends at \(scan.validEnd), outside the \(bytes.count)-byte file")
        }
        if let torn = scan.incompleteAt, torn != scan.validEnd {
            return fail("a torn tail at \(torn) does not start where the whole records end (\(scan.validEnd))")
        }
        if scan.damage == nil && scan.incompleteAt == nil && scan.validEnd != bytes.count {
            return fail("the scan stopped at \(scan.validEnd) of \(bytes.count) bytes without saying why")
        }
        for batch in scan.batches {
            let record = JournalFile.record(batch)
            let reread = JournalFile.scan(record, base: 0, path: "fuzz")
            if reread.batches != [batch] { return fail("change \(batch.sequence) changed in a write and read back") }
        }
        var state = FleetState()
        var sequence = header.sequence
        if (try? StoreLoader.replay(scan.batches, onto: &state, sequence: &sequence, path: "fuzz")) != nil {
            _ = state.tasks.map(\.status)
        }
        return nil
    }
}
