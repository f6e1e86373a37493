/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * unreachable: a wasm trap. Output flushed before the trap must reach stdout.
 * Wasm only.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	printf("before the trap\n");
	fflush(stdout);
	__builtin_trap();
	printf("after the trap\n");
	return 0;
}
