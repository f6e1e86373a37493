/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A call through a function pointer past the end of the table: a wasm trap.
 * Output flushed before the trap must reach stdout. Wasm only.
 */
#include <stdint.h>
#include <stdio.h>

static int (*volatile fp)(int);

int main(void)
{
	fp = (int (*)(int))(uintptr_t)0x7ffff;
	printf("before the trap\n");
	fflush(stdout);
	printf("result %d\n", fp(1));
	printf("after the trap\n");
	return 0;
}
