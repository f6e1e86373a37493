/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Wasm modules built byte by byte, for the unit tests of the driver's passes
 * over a module (test_wasm_reader.c, test_w2c_libcfn.c). A module, a section
 * body or a subsection is a struct bytes; put_section() writes one into
 * another with its id and size.
 */
#ifndef WBPF_WASM_BUILD_H
#define WBPF_WASM_BUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bytes {
	uint8_t b[1024];
	size_t n;
};

/* n bytes at p; abort() when they do not fit (a test too large to build) */
static inline void put(struct bytes *s, const void *p, size_t n)
{
	if (s->n + n > sizeof(s->b))
		abort();
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

static inline void put_u8(struct bytes *s, uint8_t v)
{
	put(s, &v, 1);
}

/* an unsigned LEB128, in as few bytes as it takes */
static inline void put_leb(struct bytes *s, uint32_t v)
{
	do {
		uint8_t b = v & 0x7f;

		v >>= 7;
		put_u8(s, v ? b | 0x80 : b);
	} while (v);
}

/* a name: its length, then its bytes */
static inline void put_name(struct bytes *s, const char *name)
{
	put_leb(s, (uint32_t)strlen(name));
	put(s, name, strlen(name));
}

/* the magic and version 1 */
static inline void put_header(struct bytes *s)
{
	put(s, "\0asm\1\0\0\0", 8);
}

/* a section (or a subsection of the name section): id, size, then body */
static inline void put_section(struct bytes *s, uint8_t id, const struct bytes *body)
{
	put_u8(s, id);
	put_leb(s, (uint32_t)body->n);
	put(s, body->b, body->n);
}

#endif /* WBPF_WASM_BUILD_H */
