package import Foundation
package import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// The snapshot: a header, then one record for the policy, one per task, a reference to the event file
/// holding the log (format 2) or the events themselves in chunks (format 1, and a state whose log has no file
/// yet), and an end record with counts. A snapshot is written whole or not at all, so any damage is corruption.
package enum SnapshotFile {
    /// The snapshot bytes, encoded on two threads and joined in order, each taking about half of the
    /// resources. With `eventFile`, the log is that file's (which must hold all of `state`'s events);
    /// without, the events are written inline.
    /// `eventChunks`, the event file's records in order, are written beside the reference, so that opening
    /// finds them without reading the file.
    package static func encode(_ state: FleetState, sequence: UInt64, now: Date, eventFile: EventFile.Reference? = nil,
                               eventChunks: [EventFile.Chunk] = []) -> [UInt8] {
        precondition(eventFile.map { $0.count == state.events.count } ?? true, "an event file that does not hold the whole log")
        let resources = state.tasks.reduce(0) { $0 + $1.resources.count }
        var split = 0
        var running = 0
        while split < state.tasks.count && running < resources / 2 {
            running += state.tasks[split].resources.count
            split += 1
        }
        let inlineEvents = eventFile == nil ? state.events.count : 0
        let (firstHalf, firstResources) = (split, running)
        // Safe without a lock: each of the two workers writes only its own slot (`half`), nobody reads a slot
        // until concurrentPerform has returned, and that return orders every write before the reads.
        nonisolated(unsafe) var halves: [[UInt8]] = [[], []]
        nonisolated(unsafe) var parts = [TaskDirectory.Part(), TaskDirectory.Part()]
        halves.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let slots = output
            parts.withUnsafeMutableBufferPointer { directories in
                nonisolated(unsafe) let directorySlots = directories
                DispatchQueue.concurrentPerform(iterations: 2) { half in
                    let range = half == 0 ? 0..<firstHalf : firstHalf..<state.tasks.count
                    let taskResources = half == 0 ? firstResources : resources - firstResources
                    var w = ByteWriter(capacity: taskResources * 128 + (half == 1 ? inlineEvents * 96 : 0) + 64)
                    var part = TaskDirectory.Part()
                    if half == 0 { Frame.append(.policy, to: &w) { $0.policy(state.policy) } }
                    for position in range {
                        let task = state.tasks[position]
                        part.add(task, recordOffset: w.bytes.count, position: position)
                        Frame.append(.task, to: &w) { $0.task(task) }
                    }
                    part.finish()
                    if half == 1 && inlineEvents > 0 {
                        w.rawBytes(EventFile.records(state.events, at: 0, firstPosition: 0).bytes)
                    }
                    slots[half] = w.bytes
                    directorySlots[half] = part
                }
            }
        }
        var w = ByteWriter(capacity: FileHeader.size + halves[0].count + halves[1].count + state.tasks.count * 36 + resources * 12 + 256)
        w.rawBytes(FileHeader(kind: .snapshot, sequence: sequence, createdAt: now).encoded())
        w.rawBytes(halves[0])
        w.rawBytes(halves[1])
        if state.tasks.count <= TaskDirectory.maximumTasks {
            Frame.append(rawBody: TaskDirectory.body(parts, shifts: [FileHeader.size, FileHeader.size + halves[0].count]), to: &w)
        }
        if let eventFile {
            Frame.append(.eventFile, to: &w) {
                $0.uint(1, eventFile.id)
                $0.uint(2, UInt64(eventFile.end))
                $0.uint(3, UInt64(eventFile.count))
                $0.uint(4, eventFile.lastSequence)
                for chunk in eventChunks {
                    $0.uint(5, UInt64(chunk.length))
                    $0.uint(6, UInt64(chunk.count))
                }
            }
        }
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
    static func decode(path: String, lazily: Bool = false) throws(StoreError) -> (state: FleetState, sequence: UInt64) {
        let decoded = try decodeReporting(path: path, salvage: false, lazily: lazily)
        return (decoded.state, decoded.sequence)
    }

    /// A decoded snapshot, and the records of its event file a salvaging read left out.
    struct Decoded {
        var state: FleetState
        var sequence: UInt64
        var lostEvents: [EventFile.LostRecord]
    }

    /// As `decode(path:)`; with `salvage`, damaged records of its event file are left out and listed. With
    /// `lazily`, a snapshot that has a task directory keeps its mapping and decodes each task when first read,
    /// and one that lists its event file's records opens that file without reading them: each record's checksum
    /// is checked when it is read (the log's index reads them all, in the background in a console; a daemon
    /// checks them all as it starts; `store check` now). Without, every record is decoded and checked now.
    static func decodeReporting(path: String, salvage: Bool, lazily: Bool = false) throws(StoreError) -> Decoded {
        let fd = try FileIO.open(path, O_RDONLY)
        defer { close(fd) }
        guard let size = FileIO.identity(fd: fd)?.size, size > 0 else {
            throw .corrupt(path: path, offset: 0, reason: "the file is empty")
        }
        guard let mapping = MappedFile(fd: fd, size: size) else {
            let bytes = try FileIO.readAll(fd: fd, path: path, from: 0)
            let result: Result<Decoded, StoreError> = bytes.withUnsafeBytes { buffer in
                Result { () throws(StoreError) in try decodeReporting(buffer, path: path, salvage: salvage) }
            }
            return try result.get()
        }
        madvise(UnsafeMutableRawPointer(mutating: mapping.buffer.baseAddress), size, MADV_WILLNEED)
        return try decodeReporting(mapping.buffer, path: path, salvage: salvage, mapping: lazily && !salvage ? mapping : nil,
                                   trustEventLayout: lazily && !salvage)
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
        var eventsWritten = 0
        var error: StoreError?
    }

    /// Two passes: the first checks every frame and finds the end record; the second decodes the records in
    /// two halves on two threads (a snapshot is mostly independent tasks), while a third job opens and checks
    /// the event file the snapshot references. `salvage` (recovery) leaves out damaged event records instead
    /// of refusing them, and says which in `lostEvents`.
    package static func decode(_ buffer: UnsafeRawBufferPointer, path: String, salvage: Bool = false) throws(StoreError) -> (FleetState, UInt64) {
        let decoded = try decodeReporting(buffer, path: path, salvage: salvage)
        return (decoded.state, decoded.sequence)
    }

    /// With `mapping` (of `buffer`), a snapshot whose task directory matches its task records is opened
    /// without decoding a task: they decode from the mapping when first read.
    static func decodeReporting(_ buffer: UnsafeRawBufferPointer, path: String, salvage: Bool, mapping: MappedFile? = nil,
                                trustEventLayout: Bool = false) throws(StoreError) -> Decoded {
        let header = try FileHeader.decode(buffer, kind: .snapshot, path: path)
        var records: [Record] = []
        var directory: TaskDirectory?
        var directoryOffset = 0
        var eventTotal = 0
        var counts: [UInt64: UInt64] = [:]
        var reference: EventFile.Reference?
        var eventLayout: (lengths: [Int], counts: [Int]) = ([], [])
        var offset = FileHeader.size
        scanning: while true {
            switch Frame.scan(buffer, at: offset) {
            case .end, .incomplete:
                throw .corrupt(path: path, offset: offset, reason: "the snapshot ends before its end record (truncated)")
            case .corrupt(let reason):
                throw .corrupt(path: path, offset: offset, reason: reason)
            case .record(let type, let payload, let next):
                if type == Frame.RecordType.taskDirectory.rawValue {
                    directory = TaskDirectory(buffer, payload: payload)
                    directoryOffset = offset
                    offset = next
                    continue
                }
                if type == Frame.RecordType.end.rawValue || type == Frame.RecordType.eventFile.rawValue {
                    var fields: [UInt64: UInt64] = [:]
                    var reader = ByteReader(buffer, from: payload.lowerBound, to: payload.upperBound)
                    do throws(DecodeError) {
                        while let (field, wire) = try reader.nextField() {
                            let value = try reader.uint(wire)
                            switch field {
                            case 5: eventLayout.lengths.append(Int(clamping: value))
                            case 6: eventLayout.counts.append(Int(clamping: value))
                            default: fields[field] = value
                            }
                        }
                    } catch {
                        throw .corrupt(path: path, offset: offset, reason: error.reason)
                    }
                    if type == Frame.RecordType.end.rawValue {
                        counts = fields
                        break scanning
                    }
                    reference = EventFile.Reference(
                        id: fields[1] ?? 0, end: Int(clamping: fields[2] ?? 0), count: Int(clamping: fields[3] ?? 0), lastSequence: fields[4] ?? 0)
                    offset = next
                    continue
                }
                var record = Record(type: type, payload: payload, offset: offset)
                if type == Frame.RecordType.events.rawValue {
                    // Count the events now so that each worker knows where its events go in the joined list.
                    var reader = ByteReader(buffer, from: payload.lowerBound, to: payload.upperBound)
                    do throws(DecodeError) {
                        record.eventCount = try reader.remainingFieldCount()
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
        // The directory must name exactly the task records found, in order; else the snapshot is decoded whole.
        var lazyTasks: SnapshotTasks?
        if let mapping, let table = directory {
            if table.lists(records.filter { $0.type == Frame.RecordType.task.rawValue }.map(\.offset)) {
                lazyTasks = SnapshotTasks(mapping: mapping, directory: table, path: path)
                records.removeAll { $0.type == Frame.RecordType.task.rawValue }
            }
        }
        let total = records.reduce(0) { $0 + $1.payload.count }
        var split = 0
        var running = 0
        while split < records.count && running < total / 2 {
            running += records[split].payload.count
            split += 1
        }
        let runs = [records[..<split], records[split...]]
        let layout = StoreLayout(directory: FileIO.parent(of: path))
        let referenced = reference
        let knownChunks = trustEventLayout && !eventLayout.lengths.isEmpty && eventLayout.lengths.count == eventLayout.counts.count
            ? EventFile.chunks(lengths: eventLayout.lengths, counts: eventLayout.counts) : nil
        // Safe without a lock, as in `encode`: the workers only read `buffer`, each writes only its own slot of
        // `parts` (or `opened`) and its own range of event positions (the scan gave them disjoint ranges), and
        // nothing is read back until concurrentPerform has returned.
        nonisolated(unsafe) let shared = buffer
        nonisolated(unsafe) var parts = [Part(), Part()]
        nonisolated(unsafe) var opened: Result<(archive: StoredEventArchive, lost: [EventFile.LostRecord]), StoreError>?
        // Both workers write their events into one list at the positions the scan found: no joining copy.
        let events = [Event](unsafeUninitializedCapacity: eventTotal) { storage, initialized in
            nonisolated(unsafe) let target = storage
            parts.withUnsafeMutableBufferPointer { output in
                nonisolated(unsafe) let slots = output
                DispatchQueue.concurrentPerform(iterations: referenced == nil ? 2 : 3) { index in
                    if index == 2, let reference = referenced {
                        do throws(StoreError) {
                            opened = .success(try StoredEventArchive.open(in: layout, reference: reference, knownChunks: knownChunks, salvage: salvage))
                        } catch {
                            opened = .failure(error)
                        }
                        return
                    }
                    slots[index] = decodeRun(runs[index], shared, into: target, path: path)
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
        let stored = try opened?.get()
        let tasks = lazyTasks.map { TaskList(source: $0) } ?? TaskList(parts[1].tasks.isEmpty ? parts[0].tasks : parts[0].tasks + parts[1].tasks)
        // Read whole, a directory that names these records is checked against what was decoded: a wrong one
        // would mislead a lazy open. (One that names other records is never used, by either way of opening.)
        let offsets = records.filter { $0.type == Frame.RecordType.task.rawValue }.map(\.offset)
        if lazyTasks == nil, let directory, directory.lists(offsets) {
            if let problem = directory.problem(describing: Array(tasks), at: offsets) {
                throw .corrupt(path: path, offset: directoryOffset, reason: "the task directory does not match the tasks: \(problem)")
            }
        }
        let archived = reference?.count ?? 0
        guard counts[1] == UInt64(tasks.count), counts[2] == UInt64(archived + events.count) else {
            throw .corrupt(path: path, offset: offset, reason: "the end record counts \(counts[1] ?? 0) tasks and \(counts[2] ?? 0) events, but \(tasks.count) and \(archived + events.count) were read")
        }
        let policy = parts[0].policy ?? parts[1].policy ?? Policy()
        let log = stored.map { EventLog(archive: $0.archive, recent: events) } ?? EventLog(events)
        return Decoded(state: FleetState(tasks: tasks, policy: policy, log: log), sequence: header.sequence, lostEvents: stored?.lost ?? [])
    }

    /// Decodes a run of records; events are initialized in `events` at their records' positions, in order,
    /// so that on failure the first `eventsWritten` of the run's positions are the initialized ones.
    private static func decodeRun(_ run: ArraySlice<Record>, _ buffer: UnsafeRawBufferPointer, into events: UnsafeMutableBufferPointer<Event>, path: String) -> Part {
        var part = Part()
        var actors = StringInterner()
        var texts = StringInterner()
        for record in run {
            var reader = ByteReader(buffer, from: record.payload.lowerBound, to: record.payload.upperBound)
            do throws(DecodeError) {
                switch Frame.RecordType(rawValue: record.type) {
                case .policy: part.policy = try reader.policy()
                case .task: part.tasks.append(try reader.task(texts: &texts))
                case .events:
                    var position = record.firstEvent
                    while let (_, wire) = try reader.nextField() {
                        var nested = try reader.message(wire)
                        let event = try nested.event(interner: &actors)
                        (events.baseAddress! + position).initialize(to: event)
                        position += 1
                        part.eventsWritten += 1
                    }
                case .batch, .end, .eventFile, .taskDirectory, nil:
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
