/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The check helpers every C guest of the test tiers uses (abi, hostile,
 * compat): one line a failed check, "FAIL NAME: got X want Y", and, unless
 * the guest defines WBPF_TEST_QUIET before including this, "ok NAME" for each
 * passed one. `failures` counts the failed ones; the guest exits non-zero
 * when it is not 0. tests/lib.sh's guest_cc puts this folder on the include
 * path.
 */
#ifndef WBPF_TEST_H
#define WBPF_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void __attribute__((unused)) check(const char *name, long long got, long long want)
{
	if (got != want) {
		printf("FAIL %s: got %lld want %lld\n", name, got, want);
		failures++;
	}
#ifndef WBPF_TEST_QUIET
	else
		printf("ok %s\n", name);
#endif
}

static void __attribute__((unused)) check_true(const char *name, int cond, long long got)
{
	if (!cond) {
		printf("FAIL %s: got %lld\n", name, got);
		failures++;
	}
#ifndef WBPF_TEST_QUIET
	else
		printf("ok %s\n", name);
#endif
}

/* The size of linear memory in bytes. */
static uint32_t __attribute__((unused)) mem_size(void)
{
	return (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
}

/* n bytes that end exactly at the end of linear memory, filled with fill: a
 * fresh page is grown so that nothing else lives there. */
static uint8_t *__attribute__((unused)) tail(uint32_t n, uint8_t fill)
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

#endif /* WBPF_TEST_H */
