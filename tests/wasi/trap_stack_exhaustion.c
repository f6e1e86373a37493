/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Unbounded recursion exhausts the call stack: a wasm trap. The recursive call
 * goes through a volatile pointer and its result is used, so it stays a real
 * call; it keeps everything in wasm locals, so the shadow stack in linear
 * memory is not what runs out. Output flushed before the trap must reach
 * stdout. Wasm only.
 */
#include <stdint.h>
#include <stdio.h>

static unsigned rec(unsigned n);
static unsigned (*volatile recp)(unsigned) = rec;
volatile unsigned limit = 0xffffffffu;

static unsigned rec(unsigned n)
{
	if (n == limit)
		return 0;
	return recp(n + 1) * 31 + n;
}

int main(void)
{
	printf("before the trap\n");
	fflush(stdout);
	printf("result %u\n", rec(0));
	printf("after the trap\n");
	return 0;
}
