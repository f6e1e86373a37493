/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The guest libc's memchr whose range crosses the memory's end, with no match before it: a wasm
 * trap in a compiled program too, whose memchr has a native fast path (docs/abi.md, "Generated
 * code"). Wasm only.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void *(*volatile p_memchr)(const void *, int, size_t) = memchr;

int main(void)
{
	/* a page of our own at the end of the memory */
	uint8_t *top = (uint8_t *)((uint32_t)__builtin_wasm_memory_grow(0, 1) * 65536u);
	uint8_t *end = top + 65536;

	printf("before the trap\n");
	fflush(stdout);
	memset(top, 'z', 65536);
	printf("found %p\n", p_memchr(end - 16, 'x', 64));
	printf("after the trap %p\n", (void *)end);
	return 0;
}
