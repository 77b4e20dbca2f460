// CRC-32C (Castagnoli) for the store's record checksums: the SSE4.2 crc32 instruction where the processor
// has it (about ten times faster than a table), a slice-by-8 table elsewhere. Same results either way.
#ifndef PITSTOP_CRC32C_H
#define PITSTOP_CRC32C_H
#include <stddef.h>
#include <stdint.h>

/// The CRC-32C of `length` bytes at `data`.
uint32_t pitstop_crc32c(const void *data, size_t length);

#endif
