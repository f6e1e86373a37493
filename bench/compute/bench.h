/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The entry of every compute benchmark: PROG [N] runs run(N) and prints
 * "checksum DECIMAL". Built with -DBENCH_EXPORT_N=N instead, the module has no
 * main and no WASI imports, only an exported `uint64_t bench(void)` returning
 * run(N): the form wabt's wasm-interp (Debian's build has no WASI) runs with
 * --run-all-exports, printing "bench() => i64:DECIMAL".
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdlib.h>

static uint64_t run(long n);

#ifdef BENCH_EXPORT_N
#define BENCH_MAIN(default_n)                                                          \
	__attribute__((export_name("bench"))) uint64_t bench(void);                    \
	uint64_t bench(void)                                                           \
	{                                                                              \
		return run(BENCH_EXPORT_N);                                            \
	}
#else
#include <stdio.h>
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

#endif
