#if canImport(Glibc)
import Glibc

/// glibc's `mallopt` and `malloc_trim` (declared in <malloc.h>, which the Glibc module does not export).
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
@_silgen_name("malloc_trim")
private func malloc_trim(_ pad: Int) -> Int32
/// `M_MMAP_THRESHOLD` from <malloc.h>.
private let mmapThreshold: Int32 = -3
#endif

/// How a long-running process asks the C allocator to give memory back.
public enum ProcessMemory {
    /// Blocks of 1 MiB and more (the event log, the task list, their indexes) are mapped on their own and
    /// unmapped when freed; growing one remaps it instead of copying. By default glibc raises this threshold
    /// as big blocks are freed, after which each growth of the event log leaves the old buffer in the heap as
    /// resident free space: a daemon that ran 50,000 executions held a quarter more than a fresh one.
    public static func returnLargeBlocksToTheSystem() {
        #if canImport(Glibc)
        _ = mallopt(mmapThreshold, 1 << 20)
        #endif
    }

    /// Returns the free pages inside the heap to the system. Worth it right after a whole state was dropped
    /// (a reader's reload after compaction frees hundreds of thousands of small strings at once).
    static func trim() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}
