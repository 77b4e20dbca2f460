// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104) for the owner's seal of a team store's commands: what
// proves to the engine that the store's owner, and not a member who can write the store's files, brought a
// command in (SPEC §29). Small inputs only; checked against the RFC 4231 and FIPS test vectors.
#ifndef PITSTOP_SHA256_H
#define PITSTOP_SHA256_H
#include <stddef.h>
#include <stdint.h>

/// The SHA-256 of `length` bytes at `data`, written to `digest`.
void pitstop_sha256(const void *data, size_t length, uint8_t digest[32]);

/// The HMAC-SHA-256 of `length` bytes at `data` under `key`, written to `mac`.
void pitstop_hmac_sha256(const void *key, size_t key_length, const void *data, size_t length, uint8_t mac[32]);

#endif
