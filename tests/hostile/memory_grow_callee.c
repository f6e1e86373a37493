// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: memory.grow where the caller does not see it: a callee grows the
 * memory while the caller is in the middle of reading and writing it. The
 * caller then writes and reads back every new page (first and last byte),
 * the last byte of memory included, and what it wrote before the call is
 * still there. The AOT engine keeps the memory's base in a local of each
 * function (docs/abi.md, "Generated code"): it must be read again after the
 * call, and the caller's new accesses must go where the callee's grow put
 * the pages.
 * exit: 0
 * stdout: 1: grew 3 pages, every byte where it was written
 * stdout: 2: grew 5 pages, every byte where it was written
 * stdout: 3: grew 7 pages, every byte where it was written
 * stdout: memory_grow_callee: every check passed
 */
#include <stdint.h>
#include <stdio.h>

static int failures;

static void check(const char *what, long long got, long long want)
{
	if (got != want) {
		printf("FAIL %s: got %lld want %lld\n", what, got, want);
		failures++;
	}
}

/* out of line, so the grow happens in another function */
__attribute__((noinline)) static uint32_t grow(uint32_t pages)
{
	return (uint32_t)__builtin_wasm_memory_grow(0, pages);
}

static volatile uint8_t old[64];

/* One function that reads and writes memory on both sides of the call. */
__attribute__((noinline)) static void round_trip(uint32_t round, uint32_t pages)
{
	uint32_t before, now, i, sum = 0;
	volatile uint8_t *p;

	for (i = 0; i < sizeof(old); i++)
		old[i] = (uint8_t)(round * 31 + i);
	before = grow(pages);
	if (before == UINT32_MAX) {
		check("memory.grow", -1, pages);
		return;
	}
	now = (uint32_t)__builtin_wasm_memory_size(0);
	check("pages after the grow", now, before + pages);
	p = (volatile uint8_t *)(uintptr_t)(before * 65536u);
	for (i = 0; i < pages; i++) {
		p[i * 65536u] = (uint8_t)(round + i);
		p[i * 65536u + 65535u] = (uint8_t)(round + i + 1);
	}
	for (i = 0; i < pages; i++) {
		check("first byte of a new page", p[i * 65536u], (uint8_t)(round + i));
		check("last byte of a new page", p[i * 65536u + 65535u], (uint8_t)(round + i + 1));
		sum += p[i * 65536u + 1]; /* never written: zero */
	}
	check("the new pages come zeroed", sum, 0);
	check("last byte of memory", *(volatile uint8_t *)(uintptr_t)(now * 65536u - 1),
	      (uint8_t)(round + pages));
	for (i = 0; i < sizeof(old); i++)
		check("a byte written before the grow", old[i], (uint8_t)(round * 31 + i));
	printf("%u: grew %u pages, every byte where it was written\n", round, pages);
}

int main(void)
{
	for (uint32_t round = 1; round <= 3; round++)
		round_trip(round, 2 * round + 1);
	if (failures)
		return 1;
	printf("memory_grow_callee: every check passed\n");
	return 0;
}
