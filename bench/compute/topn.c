// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * topn [N]: a top-style tool's interval, N times: 40k synthetic reads and
 * writes for 8192 files are counted into per-file stats (what filetop or
 * biotop read from their map), the stats are sorted by bytes, largest first,
 * with a qsort-like sort (element size and comparison function as arguments;
 * here rather than in libc so that every build runs the same code), the top 20
 * are printed with snprintf into a buffer standing in for stdout, and the
 * stats are cleared. The checksum hashes all the text printed.
 */
#include "bench.h"

#define NFILES 8192
#define EVENTS 40000
#define TOP 20

struct file_stat {
	uint64_t read_bytes;
	uint64_t write_bytes;
	uint32_t reads;
	uint32_t writes;
	uint32_t pid;
	uint32_t inode;
	char comm[16];
};

typedef int (*cmp_fn)(const void *, const void *);

static struct file_stat stats[NFILES];
static struct file_stat rows[NFILES];
static struct outbuf out;

static const char *const comms[] = {
	"postgres", "rsync", "cc1", "ld", "python3", "java", "nginx", "dd",
};

static int sort_by_bytes(const void *a, const void *b)
{
	const struct file_stat *x = a, *y = b;
	uint64_t s = x->read_bytes + x->write_bytes, t = y->read_bytes + y->write_bytes;

	if (s != t)
		return s < t ? 1 : -1;
	/* ties in a fixed order, so that every build prints the same */
	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static void swap_elems(char *a, char *b, size_t size)
{
	char tmp[64];

	memcpy(tmp, a, size);
	memcpy(a, b, size);
	memcpy(b, tmp, size);
}

static void sort_elems(char *v, size_t n, size_t size, cmp_fn cmp)
{
	char pivot[64];

	while (n > 12) {
		size_t m = n / 2, i = 0, j = n - 1;

		if (cmp(v + m * size, v) < 0)
			swap_elems(v + m * size, v, size);
		if (cmp(v + (n - 1) * size, v + m * size) < 0)
			swap_elems(v + (n - 1) * size, v + m * size, size);
		if (cmp(v + m * size, v) < 0)
			swap_elems(v + m * size, v, size);
		memcpy(pivot, v + m * size, size);
		for (;;) {
			while (cmp(v + i * size, pivot) < 0)
				i++;
			while (cmp(pivot, v + j * size) < 0)
				j--;
			if (i >= j)
				break;
			swap_elems(v + i++ * size, v + j-- * size, size);
		}
		if (j + 1 < n - j - 1) {
			sort_elems(v, j + 1, size, cmp);
			v += (j + 1) * size;
			n -= j + 1;
		} else {
			sort_elems(v + (j + 1) * size, n - j - 1, size, cmp);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && cmp(v + k * size, v + (k - 1) * size) < 0; k--)
			swap_elems(v + k * size, v + (k - 1) * size, size);
}

static uint64_t run(long n)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char *p;

	memset(&out, 0, sizeof(out));
	out.hash = 1469598103934665603ull;
	for (long r = 0; r < n; r++) {
		size_t nrows = 0;

		memset(stats, 0, sizeof(stats));
		for (long e = 0; e < EVENTS; e++) {
			struct file_stat *s;
			uint32_t f;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* a few busy files, many quiet ones */
			f = (x >> 32) % NFILES;
			if (x & 1)
				f &= 255;
			s = &stats[f];
			if (!s->inode) {
				s->inode = 100000 + f * 7;
				s->pid = 300 + f % 997;
				memcpy(s->comm, comms[f & 7], strlen(comms[f & 7]) + 1);
			}
			if (x & 2) {
				s->writes++;
				s->write_bytes += (x >> 8 & 63) * 512;
			} else {
				s->reads++;
				s->read_bytes += (x >> 8 & 255) * 64;
			}
		}
		/* the rows a tool gets from its map: the files seen this interval */
		for (uint32_t f = 0; f < NFILES; f++)
			if (stats[f].inode)
				rows[nrows++] = stats[f];
		sort_elems((char *)rows, nrows, sizeof(rows[0]), sort_by_bytes);
		p = outbuf_room(&out, 128);
		out.len += snprintf(p, 128, "%-7s %-16s %-6s %-6s %-7s %-7s %s\n", "TID", "COMM",
				    "READS", "WRITES", "R_Kb", "W_Kb", "INODE");
		for (size_t i = 0; i < TOP && i < nrows; i++) {
			const struct file_stat *s = &rows[i];

			p = outbuf_room(&out, 128);
			out.len += snprintf(p, 128, "%-7u %-16s %-6u %-6u %-7llu %-7llu %u\n",
					    s->pid, s->comm, s->reads, s->writes,
					    (unsigned long long)s->read_bytes / 1024,
					    (unsigned long long)s->write_bytes / 1024, s->inode);
		}
	}
	return outbuf_sum(&out);
}

BENCH_MAIN(250)
