/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The guest libc's memcpy whose destination range crosses the memory's end: a wasm trap
 * in a compiled program too, whose memcpy has a native fast path (docs/abi.md,
 * "Generated code"). Wasm only.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void *(*volatile p_memcpy)(void *, const void *, size_t) = memcpy;
static char src[64] = "sixty-four bytes of source";

int main(void)
{
	/* a page of our own at the end of the memory */
	uint8_t *top = (uint8_t *)((uint32_t)__builtin_wasm_memory_grow(0, 1) * 65536u);
	uint8_t *end = top + 65536;

	printf("before the trap\n");
	fflush(stdout);
	p_memcpy(end - 8, src, 16);
	printf("after the trap %p\n", (void *)end);
	return 0;
}
