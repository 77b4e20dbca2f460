import Foundation

/// Recent distinct strings, found again by their bytes: values with few variants (actors, last messages,
/// clusters) then share one string instead of each making its own. A small table indexed by a hash of the
/// bytes, one entry per slot: a lookup hashes, compares once, and a miss costs little more than decoding.
struct StringInterner {
    private static let slots = 64
    /// Longer texts are decoded every time: they rarely repeat, and hashing them would cost more.
    private static let longest = 96
    private var entries: [(bytes: [UInt8], string: String)?] = Array(repeating: nil, count: StringInterner.slots)

    mutating func string(_ bytes: UnsafeRawBufferPointer) -> String {
        guard !bytes.isEmpty, bytes.count <= Self.longest else { return String(decoding: bytes, as: UTF8.self) }
        var hash: UInt32 = 2_166_136_261  // FNV-1a
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let slot = Int(hash % UInt32(Self.slots))
        if let entry = entries[slot], entry.bytes.count == bytes.count,
           entry.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
        {
            return entry.string
        }
        let string = String(decoding: bytes, as: UTF8.self)
        entries[slot] = (Array(bytes), string)
        return string
    }
}
