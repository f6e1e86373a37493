/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * INT_MIN / -1 overflows: a wasm trap. Output flushed before the trap must
 * reach stdout. Wasm only.
 */
#include <stdint.h>
#include <stdio.h>
#include <limits.h>

volatile int num = INT_MIN, den = -1;

int main(void)
{
	printf("before the trap\n");
	fflush(stdout);
	printf("quotient %d\n", num / den);
	printf("after the trap\n");
	return 0;
}
