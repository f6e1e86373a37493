/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Out-of-bounds load: a wasm trap, exit 134, one line on stderr. Output
 * flushed before the trap must reach stdout. Wasm only.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	printf("before the trap\n");
	fflush(stdout);
	printf("value %d\n", *(volatile int *)0xfffffff0);
	printf("after the trap\n");
	return 0;
}
