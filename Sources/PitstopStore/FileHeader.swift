import Foundation

/// The fixed 36-byte header that starts every store file: magic, format version, a sequence number and a checksum.
/// For a snapshot the sequence is the last change it contains; for a journal, the one its first record follows;
/// for an event file, the file's identity (the number in its name, which a snapshot's reference repeats).
package struct FileHeader: Equatable {
    package enum Kind: String {
        case snapshot
        case journal
        case events

        var magic: [UInt8] {
            switch self {
            case .snapshot: Array("PITSNAP\u{1}".utf8)
            case .journal: Array("PITJRNL\u{1}".utf8)
            case .events: Array("PITEVNT\u{1}".utf8)
            }
        }
    }

    package static let size = 36
    /// The store format this Pitstop writes, and the newest it reads. Version 2 keeps the event log in its
    /// own append-only file, which the snapshot references; version 1 kept it inside the snapshot (still read,
    /// and rewritten as version 2 by the next compaction).
    public static let currentVersion: UInt16 = 2

    var kind: Kind
    package var version: UInt16 = currentVersion
    package var sequence: UInt64
    var createdAt: Date

    func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: Self.size)
        w.rawBytes(kind.magic)
        w.rawBytes([UInt8(version & 0xFF), UInt8(version >> 8), 0, 0])
        w.rawUInt64(sequence)
        w.rawUInt64(UInt64(bitPattern: Int64((createdAt.timeIntervalSince1970 * 1000).rounded())))
        w.rawUInt32(0)
        w.rawUInt32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// Reads and checks the header at the start of `bytes`.
    package static func decode(_ bytes: UnsafeRawBufferPointer, kind: Kind, path: String) throws(StoreError) -> FileHeader {
        guard bytes.count >= size else {
            throw .corrupt(path: path, offset: 0, reason: "the file is \(bytes.count) bytes, shorter than its \(size)-byte header")
        }
        guard Array(bytes[0..<8]) == kind.magic else {
            throw .corrupt(path: path, offset: 0, reason: "not a Pitstop \(kind.rawValue) file (wrong magic number)")
        }
        let stored = bytes.loadUnaligned(fromByteOffset: 32, as: UInt32.self).littleEndian
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<32])) == stored else {
            throw .corrupt(path: path, offset: 0, reason: "header checksum mismatch")
        }
        let version = UInt16(bytes[8]) | UInt16(bytes[9]) << 8
        guard version <= currentVersion else { throw .newerFormat(path: path, version: Int(version)) }
        let sequence = bytes.loadUnaligned(fromByteOffset: 12, as: UInt64.self).littleEndian
        let created = Int64(bitPattern: bytes.loadUnaligned(fromByteOffset: 20, as: UInt64.self).littleEndian)
        return FileHeader(kind: kind, version: version, sequence: sequence, createdAt: Date(timeIntervalSince1970: TimeInterval(created) / 1000))
    }
}
