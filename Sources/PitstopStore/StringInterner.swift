import Foundation

/// A few recent distinct strings, matched by their bytes. Deliberately small: it serves values with a
/// handful of variants (actors), and a miss costs no more than decoding the string.
struct StringInterner {
    private var entries: [(bytes: [UInt8], string: String)] = []

    mutating func string(_ bytes: UnsafeRawBufferPointer) -> String {
        for entry in entries where entry.bytes.count == bytes.count {
            if entry.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) { return entry.string }
        }
        let string = String(decoding: bytes, as: UTF8.self)
        if entries.count < 16 && !bytes.isEmpty { entries.append((Array(bytes), string)) }
        return string
    }
}
