import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only, unmapped when the last holder lets go: what lets a store decode its snapshot's
/// tasks after opening. Snapshots are replaced by renaming a new file over the old one, never written in place,
/// so the mapped bytes stay those that were checked.
final class MappedFile: @unchecked Sendable {
    // Safety: the mapping is read-only and lives until deinit; nothing here changes after init.
    let buffer: UnsafeRawBufferPointer

    /// Maps `fd` (of `size` bytes), or nil when the system refuses (the caller reads the file instead).
    init?(fd: Int32, size: Int) {
        guard size > 0, let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        buffer = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: buffer.baseAddress), buffer.count) }
}
