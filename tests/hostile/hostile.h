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

#define WBPF_TEST_QUIET /* a guest prints only what failed, and its verdict */
#include "wbpf-raw-imports.h"
#include "wbpf-test.h"

/* The closing line and exit status every guest of the tier ends with. */
static int verdict(const char *name)
{
	if (failures)
		return 1;
	printf("%s: every check passed\n", name);
	return 0;
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
