package import Foundation
package import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// The snapshot: a header, then one record for the policy, one per task, events in chunks, and an end
/// record with counts. A snapshot is written whole or not at all, so any damage in it is corruption.
package enum SnapshotFile {
    static let eventsPerRecord = 4096

    /// The snapshot bytes, encoded on two threads and joined in order: the first takes the policy, the tasks
    /// and enough of the events to carry about half of the bytes, the second the rest of the events.
    package static func encode(_ state: FleetState, sequence: UInt64, now: Date) -> [UInt8] {
        let resources = state.tasks.reduce(0) { $0 + $1.resources.count }
        // A resource encodes to roughly 60 bytes and an event to 80; split on a record boundary.
        let balanced = max(0, state.events.count / 2 - resources * 3 / 8)
        let split = min(state.events.count, balanced / eventsPerRecord * eventsPerRecord)
        // Safe without a lock: each of the two workers writes only its own slot (`half`), nobody reads a slot
        // until concurrentPerform has returned, and that return orders every write before the reads.
        nonisolated(unsafe) var halves: [[UInt8]] = [[], []]
        halves.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let slots = output
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                let events = half == 0 ? 0..<split : split..<state.events.count
                var w = ByteWriter(capacity: (half == 0 ? resources * 64 : 0) + events.count * 96)
                if half == 0 {
                    Frame.append(.policy, to: &w) { $0.policy(state.policy) }
                    for task in state.tasks { Frame.append(.task, to: &w) { $0.task(task) } }
                }
                var start = events.lowerBound
                while start < events.upperBound {
                    let chunk = state.events[start..<min(start + eventsPerRecord, events.upperBound)]
                    Frame.append(.events, to: &w) { body in
                        for event in chunk { body.message(1) { $0.event(event) } }
                    }
                    start += eventsPerRecord
                }
                slots[half] = w.bytes
            }
        }
        var w = ByteWriter(capacity: FileHeader.size + halves[0].count + halves[1].count + 64)
        w.rawBytes(FileHeader(kind: .snapshot, sequence: sequence, createdAt: now).encoded())
        w.rawBytes(halves[0])
        w.rawBytes(halves[1])
        Frame.append(.end, to: &w) {
            $0.uint(1, UInt64(state.tasks.count))
            $0.uint(2, UInt64(state.events.count))
        }
        return w.bytes
    }

    /// The state and the sequence number of the last change it contains.
    package static func decode(_ bytes: [UInt8], path: String) throws(StoreError) -> (state: FleetState, sequence: UInt64) {
        let result: Result<(FleetState, UInt64), StoreError> = bytes.withUnsafeBytes { buffer in
            do throws(StoreError) {
                return .success(try decode(buffer, path: path))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads a snapshot file through a read-only mapping: no copy of the file into memory first.
    static func decode(path: String) throws(StoreError) -> (state: FleetState, sequence: UInt64) {
        let fd = try FileIO.open(path, O_RDONLY)
        defer { close(fd) }
        guard let size = FileIO.identity(fd: fd)?.size, size > 0 else {
            throw .corrupt(path: path, offset: 0, reason: "the file is empty")
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            return try decode(try FileIO.readAll(fd: fd, path: path, from: 0), path: path)
        }
        defer { munmap(base, size) }
        madvise(base, size, MADV_SEQUENTIAL | MADV_WILLNEED)
        return try decode(UnsafeRawBufferPointer(start: base, count: size), path: path)
    }

    /// One record found by the first pass; for an events record, where its events go in the joined list.
    private struct Record {
        var type: UInt8
        var payload: Range<Int>
        var offset: Int
        var firstEvent = 0
        var eventCount = 0
    }

    /// What one worker decoded from a run of records (events go straight into the shared list).
    private struct Part {
        var policy: Policy?
        var tasks: [MaintenanceTask] = []
        /// Built by the first worker when it holds every task, while the other still decodes events.
        var index: FleetIndex?
        var eventsWritten = 0
        var error: StoreError?
    }

    /// Two passes: the first checks every frame and finds the end record; the second decodes the records in
    /// two halves on two threads (a snapshot is mostly independent tasks and event chunks).
    package static func decode(_ buffer: UnsafeRawBufferPointer, path: String) throws(StoreError) -> (FleetState, UInt64) {
        let header = try FileHeader.decode(buffer, kind: .snapshot, path: path)
        var records: [Record] = []
        var eventTotal = 0
        var counts: [UInt64: UInt64] = [:]
        var offset = FileHeader.size
        scanning: while true {
            switch Frame.scan(buffer, at: offset) {
            case .end, .incomplete:
                throw .corrupt(path: path, offset: offset, reason: "the snapshot ends before its end record (truncated)")
            case .corrupt(let reason):
                throw .corrupt(path: path, offset: offset, reason: reason)
            case .record(let type, let payload, let next):
                if type == Frame.RecordType.end.rawValue {
                    var reader = ByteReader(buffer, from: payload.lowerBound, to: payload.upperBound)
                    do throws(DecodeError) {
                        while let (field, wire) = try reader.nextField() { counts[field] = try reader.uint(wire) }
                    } catch {
                        throw .corrupt(path: path, offset: offset, reason: error.reason)
                    }
                    break scanning
                }
                var record = Record(type: type, payload: payload, offset: offset)
                if type == Frame.RecordType.events.rawValue {
                    // Count the events now so that each worker knows where its events go in the joined list.
                    var reader = ByteReader(buffer, from: payload.lowerBound, to: payload.upperBound)
                    do throws(DecodeError) {
                        while let (_, wire) = try reader.nextField() {
                            _ = try reader.span(wire)
                            record.eventCount += 1
                        }
                    } catch {
                        throw .corrupt(path: path, offset: offset, reason: error.reason)
                    }
                    record.firstEvent = eventTotal
                    eventTotal += record.eventCount
                }
                records.append(record)
                offset = next
            }
        }
        // Split the records into two runs in order. The first also builds the task index, so it takes about
        // three eighths of the bytes rather than half.
        let total = records.reduce(0) { $0 + $1.payload.count }
        var split = 0
        var running = 0
        while split < records.count && running < total * 3 / 8 {
            running += records[split].payload.count
            split += 1
        }
        let runs = [records[..<split], records[split...]]
        // Safe without a lock, as in `encode`: the workers only read `buffer`, each writes only its own slot of
        // `parts` and its own range of event positions (the scan gave them disjoint ranges), and nothing is
        // read back until concurrentPerform has returned.
        nonisolated(unsafe) let shared = buffer
        nonisolated(unsafe) var parts = [Part(), Part()]
        // Both workers write their events into one list at the positions the scan found: no joining copy.
        // Headroom, so the first events appended after opening do not move the whole log to a bigger buffer.
        let events = [Event](unsafeUninitializedCapacity: eventTotal + 4096) { storage, initialized in
            nonisolated(unsafe) let target = storage
            parts.withUnsafeMutableBufferPointer { output in
                nonisolated(unsafe) let slots = output
                DispatchQueue.concurrentPerform(iterations: runs.count) { index in
                    var part = decodeRun(runs[index], shared, into: target, path: path)
                    let holdsEveryTask = index == 0 && !runs[1].contains { $0.type == Frame.RecordType.task.rawValue }
                    if holdsEveryTask && part.error == nil { part.index = FleetIndex(tasks: part.tasks) }
                    slots[index] = part
                }
            }
            if parts.contains(where: { $0.error != nil }) {
                // Some positions were never written: undo the ones that were and hand back an empty list.
                for (index, run) in runs.enumerated() {
                    var remaining = parts[index].eventsWritten
                    for record in run where remaining > 0 && record.eventCount > 0 {
                        let count = min(record.eventCount, remaining)
                        (target.baseAddress! + record.firstEvent).deinitialize(count: count)
                        remaining -= count
                    }
                }
                initialized = 0
            } else {
                initialized = eventTotal
            }
        }
        if let error = parts.compactMap(\.error).first { throw error }
        let tasks = parts[1].tasks.isEmpty ? parts[0].tasks : parts[0].tasks + parts[1].tasks
        guard counts[1] == UInt64(tasks.count), counts[2] == UInt64(events.count) else {
            throw .corrupt(path: path, offset: offset, reason: "the end record counts \(counts[1] ?? 0) tasks and \(counts[2] ?? 0) events, but \(tasks.count) and \(events.count) were read")
        }
        let policy = parts[0].policy ?? parts[1].policy ?? Policy()
        return (FleetState(tasks: tasks, policy: policy, events: events, index: parts[0].index), header.sequence)
    }

    /// Decodes a run of records; events are initialized in `events` at their records' positions, in order,
    /// so that on failure the first `eventsWritten` of the run's positions are the initialized ones.
    private static func decodeRun(_ run: ArraySlice<Record>, _ buffer: UnsafeRawBufferPointer, into events: UnsafeMutableBufferPointer<Event>, path: String) -> Part {
        var part = Part()
        var actors = StringInterner()
        for record in run {
            var reader = ByteReader(buffer, from: record.payload.lowerBound, to: record.payload.upperBound)
            do throws(DecodeError) {
                switch Frame.RecordType(rawValue: record.type) {
                case .policy: part.policy = try reader.policy()
                case .task: part.tasks.append(try reader.task())
                case .events:
                    var position = record.firstEvent
                    while let (_, wire) = try reader.nextField() {
                        var nested = try reader.message(wire)
                        let event = try nested.event(interner: &actors)
                        (events.baseAddress! + position).initialize(to: event)
                        position += 1
                        part.eventsWritten += 1
                    }
                case .batch, .end, nil:
                    break  // a record type from a newer version: skipped
                }
            } catch {
                part.error = .corrupt(path: path, offset: record.offset, reason: error.reason)
                return part
            }
        }
        return part
    }
}
