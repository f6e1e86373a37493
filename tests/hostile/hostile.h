/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared by the hostile tier's C guests: the wasm_bpf imports declared with
 * every pointer as a plain i32 (so any offset can be passed), one check
 * helper, and the abi tier's BPF object (every map kind, and a tracepoint that
 * emits a ring or perf buffer sample for each map lookup the guest makes with
 * the right magic in its flags). A guest prints "FAIL WHAT: got X want Y" for
 * each check that fails and, when none did, one line "NAME: every check
 * passed"; it exits 1 on a failure.
 */
#ifndef WBPF_HOSTILE_H
#define WBPF_HOSTILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi-event.h"
#include "abi.bpf.inc" /* abi_bpf_o[], abi_bpf_o_len: built by run.sh */

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))

IMPORT("wasm_bpf", "wasm_load_bpf_object") long long load(uint32_t buf, uint32_t size);
IMPORT("wasm_bpf", "wasm_attach_bpf_program")
int attach(long long obj, uint32_t name, uint32_t target);
IMPORT("wasm_bpf", "wasm_bpf_buffer_poll")
int bpoll(long long obj, int fd, uint32_t fn, uint32_t ctx, uint32_t data, uint32_t max_size,
	  int timeout_ms);
IMPORT("wasm_bpf", "wasm_bpf_map_fd_by_name") int fd_by_name(long long obj, uint32_t name);
IMPORT("wasm_bpf", "wasm_bpf_map_operate")
int map_op(int fd, int cmd, uint32_t key, uint32_t value, uint32_t next_key, long long flags);
IMPORT("wasm_bpf", "wasm_close_bpf_object") int close_obj(long long obj);

/* Linux errno values, as the host returns them */
#define L_EBADF 9
#define L_EFAULT 14
#define L_EINVAL 22
#define L_ERANGE 34

#define LOOKUP 1
#define UPDATE 2
#define DELETE 3
#define NEXT_KEY 4

#define P(x) ((uint32_t)(uintptr_t)(x))

static int hostile_failures;

static void check(const char *what, long long got, long long want)
{
	if (got != want) {
		printf("FAIL %s: got %lld want %lld\n", what, got, want);
		hostile_failures++;
	}
}

/* The closing line and exit status every guest of the tier ends with. */
static int verdict(const char *name)
{
	if (hostile_failures)
		return 1;
	printf("%s: every check passed\n", name);
	return 0;
}

static uint32_t mem_size(void)
{
	return (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
}

/* n bytes that end exactly at the end of linear memory, on a fresh page */
static uint8_t *tail(uint32_t n, uint8_t fill)
{
	uint8_t *p;

	if (__builtin_wasm_memory_grow(0, 1) == (size_t)-1) {
		printf("FAIL tail: memory.grow failed\n");
		exit(1);
	}
	p = (uint8_t *)(uintptr_t)(mem_size() - n);
	memset(p, fill, n);
	return p;
}

static long long load_abi(void)
{
	long long h = load(P(abi_bpf_o), abi_bpf_o_len);

	if (!h) {
		printf("FAIL load of the abi object\n");
		exit(1);
	}
	return h;
}

static int map_fd(long long h, const char *name)
{
	int fd = fd_by_name(h, P(name));

	if (fd < 0) {
		printf("FAIL fd_by_name %s: %d\n", name, fd);
		exit(1);
	}
	return fd;
}

/* Arm the tracepoint: it emits to the ring buffer ("rb") or perf buffer
 * ("pb") for each lookup made by emit(). Returns the magic. */
static uint32_t arm(long long h, int mode)
{
	int ctl = map_fd(h, "ctl");
	uint32_t magic, k;
	uint64_t v;

	if (getentropy(&magic, sizeof(magic)))
		exit(1);
	magic = (magic & 0x7fffffff) | 1;
	k = CTL_MAGIC, v = magic;
	check("arm magic", map_op(ctl, UPDATE, P(&k), P(&v), 0, 0), 0);
	k = CTL_MODE, v = (uint64_t)mode;
	check("arm mode", map_op(ctl, UPDATE, P(&k), P(&v), 0, 0), 0);
	k = CTL_SEQ, v = 0;
	check("arm seq", map_op(ctl, UPDATE, P(&k), P(&v), 0, 0), 0);
	check("attach tracepoint", attach(h, P("wbpf_abi_tp"), 0), 0);
	return magic;
}

/* One sample: a lookup whose flags carry the magic (the kernel refuses the
 * flags; the tracepoint has seen the call by then). */
static void emit(long long h, uint32_t magic, uint32_t gseq)
{
	uint32_t k = 0;
	uint64_t v;

	map_op(map_fd(h, "arr"), LOOKUP, P(&k), P(&v), 0, (long long)((uint64_t)magic << 32 | gseq));
}

#endif
