/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The guest libc's memset whose range crosses the memory's end: a wasm trap
 * in a compiled program too, whose memset has a native fast path (docs/abi.md,
 * "Generated code"). Wasm only.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void *(*volatile p_memset)(void *, int, size_t) = memset;

int main(void)
{
	/* a page of our own at the end of the memory */
	uint8_t *top = (uint8_t *)((uint32_t)__builtin_wasm_memory_grow(0, 1) * 65536u);
	uint8_t *end = top + 65536;

	printf("before the trap\n");
	fflush(stdout);
	p_memset(end - 8, 0, 16);
	printf("after the trap %p\n", (void *)end);
	return 0;
}
