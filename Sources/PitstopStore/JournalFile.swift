package import Foundation
package import PitstopCore

/// The journal: a header naming the sequence its first record follows, then one framed batch per
/// acknowledged mutation, appended and fsync'd.
package enum JournalFile {
    /// What a read of journal bytes found.
    package struct Scan {
        package var batches: [JournalBatch] = []
        /// File offset just past the last whole record.
        package var validEnd: Int
        /// An unfinished record starts here (a torn tail, or a write still in progress).
        package var incompleteAt: Int?
        /// Damage that stops the read; batches before it are good.
        package var damage: StoreError?
    }

    package static func header(baseSequence: UInt64, now: Date) -> [UInt8] {
        FileHeader(kind: .journal, sequence: baseSequence, createdAt: now).encoded()
    }

    package static func record(_ batch: JournalBatch) -> [UInt8] {
        var w = ByteWriter(capacity: 256)
        Frame.append(.batch, to: &w) { $0.batch(batch) }
        return w.bytes
    }

    /// The one reader of a journal's bytes, for open, check and recover: its header, then every whole record
    /// after it, stopping at a torn tail or at damage (which `Scan` reports, not throws).
    package static func read(_ bytes: [UInt8], path: String) throws -> (header: FileHeader, scan: Scan) {
        let header = try bytes.withUnsafeBytes { (buffer) throws(StoreError) in
            try FileHeader.decode(buffer, kind: .journal, path: path)
        }
        return (header, scan(Array(bytes[FileHeader.size...]), base: FileHeader.size, path: path))
    }

    /// Reads records from `bytes`, which start at file offset `base`.
    package static func scan(_ bytes: [UInt8], base: Int, path: String) -> Scan {
        bytes.withUnsafeBytes { buffer in
            var scan = Scan(validEnd: base)
            var offset = 0
            while true {
                switch Frame.scan(buffer, at: offset) {
                case .end:
                    return scan
                case .incomplete:
                    scan.incompleteAt = base + offset
                    return scan
                case .corrupt(let reason):
                    scan.damage = .corrupt(path: path, offset: base + offset, reason: reason)
                    return scan
                case .record(let type, let payload, let next):
                    if type == Frame.RecordType.batch.rawValue {
                        var reader = ByteReader(buffer, from: payload.lowerBound, to: payload.upperBound)
                        do throws(DecodeError) {
                            scan.batches.append(try reader.batch())
                        } catch {
                            scan.damage = .corrupt(path: path, offset: base + offset, reason: error.reason)
                            return scan
                        }
                    }
                    offset = next
                    scan.validEnd = base + next
                }
            }
        }
    }
}
