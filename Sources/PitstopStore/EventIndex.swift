import Foundation
import PitstopCore

/// Where an archive's events are, by task and by kind, and where each lies in the file.
///
/// Built by one pass that reads each event's task id and kind as bytes and hashes them, without decoding the
/// event or making a string: a key can in principle name another task with the same hash, so lookups check
/// the events they find (`StoredEventArchive.positions`).
struct EventIndex: Sendable {
    var byTask: [UInt64: [Int32]] = [:]
    /// A few dozen kinds at most: a list searched in turn costs less than hashing every event's kind again.
    private var kinds: [(key: UInt64, positions: [Int32])] = []
    /// By position: file offset << 24 | length (0: too long to say; read its record instead).
    var spans: [UInt64] = []

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

    /// Positions of the events whose kind has this key.
    func positions(ofKind key: UInt64) -> [Int32] { kinds.first { $0.key == key }?.positions ?? [] }

    private mutating func add(kind key: UInt64, at position: Int) {
        if let slot = kinds.firstIndex(where: { $0.key == key }) {
            kinds[slot].positions.append(Int32(position))
        } else {
            kinds.append((key, [Int32(position)]))
        }
    }

    /// Adds the index of the events that follow these.
    mutating func append(_ later: EventIndex) {
        byTask.merge(later.byTask) { $0 + $1 }
        for (key, positions) in later.kinds {
            if let slot = kinds.firstIndex(where: { $0.key == key }) { kinds[slot].positions += positions } else { kinds.append((key, positions)) }
        }
        spans.append(contentsOf: later.spans)
    }

    /// Adds an event known as a value (one appended by a compaction).
    mutating func add(_ event: Event, at position: Int) {
        if let task = event.taskID { byTask[Self.key(task), default: []].append(Int32(position)) }
        add(kind: Self.key(event.kind.rawValue), at: position)
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
                spans.append(length < 1 << 24 ? UInt64(frameOffset + event.offset) << 24 | UInt64(length) : 0)
                while let (field, type) = try event.nextField() {
                    switch field {
                    case 4: byTask[Self.key(UnsafeRawBufferPointer(rebasing: buffer[try event.span(type)])), default: []].append(Int32(position))
                    case 6: add(kind: Self.key(UnsafeRawBufferPointer(rebasing: buffer[try event.span(type)])), at: position)
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
