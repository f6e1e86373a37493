/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The entry of every compute benchmark: PROG [N] runs run(N) and prints
 * "checksum DECIMAL". The same source is built natively and for
 * wasm32-wasi (then run by wasmbpf-aot's binary and by wasmbpf-run).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t run(long n);

/*
 * An output buffer standing in for stdout: text is appended to it and, when
 * it fills, hashed 8 bytes at a time (cheaply, so that the hashing does not
 * hide the cost of producing the text) and emptied.
 */
#define OUTBUF_SIZE 65536

struct outbuf {
	char buf[OUTBUF_SIZE];
	size_t len;
	uint64_t hash;
	uint64_t bytes;
};

static inline void outbuf_flush(struct outbuf *o)
{
	size_t i;
	uint64_t w;

	memset(o->buf + o->len, 0, 8 - (o->len & 7));
	for (i = 0; i < o->len; i += 8) {
		memcpy(&w, o->buf + i, 8);
		o->hash = (o->hash ^ w) * 0x100000001b3ull;
		o->hash ^= o->hash >> 29;
	}
	o->bytes += o->len;
	o->len = 0;
}

/* room for at least n more bytes (n < 1024) */
static inline char *outbuf_room(struct outbuf *o, size_t n)
{
	if (o->len + n + 8 > OUTBUF_SIZE)
		outbuf_flush(o);
	return o->buf + o->len;
}

/* the final hash of all the text, and its length */
static inline uint64_t outbuf_sum(struct outbuf *o)
{
	outbuf_flush(o);
	return (o->hash ^ o->bytes) * 0x9e3779b97f4a7c15ull;
}

#define BENCH_MAIN(default_n)                                                          \
	int main(int argc, char **argv)                                                \
	{                                                                              \
		long n = argc > 1 ? atol(argv[1]) : (default_n);                       \
		uint64_t sum = run(n);                                                 \
                                                                                       \
		printf("checksum %llu\n", (unsigned long long)sum);                    \
		return sum ? 0 : 1;                                                    \
	}

#endif
