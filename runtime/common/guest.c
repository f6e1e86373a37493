// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Guest memory helpers and the program-ending paths shared by every engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wbpf/guest.h"

const char *wbpf_guest_str(struct wbpf_guest *g, uint64_t off, size_t *len)
{
	uint64_t size = g->mem.size;
	uint8_t *base = g->mem.base;
	const uint8_t *nul;

	if (off >= size)
		return NULL;
	nul = memchr(base + off, '\0', size - off);
	if (!nul)
		return NULL;
	if (len)
		*len = (size_t)(nul - (base + off));
	return (const char *)(base + off);
}

int wbpf_guest_call_table_iii_i(struct wbpf_guest *g, uint32_t idx, uint32_t a, uint32_t b,
				uint32_t c, int32_t *ret)
{
	int err = g->ops->call_table_iii_i(g, idx, a, b, c, ret);

	wbpf_guest_refresh(g);
	return err;
}

int wbpf_guest_call_go_callback(struct wbpf_guest *g, uint32_t a, uint32_t b, uint32_t c,
				int32_t *ret)
{
	int err = g->ops->call_go_callback(g, a, b, c, ret);

	wbpf_guest_refresh(g);
	return err;
}

#define MAX_CLEANUPS 8

static void (*cleanups[MAX_CLEANUPS])(struct wbpf_guest *g);
static int cleanup_cnt;

void wbpf_atexit(void (*fn)(struct wbpf_guest *g))
{
	int i;

	for (i = 0; i < cleanup_cnt; i++)
		if (cleanups[i] == fn)
			return;
	if (cleanup_cnt == MAX_CLEANUPS)
		abort(); /* a fixed, small set of runtime parts registers here */
	cleanups[cleanup_cnt++] = fn;
}

/* Runs each cleanup once, last registered first; safe to reach twice (a trap
 * inside a cleanup lands here again and skips what already ran). */
static void run_cleanups(struct wbpf_guest *g)
{
	while (cleanup_cnt > 0) {
		void (*fn)(struct wbpf_guest *g) = cleanups[--cleanup_cnt];

		fn(g);
	}
}

void wbpf_guest_exit(struct wbpf_guest *g, uint32_t code)
{
	run_cleanups(g);
	fflush(NULL);
	exit((int)(code & 0xff));
}

void wbpf_guest_trap(struct wbpf_guest *g, const char *what)
{
	g->ops->trap(g, what);
}

const char *wbpf_trap_name(enum wbpf_trap t)
{
	static const char *const names[] = {
		[WBPF_TRAP_OOB] = "out of bounds memory access",
		[WBPF_TRAP_INT_OVERFLOW] = "integer overflow",
		[WBPF_TRAP_DIV_BY_ZERO] = "integer divide by zero",
		[WBPF_TRAP_INVALID_CONVERSION] = "invalid conversion to integer",
		[WBPF_TRAP_UNREACHABLE] = "unreachable",
		[WBPF_TRAP_CALL_INDIRECT] = "bad indirect call",
		[WBPF_TRAP_UNCAUGHT_EXCEPTION] = "uncaught exception",
		[WBPF_TRAP_EXHAUSTION] = "call stack exhausted",
		[WBPF_TRAP_UNKNOWN] = "unknown trap",
	};

	return (unsigned int)t < sizeof(names) / sizeof(names[0]) ? names[t]
								     : names[WBPF_TRAP_UNKNOWN];
}

void wbpf_trap_exit(struct wbpf_guest *g, const char *what)
{
	fflush(stdout);
	fprintf(stderr, "%s: wasm trap: %s\n", g->prog ? g->prog : "wasm", what);
	run_cleanups(g);
	fflush(NULL);
	exit(WBPF_EXIT_TRAP);
}
