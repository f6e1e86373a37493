/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The entry of every compute benchmark: PROG [N] runs run(N) and prints
 * "checksum DECIMAL". The same source is built natively and for
 * wasm32-wasi (then run by wasmbpf-aot's binary and by wasmbpf-run).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t run(long n);

#define BENCH_MAIN(default_n)                                                          \
	int main(int argc, char **argv)                                                \
	{                                                                              \
		long n = argc > 1 ? atol(argv[1]) : (default_n);                       \
		uint64_t sum = run(n);                                                 \
                                                                                       \
		printf("checksum %llu\n", (unsigned long long)sum);                    \
		return sum ? 0 : 1;                                                    \
	}

#endif
