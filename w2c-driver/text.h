/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A growable buffer for the driver's passes that write C text or module bytes
 * (membase.c, libcfn.c), and what they share to read wasm2c's C line by line.
 */
#ifndef WBPF_TEXT_H
#define WBPF_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/*
 * Bytes put one piece after another: p (malloc'd, NULL until the first put)
 * holds len of them followed by a NUL. A put that runs out of memory sets
 * nomem, and every put after it does nothing, so that a caller checks once at
 * the end. Start it zeroed; free(p), or take it with wbpf_text__take().
 */
struct wbpf_text {
	char *p;
	size_t len, cap;
	bool nomem;
};

/* Put the n bytes at s (which may hold NULs). */
void wbpf_text__put(struct wbpf_text *t, const void *s, size_t n);

/* Put the string s, without its NUL. */
void wbpf_text__puts(struct wbpf_text *t, const char *s);

/* Put what printf() would print. */
void wbpf_text__printf(struct wbpf_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * What was put, for the caller to free: NUL-terminated, its length (without
 * the NUL) in *len, and "" when nothing was. NULL when a put ran out of
 * memory (or this does), and *len is then not set. Either way t is zeroed.
 */
char *wbpf_text__take(struct wbpf_text *t, size_t *len);

/* The end of the line that starts at s: its '\n', or end when it has none. */
static inline const char *wbpf_line_end(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', end - s);

	return nl ? nl : end;
}

/*
 * The line that closes a function wasm2c wrote, "}" at column 0 with nothing
 * after it but a '\r', at or after body (the start of a line): its start,
 * with *nl set to its end as wbpf_line_end() gives it; end when there is none.
 */
const char *wbpf_func_close(const char *body, const char *end, const char **nl);

/* Whether c may stand in a C identifier. */
static inline bool wbpf_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

#endif /* WBPF_TEXT_H */
