// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * maps [LOOKUPS [ROUNDS]]: bpf_map_lookup_elem() from user space on an array
 * and a hash map of 1024 u32 -> u64 entries. Each round times LOOKUPS lookups
 * over all keys in each map in turn, with the CPU time of the process
 * (CLOCK_PROCESS_CPUTIME_ID: user + sys, not the time others ran while it
 * waited) and the wall time (CLOCK_MONOTONIC). Prints, per map, the median
 * round of each in ns per lookup and a checksum of the values read:
 *
 *	array cpu 2101.5 wall 2230.0 ns/lookup checksum 1234
 *
 * One source for both builds: natively with libbpf and a bpftool skeleton,
 * and as a Wasm-eBPF guest with the SDK's skeleton, where every lookup goes
 * through the wasm_bpf_map_operate import.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef __wasm__
#include <wasi/api.h>
#else
#include <bpf/bpf.h>
#endif
#include "maps.skel.h"

#define NKEYS 1024
#define MAX_ROUNDS 31

struct bench {
	const char *name;
	int fd;
	uint64_t sum;
	double cpu[MAX_ROUNDS];
	double wall[MAX_ROUNDS];
};

static double now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The process's CPU time. Newer wasi-libc (Debian 13's) declares no
 * CLOCK_PROCESS_CPUTIME_ID without _WASI_EMULATED_PROCESS_CLOCKS; the WASI
 * clock it stands for is asked for directly. */
static double cpu_ns(void)
{
#ifdef __wasm__
	__wasi_timestamp_t t;

	if (__wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &t))
		return 0;
	return (double)t;
#else
	return now_ns(CLOCK_PROCESS_CPUTIME_ID);
#endif
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int fill(struct bench *b)
{
	uint64_t v;
	uint32_t key;
	int err;

	for (key = 0; key < NKEYS; key++) {
		v = (uint64_t)key * 2654435761u;
		err = bpf_map_update_elem(b->fd, &key, &v, 0);
		if (err) {
			fprintf(stderr, "maps: update of %s failed: %d\n", b->name, err);
			return 1;
		}
	}
	return 0;
}

/* one round of LOOKUPS lookups in b's map, timed into b->cpu[r], b->wall[r] */
static int round_of(struct bench *b, long lookups, int r)
{
	double c0, w0;
	uint64_t v;
	uint32_t key;
	int err;

	w0 = now_ns(CLOCK_MONOTONIC);
	c0 = cpu_ns();
	for (long i = 0; i < lookups; i++) {
		key = i & (NKEYS - 1);
		err = bpf_map_lookup_elem(b->fd, &key, &v);
		if (err) {
			fprintf(stderr, "maps: lookup in %s failed: %d\n", b->name, err);
			return 1;
		}
		b->sum += v;
	}
	b->cpu[r] = (cpu_ns() - c0) / lookups;
	b->wall[r] = (now_ns(CLOCK_MONOTONIC) - w0) / lookups;
	return 0;
}

int main(int argc, char **argv)
{
	long lookups = argc > 1 ? atol(argv[1]) : 200000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	struct bench b[2] = { { .name = "array" }, { .name = "hash" } };
	struct maps_bpf *skel;
	int err = 1, r, i;

	if (lookups <= 0 || rounds <= 0 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: maps [LOOKUPS [ROUNDS <= %d]]\n", MAX_ROUNDS);
		return 2;
	}
	skel = maps_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "maps: cannot load the BPF object\n");
		return 1;
	}
	b[0].fd = bpf_map__fd(skel->maps.array);
	b[1].fd = bpf_map__fd(skel->maps.hash);
	if (fill(&b[0]) || fill(&b[1]))
		goto cleanup;
	/* the maps in turn, round by round: a busy moment hits both */
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < 2; i++) {
			if (round_of(&b[i], lookups, r))
				goto cleanup;
		}
	}
	for (i = 0; i < 2; i++)
		printf("%s cpu %.1f wall %.1f ns/lookup checksum %llu\n", b[i].name,
		       median(b[i].cpu, rounds), median(b[i].wall, rounds),
		       (unsigned long long)b[i].sum);
	err = 0;
cleanup:
	maps_bpf__destroy(skel);
	return err;
}
