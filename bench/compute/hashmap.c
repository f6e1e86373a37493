// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hashmap [N]: word count. Builds N words of 3 to 6 letters from a small
 * alphabet (so words repeat), counts them in an open-addressing table keyed by
 * FNV-1a, then looks every word up again; the checksum mixes the distinct
 * count and every word's count and hash. String handling is in this file, not libc.
 */
#include "bench.h"

struct entry {
	const char *word;
	uint32_t len;
	uint32_t hash;
	uint64_t count;
};

static struct entry *table;
static uint64_t mask;

static uint32_t fnv1a(const char *s, uint32_t len)
{
	uint32_t h = 2166136261u;

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static int same(const char *a, const char *b, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static struct entry *find(const char *w, uint32_t len, int insert)
{
	uint32_t h = fnv1a(w, len);

	for (uint64_t i = h & mask;; i = (i + 1) & mask) {
		struct entry *e = &table[i];

		if (!e->word) {
			if (!insert)
				return NULL;
			e->word = w, e->len = len, e->hash = h;
			return e;
		}
		if (e->hash == h && e->len == len && same(e->word, w, len))
			return e;
	}
}

static uint64_t run(long n)
{
	uint64_t x = 0x9e3779b97f4a7c15ull, sum = 1469598103934665603ull;
	uint64_t size = 1, distinct = 0;
	char *text, *p;

	while (size < 4 * (uint64_t)n)
		size <<= 1;
	mask = size - 1;
	table = calloc(size, sizeof(*table));
	text = malloc(n * 11);
	if (!table || !text)
		return 0;
	p = text;
	for (long i = 0; i < n; i++) {
		uint32_t len;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		len = 3 + (x >> 61) % 4;
		for (uint32_t k = 0; k < len; k++)
			p[k] = "etaoinsh"[(x >> (3 * k)) & 7];
		p[len] = 0;
		find(p, len, 1)->count++;
		p += len + 1;
	}
	for (uint64_t i = 0; i < size; i++)
		distinct += table[i].word != NULL;
	/* second pass: look every word up, in order of the text */
	p = text;
	for (long i = 0; i < n; i++) {
		uint32_t len = 0;
		struct entry *e;

		while (p[len])
			len++;
		e = find(p, len, 0);
		sum = (sum ^ e->count ^ e->hash) * 1099511628211ull;
		p += len + 1;
	}
	free(text);
	free(table);
	return sum ^ distinct;
}

BENCH_MAIN(2000000)
