/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Integer division by zero: a wasm trap. Output flushed before the trap must
 * reach stdout. Wasm only.
 */
#include <stdint.h>
#include <stdio.h>

volatile int num = 42, den;

int main(void)
{
	printf("before the trap\n");
	fflush(stdout);
	printf("quotient %d\n", num / den);
	printf("after the trap\n");
	return 0;
}
