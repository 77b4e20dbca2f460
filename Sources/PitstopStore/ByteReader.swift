import Foundation

/// Reads the tagged fields `ByteWriter` writes, over a borrowed buffer. Every read is bounds-checked.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int
    let end: Int

    init(_ buffer: UnsafeRawBufferPointer, from start: Int = 0, to end: Int? = nil) {
        self.buffer = buffer
        self.offset = start
        self.end = end ?? buffer.count
    }

    var isAtEnd: Bool { offset >= end }

    mutating func rawVarint() throws(DecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end else { throw DecodeError(reason: "a number runs past the end of its record") }
            let byte = buffer[offset]
            offset += 1
            guard shift < 64 else { throw DecodeError(reason: "a number is longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func rawUInt64() throws(DecodeError) -> UInt64 {
        guard end - offset >= 8 else { throw DecodeError(reason: "a 64-bit value runs past the end of its record") }
        let value = buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return UInt64(littleEndian: value)
    }

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws(DecodeError) -> (number: UInt64, type: UInt8)? {
        guard offset < end else { return nil }
        let key = try rawVarint()
        return (key >> 3, UInt8(key & 7))
    }

    mutating func uint(_ type: UInt8) throws(DecodeError) -> UInt64 {
        guard type == 0 else { throw DecodeError(reason: "expected a number field, found wire type \(type)") }
        return try rawVarint()
    }

    mutating func int(_ type: UInt8) throws(DecodeError) -> Int64 {
        let raw = try uint(type)
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func int(_ type: UInt8) throws(DecodeError) -> Int {
        let value: Int64 = try int(type)
        return Int(value)
    }

    mutating func bool(_ type: UInt8) throws(DecodeError) -> Bool { try uint(type) != 0 }

    mutating func double(_ type: UInt8) throws(DecodeError) -> Double {
        guard type == 1 else { throw DecodeError(reason: "expected a 64-bit field, found wire type \(type)") }
        return Double(bitPattern: try rawUInt64())
    }

    /// 9999-12-31T23:59:59.999Z: no time the store writes lies further from 1970, either way.
    static let latestMilliseconds: Int64 = 253_402_300_799_999

    mutating func date(_ type: UInt8) throws(DecodeError) -> Date {
        let milliseconds: Int64 = try int(type)
        guard (-Self.latestMilliseconds...Self.latestMilliseconds).contains(milliseconds) else {
            throw DecodeError(reason: "a time \(milliseconds) ms from 1970 lies beyond the year 9999")
        }
        return Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }

    /// The byte range of a length-delimited field, consumed.
    mutating func span(_ type: UInt8) throws(DecodeError) -> Range<Int> {
        guard type == 2 else { throw DecodeError(reason: "expected a length-delimited field, found wire type \(type)") }
        let length = try rawVarint()
        guard length <= UInt64(end - offset) else { throw DecodeError(reason: "a field of \(length) bytes runs past the end of its record") }
        let range = offset..<(offset + Int(length))
        offset = range.upperBound
        return range
    }

    mutating func string(_ type: UInt8) throws(DecodeError) -> String {
        let range = try span(type)
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }

    /// A string that repeats across records (an event's actor), taken from `interner` when seen before:
    /// one allocation per distinct value instead of one per record.
    mutating func string(_ type: UInt8, interner: inout StringInterner) throws(DecodeError) -> String {
        let range = try span(type)
        return interner.string(UnsafeRawBufferPointer(rebasing: buffer[range]))
    }

    /// How many fields are left, each stepped over (a record of events counts its events so).
    mutating func remainingFieldCount() throws(DecodeError) -> Int {
        var count = 0
        while let (_, wire) = try nextField() {
            _ = try span(wire)
            count += 1
        }
        return count
    }

    /// A reader over a nested message, consumed from this one.
    mutating func message(_ type: UInt8) throws(DecodeError) -> ByteReader {
        let range = try span(type)
        return ByteReader(buffer, from: range.lowerBound, to: range.upperBound)
    }

    /// Skips a field of a number this version does not know: what lets newer writers add fields.
    mutating func skip(_ type: UInt8) throws(DecodeError) {
        switch type {
        case 0: _ = try rawVarint()
        case 1: _ = try rawUInt64()
        case 2: _ = try span(type)
        default: throw DecodeError(reason: "unknown wire type \(type)")
        }
    }
}
