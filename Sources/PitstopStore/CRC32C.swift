import CPitstopCRC

/// CRC-32C (Castagnoli), the checksum of every record; computed in C with the processor's crc32 instruction
/// where there is one.
package enum CRC32C {
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        return pitstop_crc32c(base, bytes.count)
    }

    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
