/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * NaN to int with the trapping i32.trunc_f32_s: a wasm trap (a plain C cast is
 * range-checked by clang, hence the builtin). Output flushed before the trap
 * must reach stdout. Wasm only.
 */
#include <stdint.h>
#include <stdio.h>
#include <math.h>

volatile float f = NAN;

int main(void)
{
	printf("before the trap\n");
	fflush(stdout);
	printf("converted %d\n", __builtin_wasm_trunc_s_i32_f32(f));
	printf("after the trap\n");
	return 0;
}
