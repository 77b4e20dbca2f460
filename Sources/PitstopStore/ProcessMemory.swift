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

    /// Grows the calling thread's malloc arena by about `bytes` in a few steps, and leaves that room free for
    /// what the thread allocates next. glibc grows a thread's arena by exactly what an allocation lacks, a
    /// system call (mprotect) per page or two as thousands of small objects are made; blocks taken here below
    /// the mmap threshold come from the arena, and freed under a small block kept above them they stay in it as
    /// one free chunk (only free space at the arena's top is given back) instead of shrinking it again.
    static func reserve(bytes: Int) {
        #if canImport(Glibc)
        let block = 96 * 1024
        let count = bytes / block
        guard count >= 8 else { return }
        var blocks: [UnsafeMutableRawPointer] = []
        blocks.reserveCapacity(count)
        for _ in 0..<count {
            guard let pointer = malloc(block) else { break }
            blocks.append(pointer)
        }
        // Kept: the 64 bytes above the freed room, so that it is not the arena's top (which free gives back).
        _ = malloc(64)
        for pointer in blocks { free(pointer) }
        #endif
    }
}
