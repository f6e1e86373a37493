/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The guest libc's memcpy, memset, strlen and memchr, which a compiled
 * program runs through native fast paths (docs/abi.md, "Generated code"),
 * give what the wasm code gives at every edge: every size and alignment up to
 * a few words, overlapping copies (defined in wasm, whatever C says), a zero
 * size with pointers outside the memory, ranges that end on the last byte of
 * the memory, a memchr size larger than the memory. The calls go through
 * volatile pointers so that the compiler keeps them. Wasm only: the edges are
 * the memory's; the trap_*_end guests cover the ranges that cross it. The
 * fast paths do up to 16 bytes in words (strlen and memchr look at 16 bytes
 * when the memory has them): the small cases also run against the memory's
 * last bytes, where they do not, with references computed a byte at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void *(*volatile p_memcpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile p_memset)(void *, int, size_t) = memset;
static void *(*volatile p_memchr)(const void *, int, size_t) = memchr;
static size_t (*volatile p_strlen)(const char *) = strlen;

static uint8_t src[512], dst[512], ref[512];

static uint32_t fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void fill(uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + seed * 13 + 1);
}

static int copies(void)
{
	int bad = 0;

	for (size_t n = 0; n <= 70; n++)
		for (size_t so = 0; so < 4; so++)
			for (size_t d = 0; d < 4; d++) {
				fill(src, sizeof(src), (unsigned int)(n + so));
				memset(dst, 0xee, sizeof(dst));
				memset(ref, 0xee, sizeof(ref));
				for (size_t i = 0; i < n; i++)
					ref[d + i] = src[so + i];
				if (p_memcpy(dst + d, src + so, n) != dst + d ||
				    memcmp(dst, ref, sizeof(dst)))
					bad++;
			}
	return bad;
}

static int sets(void)
{
	int bad = 0;

	for (size_t n = 0; n <= 70; n++)
		for (size_t d = 0; d < 8; d++) {
			memset(dst, 0xee, sizeof(dst));
			memset(ref, 0xee, sizeof(ref));
			for (size_t i = 0; i < n; i++)
				ref[d + i] = 0x5a;
			/* only the low byte of c counts */
			if (p_memset(dst + d, 0x15a, n) != dst + d || memcmp(dst, ref, sizeof(dst)))
				bad++;
		}
	return bad;
}

static int lengths(void)
{
	int bad = 0;

	for (size_t start = 0; start < 8; start++)
		for (size_t len = 0; len < 80; len++) {
			memset(dst, 'a', sizeof(dst));
			dst[start + len] = 0;
			if (p_strlen((char *)dst + start) != len)
				bad++;
		}
	return bad;
}

static int finds(void)
{
	int bad = 0;

	for (size_t start = 0; start < 8; start++)
		for (size_t at = 0; at < 70; at++)
			for (size_t n = at; n <= at + 2; n++) {
				void *want = n > at ? dst + start + at : NULL;

				memset(dst, 'a', sizeof(dst));
				dst[start + at] = 0xc3;
				/* c converted to unsigned char: 0x1c3 finds 0xc3 */
				if (p_memchr(dst + start, 0x1c3, n) != want)
					bad++;
			}
	return bad;
}

/* A byte-at-a-time compare that the compiler cannot turn into a routine. */
static int ref_cmp(const uint8_t *a, const uint8_t *b, size_t n)
{
	const volatile uint8_t *va = a, *vb = b;

	for (size_t i = 0; i < n; i++)
		if (va[i] != vb[i])
			return 1;
	return 0;
}

/* up to 20 bytes copied to and from the last bytes of the memory, and set there */
static int small_at_end(uint8_t *end)
{
	int bad = 0;

	for (size_t n = 1; n <= 20; n++) {
		fill(src, 64, (unsigned int)n);
		memset(end - 64, 0xee, 64);
		if (p_memcpy(end - n, src, n) != end - n || ref_cmp(end - n, src, n) ||
		    end[-(long)n - 1] != 0xee)
			bad++;
		memset(dst, 0xee, 64);
		if (p_memcpy(dst + 1, end - n, n) != dst + 1 || ref_cmp(dst + 1, src, n) ||
		    dst[0] != 0xee || dst[n + 1] != 0xee)
			bad++;
		if (p_memset(end - n, 0x3c7, n) != end - n || end[-(long)n - 1] != 0xee)
			bad++;
		for (size_t i = 1; i <= n; i++)
			if (end[-(long)i] != 0xc7)
				bad++;
	}
	return bad;
}

/* strings that end in the last 20 bytes of the memory, and bytes found there */
static int finds_at_end(uint8_t *end)
{
	int bad = 0;

	for (size_t k = 1; k <= 20; k++) {
		uint8_t *a = end - k;

		for (size_t j = 0; j < k; j++) {
			memset(end - 64, 'a', 64);
			a[j] = 0;
			if (p_strlen((char *)a) != j)
				bad++;
			a[j] = 0xc3;
			/* found: n past the byte, up to the memory's end */
			for (size_t n = j + 1; n <= k; n++)
				if (p_memchr(a, 0xc3, n) != a + j)
					bad++;
			/* not found in the range, which ends before the byte */
			for (size_t n = 1; n <= j; n++)
				if (p_memchr(a, 0xc3, n) != NULL)
					bad++;
			/* n past the memory's end, the byte before it */
			if (p_memchr(a, 0xc3, k + 100) != a + j)
				bad++;
		}
	}
	return bad;
}

/* copies of up to 20 bytes onto themselves, shifted by less than their size:
 * wasm-defined (see below), on stderr */
static void small_overlaps(void)
{
	uint32_t h = 2166136261u;

	for (size_t n = 2; n <= 20; n++)
		for (size_t d = 1; d < n; d++) {
			fill(dst, 64, (unsigned int)(n + d));
			p_memcpy(dst + d, dst, n);
			h = (h ^ fnv(dst, 64)) * 16777619u;
			fill(dst, 64, (unsigned int)(n + d));
			p_memcpy(dst, dst + d, n);
			h = (h ^ fnv(dst, 64)) * 16777619u;
		}
	fprintf(stderr, "memcpy small overlaps: %08x\n", h);
}

int main(void)
{
	/* a page of our own at the end of the memory, which malloc never uses */
	uint32_t page = (uint32_t)__builtin_wasm_memory_grow(0, 1);
	uint8_t *top = (uint8_t *)(page * 65536u), *end = top + 65536;
	uint8_t *far = (uint8_t *)0xfffffff0u; /* outside the memory */

	if (page == UINT32_MAX) {
		printf("memory.grow failed\n");
		return 1;
	}
	printf("memcpy sizes and alignments: %d wrong\n", copies());
	printf("memset sizes and alignments: %d wrong\n", sets());
	printf("strlen lengths and alignments: %d wrong\n", lengths());
	printf("memchr positions and sizes: %d wrong\n", finds());

	/*
	 * overlapping copies: wasm-defined, the same bytes in both engines, but
	 * not the same in every wasi-libc (a build with bulk memory copies more
	 * than 32 bytes with memory.copy, as memmove does): on stderr, which the
	 * diff tier compares between the engines and the golden files do not
	 */
	fill(dst, sizeof(dst), 1);
	p_memcpy(dst + 1, dst, 300);
	fprintf(stderr, "memcpy overlap forward by 1: %08x\n", fnv(dst, sizeof(dst)));
	fill(dst, sizeof(dst), 2);
	p_memcpy(dst, dst + 3, 300);
	fprintf(stderr, "memcpy overlap backward by 3: %08x\n", fnv(dst, sizeof(dst)));
	fill(dst, sizeof(dst), 3);
	p_memcpy(dst + 16, dst, 100);
	fprintf(stderr, "memcpy overlap forward by 16: %08x\n", fnv(dst, sizeof(dst)));
	fill(dst, sizeof(dst), 4);
	printf("memcpy onto itself: %s %08x\n", p_memcpy(dst, dst, 200) == dst ? "dst" : "?",
	       fnv(dst, sizeof(dst)));

	/* a zero size touches nothing, wherever the pointers are */
	printf("memcpy 0 bytes outside: %s\n", p_memcpy(far, far - 64, 0) == far ? "dst" : "?");
	printf("memset 0 bytes outside: %s\n", p_memset(far, 1, 0) == far ? "dst" : "?");
	printf("memchr 0 bytes outside: %s\n", p_memchr(far, 1, 0) ? "found" : "NULL");

	/* ranges that end on the memory's last byte */
	fill(src, sizeof(src), 5);
	printf("memcpy to the end: %s %08x\n",
	       p_memcpy(end - 300, src, 300) == end - 300 ? "dst" : "?", fnv(end - 300, 300));
	printf("memcpy from the end: %s %08x\n", p_memcpy(dst, end - 256, 256) == dst ? "dst" : "?",
	       fnv(dst, 256));
	printf("memset to the end: %s %08x\n",
	       p_memset(end - 77, 0x42, 77) == end - 77 ? "dst" : "?", fnv(end - 80, 80));
	memset(top, 'z', 65536);
	end[-1] = 0;
	printf("strlen to the last byte: %zu\n", p_strlen((char *)top + 100));
	printf("strlen of the last byte: %zu\n", p_strlen((char *)end - 1));
	end[-1] = 'q';
	printf("memchr of the last byte: %ld\n",
	       (long)((uint8_t *)p_memchr(top, 'q', 65536) - top));
	printf("memchr to the end, none: %s\n", p_memchr(end - 40, 'x', 40) ? "found" : "NULL");

	/* a size past the memory's end, with the byte before it: found */
	top[5000] = 'y';
	printf("memchr size 2^32-1: %ld\n", (long)((uint8_t *)p_memchr(top, 'y', SIZE_MAX) - top));
	printf("memchr size past the end: %ld\n",
	       (long)((uint8_t *)p_memchr(end - 100, 'q', 1000) - (end - 100)));

	printf("small copies and sets at the end: %d wrong\n", small_at_end(end));
	printf("strlen and memchr at the end: %d wrong\n", finds_at_end(end));
	small_overlaps();
	return 0;
}
