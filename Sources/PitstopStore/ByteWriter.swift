import Foundation

/// Appends tagged fields in a protobuf-like wire format: a field key (number << 3 | wire type),
/// then a varint, a little-endian 64-bit value, or a length and bytes. Readers skip numbers they do not know.
struct ByteWriter {
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
    }

    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func rawVarint(_ value: UInt64) {
        if value < 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value))
            return
        }
        // Made in a local buffer and appended once: a byte at a time, each append checked capacity and uniqueness.
        var buffer: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            var v = value
            var count = 0
            while v >= 0x80 {
                raw[count] = UInt8(truncatingIfNeeded: v) | 0x80
                v >>= 7
                count += 1
            }
            raw[count] = UInt8(v)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0...count]))
        }
    }

    mutating func rawUInt32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func rawUInt64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func rawBytes(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    mutating func rawBytes(_ other: UnsafeRawBufferPointer) { bytes.append(contentsOf: other) }

    mutating func rawByte(_ byte: UInt8) { bytes.append(byte) }

    /// Writes `value` little-endian over the four bytes at `offset` (a header filled in after its body).
    mutating func overwrite(_ value: UInt32, at offset: Int) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
    }

    /// The CRC-32C of the bytes written in `range`.
    func checksum(of range: Range<Int>) -> UInt32 {
        bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    private mutating func key(_ field: UInt64, _ type: WireType) { rawVarint(field << 3 | UInt64(type.rawValue)) }

    mutating func uint(_ field: UInt64, _ value: UInt64) {
        key(field, .varint)
        rawVarint(value)
    }

    /// Signed values zigzag-encoded so small negatives stay short.
    mutating func int(_ field: UInt64, _ value: Int64) {
        uint(field, UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func int(_ field: UInt64, _ value: Int) { int(field, Int64(value)) }

    mutating func bool(_ field: UInt64, _ value: Bool) { uint(field, value ? 1 : 0) }

    mutating func double(_ field: UInt64, _ value: Double) {
        key(field, .fixed64)
        rawUInt64(value.bitPattern)
    }

    /// An instant as whole milliseconds since 1970.
    mutating func date(_ field: UInt64, _ value: Date) {
        int(field, Self.clampedMilliseconds(value.timeIntervalSince1970))
    }

    /// Seconds as whole milliseconds, clamped to the range a reader accepts, so that no value, however it
    /// was computed, can stop a write.
    static func clampedMilliseconds(_ seconds: Double) -> Int64 {
        let milliseconds = (seconds * 1000).rounded()
        let limit = Double(ByteReader.latestMilliseconds)
        return Int64(milliseconds.isNaN ? 0 : max(-limit, min(limit, milliseconds)))
    }

    mutating func string(_ field: UInt64, _ value: String) {
        key(field, .lengthDelimited)
        var value = value
        value.withUTF8 { utf8 in
            rawVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A nested message written in place: its length is patched in afterwards as a padded 4-byte varint.
    mutating func message(_ field: UInt64, _ body: (inout ByteWriter) -> Void) {
        key(field, .lengthDelimited)
        let lengthAt = bytes.count
        rawUInt32(0x0080_8080)  // 0x80 0x80 0x80 0x00, patched below; an array literal here was an allocation
        body(&self)
        let length = bytes.count - lengthAt - 4
        precondition(length < 1 << 28, "a nested record of \(length) bytes exceeds the format's 256 MiB limit")
        bytes[lengthAt] = UInt8(length & 0x7F) | 0x80
        bytes[lengthAt + 1] = UInt8((length >> 7) & 0x7F) | 0x80
        bytes[lengthAt + 2] = UInt8((length >> 14) & 0x7F) | 0x80
        bytes[lengthAt + 3] = UInt8((length >> 21) & 0x7F)
    }
}
