import Foundation

/// Record framing shared by snapshots and journals:
/// `[u32 body length][u32 CRC-32C of body][u32 CRC-32C of the previous 8 bytes][body]`, where the body's first
/// byte is the record type. The header's own checksum tells a torn tail (a whole, valid header whose body
/// runs past the end) from a damaged length (a header that does not check), which is corruption.
package enum Frame {
    package static let headerSize = 12

    enum RecordType: UInt8 {
        case policy = 1
        case task = 2
        case events = 3
        case batch = 4
        /// A snapshot's reference to the event file holding its log (format 2).
        case eventFile = 5
        /// A snapshot's table of its tasks, for opening without decoding them (`TaskDirectory`).
        case taskDirectory = 6
        case end = 0x7F
    }

    /// What lies at an offset of a file.
    enum Scan: Equatable {
        /// A whole record whose checksums match: its type byte and the range of its payload.
        case record(type: UInt8, payload: Range<Int>, next: Int)
        /// Nothing left.
        case end
        /// A record cut short (or zeros) at the very end: a write that never finished.
        case incomplete
        /// Damaged bytes, with a reason.
        case corrupt(reason: String)
    }

    /// Appends one framed record to `writer`, its body written by `body` after the type byte. The body is
    /// written in place and the header filled in after: a record built in a buffer of its own was grown from
    /// 256 bytes and then copied, for each of a snapshot's thousands of tasks.
    static func append(_ type: RecordType, to writer: inout ByteWriter, _ body: (inout ByteWriter) -> Void) {
        let start = writer.bytes.count
        writer.rawUInt64(0)
        writer.rawUInt32(0)
        writer.rawByte(type.rawValue)
        body(&writer)
        let length = writer.bytes.count - start - headerSize
        let bodyCRC = writer.checksum(of: (start + headerSize)..<writer.bytes.count)
        writer.overwrite(UInt32(length), at: start)
        writer.overwrite(bodyCRC, at: start + 4)
        writer.overwrite(writer.checksum(of: start..<(start + 8)), at: start + 8)
    }

    static func append(rawBody body: [UInt8], to writer: inout ByteWriter) {
        var header = ByteWriter(capacity: headerSize)
        header.rawUInt32(UInt32(body.count))
        header.rawUInt32(CRC32C.checksum(body))
        header.rawUInt32(CRC32C.checksum(header.bytes))
        writer.rawBytes(header.bytes)
        writer.rawBytes(body)
    }

    /// The body length a record header at `offset` declares, or nil when the header's own checksum fails
    /// (then the length cannot be trusted, nor anything after it). `bytes` holds at least `headerSize` there.
    static func checkedLength(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        let headerCRC = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self).littleEndian
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 8)])) == headerCRC else { return nil }
        return Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
    }

    static func scan(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Scan {
        let remaining = bytes.count - offset
        if remaining == 0 { return .end }
        let zeroTail = { bytes[offset...].allSatisfy { $0 == 0 } }
        if remaining < headerSize { return .incomplete }
        guard let length = checkedLength(bytes, at: offset) else {
            return zeroTail() ? .incomplete : .corrupt(reason: "record header checksum mismatch")
        }
        let bodyCRC = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
        guard length >= 1 else { return .corrupt(reason: "empty record") }
        guard length <= remaining - headerSize else { return .incomplete }
        let body = (offset + headerSize)..<(offset + headerSize + length)
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[body])) == bodyCRC else {
            return .corrupt(reason: "record checksum mismatch")
        }
        return .record(type: bytes[body.lowerBound], payload: (body.lowerBound + 1)..<body.upperBound, next: body.upperBound)
    }
}
