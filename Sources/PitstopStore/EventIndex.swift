import Foundation
import PitstopCore

/// Where an archive's events are, by task and by kind and where each lies in the file; or, built apart and
/// only when asked for (`byResource`), by resource (machine): a hundred thousand machines would make the
/// first, which the console needs, three times slower to build.
///
/// Built by one pass that reads each event's task id and kind as bytes and hashes them, without decoding the
/// event or making a string: a key can in principle name another task with the same hash, so lookups check
/// the events they find (`StoredEventArchive.positions`).
struct EventIndex: Sendable {
    /// Which of the two: by task and kind (with spans), or by resource alone.
    let byResourceOnly: Bool
    var byTask: [UInt64: [Int32]] = [:]
    var byResource: [UInt64: [Int32]] = [:]
    /// A few dozen kinds at most: a list searched in turn costs less than hashing every event's kind again.
    /// Each keeps the bytes of the first kind that made its key, and whether another kind shared the key.
    private var kinds: [(key: UInt64, name: [UInt8], shared: Bool, positions: [Int32])] = []
    /// By position: file offset << 24 | length (0: too long to say; read its record instead).
    var spans: [UInt64] = []

    init(byResourceOnly: Bool = false) { self.byResourceOnly = byResourceOnly }

    /// A text's key: FNV-1a over its UTF-8 bytes.
    static func key(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    static func key(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { key(UnsafeRawBufferPointer($0)) }
    }

    /// Positions of the events of `kind`, and whether they are certain (no other kind shares its key, so
    /// nothing needs reading to check them).
    func positions(ofKind kind: String) -> (positions: [Int32], certain: Bool) {
        let key = Self.key(kind)
        guard let entry = kinds.first(where: { $0.key == key }) else { return ([], true) }
        return (entry.positions, !entry.shared && entry.name.elementsEqual(kind.utf8))
    }

    private mutating func add(kind key: UInt64, name: UnsafeRawBufferPointer, at position: Int) {
        if let slot = kinds.firstIndex(where: { $0.key == key }) {
            kinds[slot].positions.append(Int32(position))
            if !kinds[slot].shared && !kinds[slot].name.elementsEqual(name) { kinds[slot].shared = true }
        } else {
            kinds.append((key, Array(name), false, [Int32(position)]))
        }
    }

    /// Adds the index of the events that follow these.
    mutating func append(_ later: EventIndex) {
        byTask.merge(later.byTask) { $0 + $1 }
        byResource.merge(later.byResource) { $0 + $1 }
        for entry in later.kinds {
            if let slot = kinds.firstIndex(where: { $0.key == entry.key }) {
                kinds[slot].positions += entry.positions
                kinds[slot].shared = kinds[slot].shared || entry.shared || kinds[slot].name != entry.name
            } else {
                kinds.append(entry)
            }
        }
        spans.append(contentsOf: later.spans)
    }

    /// Adds an event known as a value (one appended by a compaction).
    mutating func add(_ event: Event, at position: Int) {
        if byResourceOnly {
            if let resource = event.resourceID { byResource[Self.key(resource), default: []].append(Int32(position)) }
            return
        }
        // The spans of events known as values are not known: 0, read by record.
        spans.append(0)
        if let task = event.taskID { byTask[Self.key(task), default: []].append(Int32(position)) }
        var kind = event.kind.rawValue
        kind.withUTF8 { add(kind: Self.key(UnsafeRawBufferPointer($0)), name: UnsafeRawBufferPointer($0), at: position) }
    }

    /// Adds the events of one record's payload, `frameOffset` being where the record starts in the file.
    /// Returns false when the payload does not parse (the caller marks its events unindexed).
    mutating func add(payload buffer: UnsafeRawBufferPointer, _ payload: Range<Int>, frameOffset: Int, firstPosition: Int) -> Bool {
        var reader = ByteReader(buffer, from: payload.lowerBound, to: payload.upperBound)
        var position = firstPosition
        do throws(DecodeError) {
            while let (_, wire) = try reader.nextField() {
                var event = try reader.message(wire)
                let length = event.end - event.offset
                if !byResourceOnly { spans.append(length < 1 << 24 ? UInt64(frameOffset + event.offset) << 24 | UInt64(length) : 0) }
                while let (field, type) = try event.nextField() {
                    switch (field, byResourceOnly) {
                    case (4, false): byTask[Self.key(UnsafeRawBufferPointer(rebasing: buffer[try event.span(type)])), default: []].append(Int32(position))
                    case (5, true): byResource[Self.key(UnsafeRawBufferPointer(rebasing: buffer[try event.span(type)])), default: []].append(Int32(position))
                    case (6, false):
                        let name = UnsafeRawBufferPointer(rebasing: buffer[try event.span(type)])
                        add(kind: Self.key(name), name: name, at: position)
                    default: try event.skip(type)
                    }
                }
                position += 1
            }
        } catch {
            return false
        }
        return true
    }
}
