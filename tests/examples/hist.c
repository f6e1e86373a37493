// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Prints fixed histograms with examples/common/trace_helpers.h. The test
 * builds it natively and as a Wasm guest (through wasmbpf-aot) and compares
 * the two outputs byte for byte.
 */
#include <stdio.h>
#include "trace_helpers.h"

int main(void)
{
	unsigned int empty[26] = {0};
	unsigned int one[26] = {[0] = 1};
	unsigned int usual[26] = {106, 135, 105, 126, 24, 171, 3, 1, 0, 5, 0, 0, 7};
	unsigned int top[26] = {[25] = 4000000000u, [3] = 1, [10] = 2000000000u};
	unsigned int wide[40] = {[2] = 7, [20] = 3, [36] = 12345678};

	print_log2_hist(empty, 26, "usecs");
	printf("--\n");
	print_log2_hist(one, 26, "usecs");
	printf("--\n");
	print_log2_hist(usual, 26, "msecs");
	printf("--\n");
	print_log2_hist(top, 26, "usecs");
	printf("--\n");
	print_log2_hist(wide, 40, "nsecs");
	return 0;
}
