/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * memcpy for the musl build of the compute kernels, in place of musl's own:
 * musl's x86_64 memcpy is `rep movsq` with byte loops around it, whose start-up
 * cost makes every short copy (snprintf's output, a string of a line) several
 * times slower than glibc's, and the guest never runs it (wasi-libc's memcpy is
 * C, and wasmbpf-aot hands it to the host's: docs/abi.md, "Generated code").
 * A plain word loop.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* gcc would compile the loops below into a call to memcpy */
#pragma GCC optimize("no-tree-loop-distribute-patterns")

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	uint64_t w;

	for (; n >= 8; n -= 8, d += 8, s += 8) {
		__builtin_memcpy(&w, s, 8);
		__builtin_memcpy(d, &w, 8);
	}
	for (; n; n--)
		*d++ = *s++;
	return dst;
}
