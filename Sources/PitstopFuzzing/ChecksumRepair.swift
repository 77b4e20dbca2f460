import PitstopStore

/// Rewrites the checksums of a store file so that mutated bytes get past them.
///
/// A fuzzer almost never guesses a CRC-32C, so without this nearly every input would stop at the first
/// checksum and the record decoders behind it would go untested. The checksum checks themselves are
/// covered by the store's corruption tests.
package enum ChecksumRepair {
    package static func repair(_ bytes: inout [UInt8]) {
        guard bytes.count >= FileHeader.size else { return }
        store(CRC32C.checksum(Array(bytes[0..<32])), at: 32, in: &bytes)
        var offset = FileHeader.size
        while bytes.count - offset >= Frame.headerSize {
            let length = Int(load(at: offset, in: bytes))
            let end = offset + Frame.headerSize + length
            if length >= 1 && end <= bytes.count {
                store(CRC32C.checksum(Array(bytes[(offset + Frame.headerSize)..<end])), at: offset + 4, in: &bytes)
            }
            // A length running past the end keeps a valid header: the reader sees a torn tail, not noise.
            store(CRC32C.checksum(Array(bytes[offset..<(offset + 8)])), at: offset + 8, in: &bytes)
            guard length >= 1 && end <= bytes.count else { return }
            offset = end
        }
    }

    private static func load(at offset: Int, in bytes: [UInt8]) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    private static func store(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }
}
