#if canImport(Glibc)
import Glibc

/// glibc's `malloc_trim` (declared in <malloc.h>, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func malloc_trim(_ pad: Int) -> Int32
#endif

/// How a long-running process gives memory back to the system.
enum ProcessMemory {
    /// Returns the free pages inside the heap to the system. Called after a whole state was dropped or
    /// rewritten (a reader's reload, a writer's compaction): glibc keeps big freed blocks, such as the
    /// event log's buffer before it last grew, resident in the heap otherwise, and a console or daemon that
    /// ran 50,000 executions held a quarter more than a fresh one. A fixed mmap threshold would avoid that
    /// too, but it made every engine tick a quarter slower. Through `Store.returnFreedMemory()`.
    static func trim() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}
