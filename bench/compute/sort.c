// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sort [N]: sort N pseudo-random ints with a quicksort that compares through a
 * function pointer, as qsort does (the sort is here rather than in libc so
 * that every build runs the same code); the checksum hashes the sorted
 * array (0 if it is not sorted).
 */
#include "bench.h"

typedef int (*cmp_fn)(const int *, const int *);

static int cmp_int(const int *a, const int *b)
{
	return (*a > *b) - (*a < *b);
}

static void swap(int *a, int *b)
{
	int t = *a;

	*a = *b;
	*b = t;
}

static void sort_ints(int *v, long n, cmp_fn cmp)
{
	while (n > 16) {
		long m = n / 2, i = 0, j = n - 1;
		int pivot;

		/* median of three to the middle */
		if (cmp(&v[m], &v[0]) < 0)
			swap(&v[m], &v[0]);
		if (cmp(&v[n - 1], &v[m]) < 0)
			swap(&v[n - 1], &v[m]);
		if (cmp(&v[m], &v[0]) < 0)
			swap(&v[m], &v[0]);
		pivot = v[m];
		for (;;) {
			while (cmp(&v[i], &pivot) < 0)
				i++;
			while (cmp(&pivot, &v[j]) < 0)
				j--;
			if (i >= j)
				break;
			swap(&v[i++], &v[j--]);
		}
		/* recurse into the smaller half, loop on the larger */
		if (j + 1 < n - j - 1) {
			sort_ints(v, j + 1, cmp);
			v += j + 1;
			n -= j + 1;
		} else {
			sort_ints(v + j + 1, n - j - 1, cmp);
			n = j + 1;
		}
	}
	for (long i = 1; i < n; i++) {
		int x = v[i];
		long k = i;

		for (; k > 0 && cmp(&x, &v[k - 1]) < 0; k--)
			v[k] = v[k - 1];
		v[k] = x;
	}
}

static uint64_t run(long n)
{
	uint64_t x = 88172645463325252ull, h = 1469598103934665603ull;
	int *v = malloc(n * sizeof(*v));

	if (!v)
		return 0;
	for (long i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		v[i] = (int)(x >> 32);
	}
	sort_ints(v, n, cmp_int);
	for (long i = 0; i < n; i++) {
		if (i && v[i - 1] > v[i]) {
			h = 0;
			break;
		}
		h = (h ^ (uint32_t)v[i]) * 1099511628211ull;
	}
	free(v);
	return h;
}

BENCH_MAIN(3000000)
