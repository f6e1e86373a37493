// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * log2hist [N]: latency histograms, as runqlat -P or biolatency -D keep them.
 * N synthetic latencies for 64 keys go into per-key log2 histograms (the
 * bit-twiddling log2 of libbpf-tools' bits.bpf.h); every 2^16 events every
 * key's histogram is printed the way libbpf-tools' print_log2_hist() prints
 * (header, "low -> high : count |stars|" lines, snprintf for the numbers)
 * into a buffer standing in for stdout, and the histograms are cleared. The
 * checksum hashes all the text printed.
 */
#include "bench.h"

#define NKEYS 64
#define MAX_SLOTS 27
#define INTERVAL (1L << 16)

static unsigned int hists[NKEYS][MAX_SLOTS];
static struct outbuf out;

static uint32_t log2_u32(uint32_t v)
{
	uint32_t shift, r;

	r = (v > 0xFFFF) << 4;
	v >>= r;
	shift = (v > 0xFF) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xF) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

static uint32_t log2l_u64(uint64_t v)
{
	uint32_t hi = v >> 32;

	return hi ? log2_u32(hi) + 32 : log2_u32(v);
}

static void put_stars(unsigned int val, unsigned int val_max, int width)
{
	int num_stars = (val < val_max ? val : val_max) * (uint64_t)width / val_max;
	char *p = outbuf_room(&out, width + 1);
	int i;

	for (i = 0; i < num_stars; i++)
		*p++ = '*';
	for (; i < width; i++)
		*p++ = ' ';
	if (val > val_max)
		*p++ = '+';
	out.len = p - out.buf;
}

static void put_log2_hist(const unsigned int *vals, int vals_size, const char *val_type)
{
	int idx_max = -1, stars, width, i;
	unsigned int val, val_max = 0;
	unsigned long long low, high;
	char *p;

	for (i = 0; i < vals_size; i++) {
		val = vals[i];
		if (val > 0)
			idx_max = i;
		if (val > val_max)
			val_max = val;
	}
	if (idx_max < 0)
		return;
	p = outbuf_room(&out, 128);
	out.len += snprintf(p, 128, "%*s%-*s : count    distribution\n",
			    idx_max <= 32 ? 5 : 15, "", idx_max <= 32 ? 19 : 29, val_type);
	stars = idx_max <= 32 ? 40 : 20;
	width = idx_max <= 32 ? 10 : 20;
	for (i = 0; i <= idx_max; i++) {
		low = (1ULL << (i + 1)) >> 1;
		high = (1ULL << (i + 1)) - 1;
		if (low == high)
			low -= 1;
		val = vals[i];
		p = outbuf_room(&out, 128);
		out.len += snprintf(p, 128, "%*lld -> %-*lld : %-8d |", width, low, width, high,
				    val);
		put_stars(val, val_max, stars);
		p = outbuf_room(&out, 2);
		memcpy(p, "|\n", 2);
		out.len += 2;
	}
}

static void print_all(void)
{
	char *p;

	for (int k = 0; k < NKEYS; k++) {
		p = outbuf_room(&out, 64);
		out.len += snprintf(p, 64, "\npid = %d\n", 1000 + 37 * k);
		put_log2_hist(hists[k], MAX_SLOTS, "usecs");
	}
	memset(hists, 0, sizeof(hists));
}

static uint64_t run(long n)
{
	uint64_t x = 0x853c49e6748fea9bull;

	memset(hists, 0, sizeof(hists));
	memset(&out, 0, sizeof(out));
	out.hash = 1469598103934665603ull;
	for (long e = 0; e < n; e++) {
		uint64_t lat;
		uint32_t key, slot;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		key = x & (NKEYS - 1);
		/* spread over many slots, most of them in the middle */
		lat = (x >> 40) >> ((x >> 6 & 15) + (x >> 10 & 3));
		slot = log2l_u64(lat);
		if (slot >= MAX_SLOTS)
			slot = MAX_SLOTS - 1;
		hists[key][slot]++;
		if ((e + 1) % INTERVAL == 0)
			print_all();
	}
	print_all();
	return outbuf_sum(&out);
}

BENCH_MAIN(24000000)
