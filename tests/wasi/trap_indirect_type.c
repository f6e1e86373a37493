/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A call through a function pointer of the wrong type: a wasm trap
 * (call_indirect type mismatch). Output flushed before the trap must reach
 * stdout. Wasm only.
 */
#include <stdint.h>
#include <stdio.h>

static int add_one(int x)
{
	return x + 1;
}

typedef double (*dfn)(double, double);
/* volatile: the call must be a call_indirect, not a direct call to a stub */
static dfn volatile fp;

int main(void)
{
	fp = (dfn)(uintptr_t)add_one;
	printf("before the trap\n");
	fflush(stdout);
	printf("result %f\n", fp(1.0, 2.0));
	printf("after the trap\n");
	return 0;
}
