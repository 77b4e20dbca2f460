import Foundation
import PitstopCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The part of the event log a snapshot references, read from its event file when asked.
///
/// Opening a snapshot that lists the file's records (all written since store format 2.1) reads none of them:
/// each record's checksums are checked whenever it is read, by the pass that builds the index, and by
/// `verifyAll` (a daemon's start, in the background) — damage found then is kept in `damage` and every event
/// of the record reads as `unreadable`, naming the file and the position, so nothing is skipped silently.
/// Otherwise (an older snapshot, `store check`, a recovery) opening checks every record's checksums, reading
/// the file in blocks and holding none of it. An event is read by decoding its record, and a few recently
/// decoded records are kept; the index by task, resource and kind is built by one pass on first use.
/// Reads use `pread` on a descriptor opened with the snapshot: a file removed later stays readable, and a
/// file cut short gives an `unreadable` event rather than a crash.
final class StoredEventArchive: EventArchive {
    let path: String
    let reference: EventFile.Reference
    let chunks: [EventFile.Chunk]
    private let fd: Int32
    private let memory: Mutex<Memory>
    /// Held while the index is built, so that a lookup made meanwhile waits for it rather than builds it again.
    private let building = Mutex(())

    /// Decoded records kept for the next read, the index once built, and damage found since opening.
    private struct Memory {
        var decoded: [(chunk: Int, events: [Event])] = []
        var index: EventIndex?
        var resourceIndex: EventIndex?
        var damage: [Int: String] = [:]
    }

    /// Records kept decoded: the newest (the console and the watch show it) and a few others.
    private static let decodedKept = 4

    private init(path: String, reference: EventFile.Reference, chunks: [EventFile.Chunk], fd: Int32) {
        self.path = path
        self.reference = reference
        self.chunks = chunks
        self.fd = fd
        self.memory = Mutex(Memory())
    }

    deinit { close(fd) }

    var count: Int { reference.count }
    var lastSequence: UInt64 { reference.lastSequence }

    /// Opens the file a snapshot in `layout`'s directory references. With `knownChunks` (the records the
    /// snapshot lists), only its header and size are checked now and each record when read; without, every
    /// record is checked up to the reference's end. With `salvage`, a damaged record is left out and reported
    /// in `lost` instead of refusing the file.
    static func open(in layout: StoreLayout, reference: EventFile.Reference, knownChunks: [EventFile.Chunk]? = nil, salvage: Bool = false) throws(StoreError)
        -> (archive: StoredEventArchive, lost: [EventFile.LostRecord])
    {
        let path = layout.eventFile(id: reference.id)
        let fd = try FileIO.open(path, O_RDONLY)
        do throws(StoreError) {
            if !salvage, let known = knownChunks, try checkHeader(fd: fd, path: path, reference: reference),
               known.allSatisfy({ $0.length > Frame.headerSize }),
               known.last.map({ $0.offset + $0.length == reference.end && $0.firstPosition + $0.count == reference.count }) ?? false
            {
                return (StoredEventArchive(path: path, reference: reference, chunks: known, fd: fd), [])
            }
            let (chunks, lost, end) = try scan(fd: fd, path: path, reference: reference, salvage: salvage)
            var found = reference
            found.count = chunks.last.map { $0.firstPosition + $0.count } ?? 0
            found.end = end
            if !salvage && found.count != reference.count {
                throw .corrupt(path: path, offset: end, reason: "the snapshot counts \(reference.count) events here, but \(found.count) were found")
            }
            if !lost.isEmpty {
                // The reference's last event may be one that was lost.
                found.lastSequence = 0
                if let last = chunks.last { found.lastSequence = try decode(fd: fd, path: path, last).last?.sequence ?? 0 }
            }
            return (StoredEventArchive(path: path, reference: found, chunks: chunks, fd: fd), lost)
        } catch {
            close(fd)
            throw error
        }
    }

    /// An archive of a file this process has just written and synced: its records are known, not scanned.
    static func written(in layout: StoreLayout, reference: EventFile.Reference, chunks: [EventFile.Chunk]) throws(StoreError) -> StoredEventArchive {
        let path = layout.eventFile(id: reference.id)
        return StoredEventArchive(path: path, reference: reference, chunks: chunks, fd: try FileIO.open(path, O_RDONLY))
    }

    /// Checks the file's header, its identity and that it reaches the reference's end; true when it does.
    @discardableResult
    private static func checkHeader(fd: Int32, path: String, reference: EventFile.Reference) throws(StoreError) -> Bool {
        var header = [UInt8](repeating: 0, count: FileHeader.size)
        guard try FileIO.read(fd: fd, path: path, into: &header, at: 0) == FileHeader.size else {
            throw .corrupt(path: path, offset: 0, reason: "the file is shorter than its \(FileHeader.size)-byte header")
        }
        let checked: Result<FileHeader, StoreError> = header.withUnsafeBytes { buffer in
            Result { () throws(StoreError) in try FileHeader.decode(buffer, kind: .events, path: path) }
        }
        let decoded = try checked.get()
        guard decoded.sequence == reference.id else {
            throw .corrupt(path: path, offset: 0, reason: "the event file's identity does not match the snapshot's reference (a file from another store?)")
        }
        guard let size = FileIO.identity(fd: fd)?.size, size >= reference.end else {
            throw .corrupt(path: path, offset: 0, reason: "the event file ends before the \(reference.end) bytes the snapshot counts (truncated)")
        }
        return true
    }

    /// Checks the header and every record up to the reference's end; returns the chunks in order.
    private static func scan(fd: Int32, path: String, reference: EventFile.Reference, salvage: Bool) throws(StoreError)
        -> ([EventFile.Chunk], [EventFile.LostRecord], Int)
    {
        try checkHeader(fd: fd, path: path, reference: reference)
        var chunks: [EventFile.Chunk] = []
        var lost: [EventFile.LostRecord] = []
        var offset = FileHeader.size
        var position = 0
        var frame = [UInt8]()
        while offset < reference.end {
            var head = [UInt8](repeating: 0, count: Frame.headerSize)
            let got = try FileIO.read(fd: fd, path: path, into: &head, at: offset)
            // nil: a damaged header, whose length cannot be trusted; nothing after it can be found.
            let length = got == Frame.headerSize ? head.withUnsafeBytes { Frame.checkedLength($0, at: 0) } : nil
            let total = Frame.headerSize + (length ?? 0)
            var problem: String?
            if length == nil {
                problem = got < Frame.headerSize ? "the file ends inside a record" : "record header checksum mismatch"
            } else if length == 0 || offset + total > reference.end {
                problem = "a record runs past the end the snapshot counts"
            } else {
                if frame.count < total { frame = [UInt8](repeating: 0, count: total) }
                if try FileIO.read(fd: fd, path: path, into: &frame, at: offset, count: total) < total {
                    problem = "the file ends inside a record"
                } else {
                    let checked = frame.withUnsafeBytes { Frame.scan(UnsafeRawBufferPointer(rebasing: $0[0..<total]), at: 0) }
                    switch checked {
                    case .record(let type, let payload, _) where type == Frame.RecordType.events.rawValue:
                        let count = frame.withUnsafeBytes { buffer in
                            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[0..<total]), from: payload.lowerBound, to: payload.upperBound)
                            return try? reader.remainingFieldCount()
                        }
                        if let count {
                            chunks.append(EventFile.Chunk(offset: offset, length: total, firstPosition: position, count: count))
                            position += count
                        } else {
                            problem = "a record's events do not decode"
                        }
                    case .record:
                        problem = "a record that is not events"
                    case .corrupt(let reason):
                        problem = reason
                    case .end, .incomplete:
                        problem = "the file ends inside a record"
                    }
                }
            }
            if let problem {
                guard salvage else { throw .corrupt(path: path, offset: offset, reason: problem) }
                lost.append(EventFile.LostRecord(offset: offset, reason: problem))
                // A record whose header checks can be stepped over; after a damaged header nothing can be found.
                guard let length, length > 0, offset + total <= reference.end else { return (chunks, lost, offset) }
            }
            offset += total
        }
        return (chunks, lost, offset)
    }

    // MARK: Reading events

    func event(at position: Int) -> Event {
        let chunk = chunkIndex(of: position)
        do {
            let (kept, span) = memory.withLock { memory in
                (memory.decoded.first { $0.chunk == chunk }?.events, memory.index.map { $0.spans[position] } ?? 0)
            }
            if let kept { return kept[position - chunks[chunk].firstPosition] }
            // A span is in the index only for a record whose checksums the index's pass checked.
            if span & 0xFF_FFFF != 0 { return try readOne(span: span) }
            let events = try decoded(chunk: chunk)
            return events[position - chunks[chunk].firstPosition]
        } catch {
            note(error, chunk: chunk)
            return Event(time: Date(timeIntervalSince1970: 0), actor: "pitstop", kind: .unreadable,
                         message: "event \(position + 1) of \(path) could not be read: \(error.damage)")
        }
    }

    // MARK: Damage

    var damage: [String] {
        memory.withLock { memory in memory.damage.sorted { $0.key < $1.key }.map(\.value) }
    }

    /// Keeps what went wrong reading a record, once per record.
    private func note(_ error: StoreError, chunk: Int) {
        let record = chunks[chunk]
        let line = "\(error.damage); events \(record.firstPosition + 1)–\(record.firstPosition + record.count) of the log read as unreadable (run `pitstop store check`, then `pitstop store recover`)"
        memory.withLock { memory in
            if memory.damage[chunk] == nil { memory.damage[chunk] = line }
        }
    }

    func verifyAll() -> [String] {
        var frame = [UInt8]()
        for (index, chunk) in chunks.enumerated() {
            if frame.count < chunk.length { frame = [UInt8](repeating: 0, count: chunk.length) }
            if let problem = Self.check(fd: fd, path: path, chunk, into: &frame) { note(problem, chunk: index) }
        }
        return damage
    }

    /// Reads a record into `frame` and checks its checksums; the damage, or nil.
    private static func check(fd: Int32, path: String, _ chunk: EventFile.Chunk, into frame: inout [UInt8]) -> StoreError? {
        do throws(StoreError) {
            guard try FileIO.read(fd: fd, path: path, into: &frame, at: chunk.offset, count: chunk.length) == chunk.length else {
                return .corrupt(path: path, offset: chunk.offset, reason: "the file ends inside a record")
            }
        } catch {
            return error
        }
        let scanned = frame.withUnsafeBytes { Frame.scan(UnsafeRawBufferPointer(rebasing: $0[0..<chunk.length]), at: 0) }
        switch scanned {
        case .record(let type, _, let next) where type == Frame.RecordType.events.rawValue && next == chunk.length: return nil
        case .record: return .corrupt(path: path, offset: chunk.offset, reason: "the record there is not the events record the snapshot lists")
        case .corrupt(let reason): return .corrupt(path: path, offset: chunk.offset, reason: reason)
        case .end, .incomplete: return .corrupt(path: path, offset: chunk.offset, reason: "the file ends inside a record")
        }
    }

    /// The events of one record, from memory when it was decoded lately.
    private func decoded(chunk: Int) throws(StoreError) -> [Event] {
        if let kept = memory.withLock({ memory in memory.decoded.first { $0.chunk == chunk }?.events }) { return kept }
        let events = try Self.decode(fd: fd, path: path, chunks[chunk])
        memory.withLock { memory in
            memory.decoded.removeAll { $0.chunk == chunk }
            memory.decoded.insert((chunk, events), at: 0)
            if memory.decoded.count > Self.decodedKept { memory.decoded.removeLast() }
        }
        return events
    }

    /// Reads and decodes one event where the index says it is. Its record's checksums were checked by the
    /// pass that built the index; the decoder's bounds checks stand between a later change and a wrong read.
    private func readOne(span: UInt64) throws(StoreError) -> Event {
        let offset = Int(span >> 24)
        var bytes = [UInt8](repeating: 0, count: Int(span & 0xFF_FFFF))
        guard try FileIO.read(fd: fd, path: path, into: &bytes, at: offset) == bytes.count else {
            throw .corrupt(path: path, offset: offset, reason: "the file ends inside an event (cut short since it was opened)")
        }
        let result: Result<Event, StoreError> = bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            do throws(DecodeError) {
                return .success(try reader.event())
            } catch {
                return .failure(.corrupt(path: path, offset: offset, reason: error.reason))
            }
        }
        return try result.get()
    }

    /// Reads a record again, checks it (the file may have changed since it was opened) and decodes it.
    private static func decode(fd: Int32, path: String, _ chunk: EventFile.Chunk) throws(StoreError) -> [Event] {
        var frame = [UInt8](repeating: 0, count: chunk.length)
        guard try FileIO.read(fd: fd, path: path, into: &frame, at: chunk.offset) == chunk.length else {
            throw .corrupt(path: path, offset: chunk.offset, reason: "the file ends inside a record (cut short since it was opened)")
        }
        let result: Result<[Event], StoreError> = frame.withUnsafeBytes { buffer in
            guard case .record(_, let payload, _) = Frame.scan(buffer, at: 0) else {
                return .failure(.corrupt(path: path, offset: chunk.offset, reason: "record checksum mismatch"))
            }
            var events: [Event] = []
            events.reserveCapacity(chunk.count)
            var actors = StringInterner()
            var reader = ByteReader(buffer, from: payload.lowerBound, to: payload.upperBound)
            do throws(DecodeError) {
                while let (_, wire) = try reader.nextField() {
                    var nested = try reader.message(wire)
                    events.append(try nested.event(interner: &actors))
                }
            } catch {
                return .failure(.corrupt(path: path, offset: chunk.offset, reason: error.reason))
            }
            return .success(events)
        }
        let events = try result.get()
        guard events.count == chunk.count else {
            throw .corrupt(path: path, offset: chunk.offset, reason: "a record holds \(events.count) events, \(chunk.count) when it was opened")
        }
        return events
    }

    private func chunkIndex(of position: Int) -> Int {
        var low = 0
        var high = chunks.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if chunks[middle].firstPosition <= position { low = middle } else { high = middle - 1 }
        }
        return low
    }

    // MARK: Index

    func positions(ofTask taskID: String) -> [Int] {
        (index().byTask[EventIndex.key(taskID)] ?? []).map(Int.init).filter { event(at: $0).taskID == taskID }
    }

    func positions(ofResource resourceID: String) -> [Int] {
        (index(byResource: true).byResource[EventIndex.key(resourceID)] ?? []).map(Int.init).filter { event(at: $0).resourceID == resourceID }
    }

    func positions(ofKind kind: EventKind) -> [Int] {
        let (positions, certain) = index().positions(ofKind: kind.rawValue)
        return certain ? positions.map(Int.init) : positions.map(Int.init).filter { event(at: $0).kind == kind }
    }

    /// Builds the index now unless it is built: for a reader that wants its first lookup to be quick.
    func prepareIndex() { _ = index() }

    /// The index by task and kind, or by resource, each built once by one pass over the file (its two halves
    /// on two threads); a second caller waits for the first one's.
    private func index(byResource: Bool = false) -> EventIndex {
        let kept = { (memory: Memory) in byResource ? memory.resourceIndex : memory.index }
        if let built = memory.withLock({ kept($0) }) { return built }
        return building.withLock { _ in
            if let built = memory.withLock({ kept($0) }) { return built }
            let half = chunks.count / 2
            let runs = [chunks[..<half], chunks[half...]]
            // Safe without a lock: each worker writes only its own slot, read after concurrentPerform returns.
            nonisolated(unsafe) var parts = [EventIndex(byResourceOnly: byResource), EventIndex(byResourceOnly: byResource)]
            parts.withUnsafeMutableBufferPointer { slots in
                nonisolated(unsafe) let output = slots
                DispatchQueue.concurrentPerform(iterations: 2) { k in output[k] = indexing(runs[k], byResource: byResource) }
            }
            var index = parts[0]
            index.append(parts[1])
            memory.withLock { memory in
                if byResource { memory.resourceIndex = index } else { memory.index = index }
            }
            return index
        }
    }

    /// The index of a run of records, in order.
    private func indexing(_ run: ArraySlice<EventFile.Chunk>, byResource: Bool) -> EventIndex {
        var index = EventIndex(byResourceOnly: byResource)
        if !byResource { index.spans.reserveCapacity(run.reduce(0) { $0 + $1.count }) }
        var frame = [UInt8]()
        for (number, chunk) in zip(run.indices, run) {
            let indexed = index.spans.count
            if frame.count < chunk.length { frame = [UInt8](repeating: 0, count: chunk.length) }
            // Each record's checksums are checked as it is read: this pass is what finds damage in a file
            // opened without reading it. A damaged record is noted and left out.
            let problem = Self.check(fd: fd, path: path, chunk, into: &frame)
            if let problem { note(problem, chunk: number) }
            let added = problem == nil
                && frame.withUnsafeBytes { buffer in
                    let whole = UnsafeRawBufferPointer(rebasing: buffer[0..<chunk.length])
                    return index.add(payload: whole, (Frame.headerSize + 1)..<chunk.length, frameOffset: chunk.offset, firstPosition: chunk.firstPosition)
                }
            if !added && !byResource {
                // Left out of the index: its events are read by record, which says why they cannot be.
                index.spans.removeSubrange(indexed...)
                index.spans.append(contentsOf: repeatElement(0, count: chunk.count))
            }
        }
        return index
    }

    /// This archive followed by `events`, just appended to the same file as `chunks`: what a compaction
    /// leaves in memory. The index and the decoded records carry over.
    func appending(_ events: [Event], chunks added: [EventFile.Chunk], reference next: EventFile.Reference) throws(StoreError) -> StoredEventArchive {
        let copy = try FileIO.open(path, O_RDONLY)
        let carried = memory.withLock { memory -> Memory in
            var carried = memory
            for (offset, event) in events.enumerated() {
                carried.index?.add(event, at: reference.count + offset)
                carried.resourceIndex?.add(event, at: reference.count + offset)
            }
            return carried
        }
        let archive = StoredEventArchive(path: path, reference: next, chunks: chunks + added, fd: copy)
        archive.memory.withLock { $0 = carried }
        return archive
    }
}
