#if canImport(Glibc)
import Glibc

/// glibc's `mallopt` (declared in <malloc.h>, which the Glibc module does not export).
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// `M_MMAP_THRESHOLD` from <malloc.h>.
private let mmapThreshold: Int32 = -3
#endif

/// How the process asks the C allocator to manage memory.
enum ProcessMemory {
    /// Blocks of 1 MiB and more (the event log, the task list, their indexes) are mapped on their own and
    /// unmapped when freed; growing one remaps it instead of copying. By default glibc raises this threshold
    /// as big blocks are freed, after which each growth of the event log leaves the old buffer in the heap as
    /// resident free space: a console or daemon running for days would hold a fifth more than a fresh one.
    static func returnLargeBlocksToTheSystem() {
        #if canImport(Glibc)
        _ = mallopt(mmapThreshold, 1 << 20)
        #endif
    }
}
