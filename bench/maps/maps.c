// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * maps [LOOKUPS [ROUNDS]]: bpf_map_lookup_elem() from user space on an array
 * and a hash map of 1024 u32 -> u64 entries. Each round times LOOKUPS lookups
 * over all keys with CLOCK_MONOTONIC; prints, per map, the median round in ns
 * per lookup and a checksum of the values read.
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
#ifndef __wasm__
#include <bpf/bpf.h>
#endif
#include "maps.skel.h"

#define NKEYS 1024
#define MAX_ROUNDS 31

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int bench_map(const char *name, int fd, long lookups, int rounds)
{
	double ns[MAX_ROUNDS];
	uint64_t sum = 0, v;
	uint32_t key;
	int err;

	for (key = 0; key < NKEYS; key++) {
		v = (uint64_t)key * 2654435761u;
		err = bpf_map_update_elem(fd, &key, &v, 0);
		if (err) {
			fprintf(stderr, "maps: update of %s failed: %d\n", name, err);
			return 1;
		}
	}
	for (int r = 0; r < rounds; r++) {
		double t0 = now_ns();

		for (long i = 0; i < lookups; i++) {
			key = i & (NKEYS - 1);
			err = bpf_map_lookup_elem(fd, &key, &v);
			if (err) {
				fprintf(stderr, "maps: lookup in %s failed: %d\n", name, err);
				return 1;
			}
			sum += v;
		}
		ns[r] = (now_ns() - t0) / lookups;
	}
	qsort(ns, rounds, sizeof(ns[0]), cmp_double);
	printf("%s %.1f ns/lookup checksum %llu\n", name, ns[rounds / 2],
	       (unsigned long long)sum);
	return 0;
}

int main(int argc, char **argv)
{
	long lookups = argc > 1 ? atol(argv[1]) : 200000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	struct maps_bpf *skel;
	int err;

	if (lookups <= 0 || rounds <= 0 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: maps [LOOKUPS [ROUNDS <= %d]]\n", MAX_ROUNDS);
		return 2;
	}
	skel = maps_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "maps: cannot load the BPF object\n");
		return 1;
	}
	err = bench_map("array", bpf_map__fd(skel->maps.array), lookups, rounds);
	if (!err)
		err = bench_map("hash", bpf_map__fd(skel->maps.hash), lookups, rounds);
	maps_bpf__destroy(skel);
	return err;
}
