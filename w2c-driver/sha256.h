/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * SHA-256 (FIPS 180-4), for the driver's build cache keys.
 */
#ifndef WBPF_SHA256_H
#define WBPF_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define WBPF_SHA256_LEN 32

struct wbpf_sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	uint8_t buf[64];
	size_t nbuf;
};

void wbpf_sha256_init(struct wbpf_sha256 *s);
void wbpf_sha256_update(struct wbpf_sha256 *s, const void *data, size_t len);
/* Finish and write the digest; s must be initialized again before reuse. */
void wbpf_sha256_final(struct wbpf_sha256 *s, uint8_t out[WBPF_SHA256_LEN]);
/* The digest as 64 lowercase hex digits and a NUL. */
void wbpf_sha256_hex(const uint8_t d[WBPF_SHA256_LEN], char hex[2 * WBPF_SHA256_LEN + 1]);

#endif /* WBPF_SHA256_H */
