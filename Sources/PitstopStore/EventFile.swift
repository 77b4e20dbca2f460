import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// The event log's own file (format 2): a header whose sequence field is the file's identity, then records of
/// up to 4096 events each, appended and never rewritten. A snapshot names the file and how far into it its
/// log reaches; bytes past that point are a compaction that never finished, cut by the next one.
package enum EventFile {
    static let eventsPerRecord = 4096

    /// What a snapshot says of its log: which file, where its last record ends, and what it holds.
    package struct Reference: Equatable, Sendable {
        package var id: UInt64
        package var end: Int
        package var count: Int
        package var lastSequence: UInt64
    }

    /// A damaged record a salvaging read left out (`store recover`), and why.
    struct LostRecord: Sendable {
        var offset: Int
        var reason: String
    }

    /// One record of the file, found when it was opened or written.
    package struct Chunk: Sendable {
        /// Where its frame starts, and how long the frame is.
        var offset: Int
        var length: Int
        /// The position of its first event in the log, and how many it holds.
        var firstPosition: Int
        var count: Int
    }

    /// The records a snapshot lists (each one's frame length and event count), laid end to end after the header.
    static func chunks(lengths: [Int], counts: [Int]) -> [Chunk] {
        var chunks: [Chunk] = []
        chunks.reserveCapacity(lengths.count)
        var offset = FileHeader.size
        var position = 0
        for (length, count) in zip(lengths, counts) {
            chunks.append(Chunk(offset: offset, length: length, firstPosition: position, count: count))
            offset += length
            position += count
        }
        return chunks
    }

    /// The file's name inside the store directory.
    static func name(id: UInt64) -> String {
        let hex = String(id, radix: 16)
        return "events-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether a directory entry is an event file (of any identity).
    static func isEventFile(_ name: String) -> Bool {
        name.hasPrefix("events-") && name.utf8.count == 23 && UInt64(name.dropFirst(7), radix: 16) != nil
    }

    /// Framed records holding `events`, ready to append at `offset`, and the chunks they make.
    static func records(_ events: some Collection<Event>, at offset: Int, firstPosition: Int) -> (bytes: [UInt8], chunks: [Chunk]) {
        var w = ByteWriter(capacity: events.count * 96)
        var chunks: [Chunk] = []
        var start = events.startIndex
        var position = firstPosition
        while start != events.endIndex {
            let stop = events.index(start, offsetBy: eventsPerRecord, limitedBy: events.endIndex) ?? events.endIndex
            let before = w.bytes.count
            Frame.append(.events, to: &w) { body in
                for event in events[start..<stop] { body.message(1) { $0.event(event) } }
            }
            let count = events.distance(from: start, to: stop)
            chunks.append(Chunk(offset: offset + before, length: w.bytes.count - before, firstPosition: position, count: count))
            position += count
            start = stop
        }
        return (w.bytes, chunks)
    }

    /// Writes a new event file holding `events` under a fresh identity, durably (the caller syncs the
    /// directory before anything names it). Returns its reference and chunks.
    static func create(in layout: StoreLayout, events: EventLog, now: Date) throws -> (Reference, [Chunk]) {
        var id: UInt64 = 0
        repeat { id = UInt64.random(in: 1...UInt64.max) } while FileIO.exists(layout.eventFile(id: id))
        let path = layout.eventFile(id: id)
        let header = FileHeader(kind: .events, sequence: id, createdAt: now).encoded()
        let (bytes, chunks) = records(events, at: header.count, firstPosition: 0)
        do {
            try FileIO.writeDurably(path, header + bytes)
        } catch {
            try? FileIO.unlinkIfPresent(path)
            throw error
        }
        let reference = Reference(id: id, end: header.count + bytes.count, count: events.count, lastSequence: events.lastSequence)
        return (reference, chunks)
    }

    /// Appends `events` (those after `reference`) to the file `reference` names, cutting first whatever an
    /// unfinished compaction left past its end. Durable when it returns.
    static func append(_ events: [Event], after reference: Reference, in layout: StoreLayout) throws -> (Reference, [Chunk]) {
        if events.isEmpty { return (reference, []) }
        let path = layout.eventFile(id: reference.id)
        let fd = try FileIO.open(path, O_RDWR)
        defer { close(fd) }
        guard let size = FileIO.identity(fd: fd)?.size, size >= reference.end else {
            throw StoreError.corrupt(path: path, offset: 0, reason: "the event file is shorter than the snapshot says (\(reference.end) bytes)")
        }
        if size > reference.end { try FileIO.truncate(fd: fd, path: path, to: reference.end) }
        let (bytes, chunks) = records(events, at: reference.end, firstPosition: reference.count)
        do {
            try FileIO.writeAll(fd: fd, path: path, bytes, at: reference.end)
            try FileIO.syncData(fd: fd, path: path)
        } catch {
            // Past the snapshot's end nothing counts; cut it so the file does not keep a failed write's bytes.
            try? FileIO.truncate(fd: fd, path: path, to: reference.end)
            throw error
        }
        let next = Reference(id: reference.id, end: reference.end + bytes.count, count: reference.count + events.count,
                             lastSequence: events.last?.sequence ?? reference.lastSequence)
        return (next, chunks)
    }

    /// The event file a new snapshot of `state` references, and the archive that then holds its whole log.
    /// The log's own file gets only the events recorded since (its archive being the one the snapshot on disk
    /// references, `current`); otherwise, or with `fresh` (a recovery, which must not touch a file a damaged
    /// snapshot names), a new file gets them all.
    static func forSnapshot(of state: FleetState, current: UInt64?, fresh: Bool, layout: StoreLayout, now: Date) throws
        -> (Reference, StoredEventArchive)
    {
        if !fresh, let archive = state.events.archive as? StoredEventArchive, archive.reference.id == current,
           archive.path == layout.eventFile(id: archive.reference.id)
        {
            let recent = state.events.recent
            let (next, chunks) = try append(recent, after: archive.reference, in: layout)
            return (next, try archive.appending(recent, chunks: chunks, reference: next))
        }
        let (reference, chunks) = try create(in: layout, events: state.events, now: now)
        return (reference, try StoredEventArchive.written(in: layout, reference: reference, chunks: chunks))
    }

    /// Removes event files that neither the snapshot nor its backup names (left by a replaced fleet, a
    /// recovery, or a compaction that stopped before its snapshot was in place).
    static func removeUnreferenced(in layout: StoreLayout, keeping: Set<UInt64>) {
        let keep = Set(keeping.map { name(id: $0) })
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: layout.directory)) ?? []
        where isEventFile(entry) && !keep.contains(entry) {
            try? FileIO.unlinkIfPresent(layout.directory + "/" + entry)
        }
    }
}
