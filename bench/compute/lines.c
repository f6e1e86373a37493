// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lines [N]: event lines, as execsnoop or opensnoop print them. N synthetic
 * events (time, comm, pid, ppid, return value, path) are formatted with
 * snprintf("%-8s %-16s %-7d %-7d %3d %s\n") into a buffer standing in for
 * stdout; the checksum hashes all the text. lines_hand.c builds the very same
 * bytes without printf (copies, padding and integer-to-string by hand), so the
 * difference of the two is the cost of the libc's printf.
 */
#include "bench.h"

#ifndef LINES_BY_HAND
#define LINES_BY_HAND 0
#endif

static const char *const comms[] = {
	"bash", "sshd", "systemd", "kworker/u4:2", "python3", "node", "cc1", "make",
	"git", "postgres", "nginx", "containerd-shim", "cron", "systemd-journal", "ld", "as",
};

static const char *const dirs[] = {
	"/usr/lib/x86_64-linux-gnu/", "/etc/", "/proc/self/", "/var/log/", "/tmp/",
	"/home/user/src/project/", "/sys/fs/cgroup/", "/dev/",
};

static const char *const files[] = {
	"libc.so.6", "ld.so.cache", "status", "syslog", "ccA8x2Qd.s", "main.c",
	"memory.max", "null",
};

static char paths[64][64];
static struct outbuf out;

#if LINES_BY_HAND
static char *put_pad(char *p, const char *s, int width)
{
	int len = strlen(s);

	memcpy(p, s, len);
	p += len;
	for (; len < width; len++)
		*p++ = ' ';
	return p;
}

/* v in decimal, right-aligned in width (left-aligned if left) */
static char *put_int(char *p, int v, int width, int left)
{
	char digits[12], *d = digits + sizeof(digits);
	unsigned int u = v < 0 ? -(unsigned int)v : (unsigned int)v;
	int len;

	do {
		*--d = '0' + u % 10;
		u /= 10;
	} while (u);
	if (v < 0)
		*--d = '-';
	len = digits + sizeof(digits) - d;
	if (!left)
		for (; width > len; width--)
			*p++ = ' ';
	memcpy(p, d, len);
	p += len;
	if (left)
		for (; width > len; width--)
			*p++ = ' ';
	return p;
}

static void put_line(const char *ts, const char *comm, int pid, int ppid, int ret,
		     const char *path)
{
	char *p = outbuf_room(&out, 256), *start = p;

	p = put_pad(p, ts, 8);
	*p++ = ' ';
	p = put_pad(p, comm, 16);
	*p++ = ' ';
	p = put_int(p, pid, 7, 1);
	*p++ = ' ';
	p = put_int(p, ppid, 7, 1);
	*p++ = ' ';
	p = put_int(p, ret, 3, 0);
	*p++ = ' ';
	p = put_pad(p, path, 0);
	*p++ = '\n';
	out.len += p - start;
}
#else
static void put_line(const char *ts, const char *comm, int pid, int ppid, int ret,
		     const char *path)
{
	char *p = outbuf_room(&out, 256);

	out.len += snprintf(p, 256, "%-8s %-16s %-7d %-7d %3d %s\n", ts, comm, pid, ppid, ret,
			    path);
}
#endif

static uint64_t run(long n)
{
	uint64_t x = 0xda942042e4dd58b5ull, sec = 12 * 3600 + 34 * 60;
	char ts[9];

	memset(&out, 0, sizeof(out));
	out.hash = 1469598103934665603ull;
	for (int i = 0; i < 64; i++) {
		size_t d = strlen(dirs[i / 8]), f = strlen(files[i % 8]);

		memcpy(paths[i], dirs[i / 8], d);
		memcpy(paths[i] + d, files[i % 8], f + 1);
	}
	for (long e = 0; e < n; e++) {
		int pid, ppid, ret;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if ((x & 255) == 0)
			sec++;
		ts[0] = '0' + sec / 36000 % 10;
		ts[1] = '0' + sec / 3600 % 10;
		ts[2] = ':';
		ts[3] = '0' + sec / 600 % 6;
		ts[4] = '0' + sec / 60 % 10;
		ts[5] = ':';
		ts[6] = '0' + sec / 10 % 6;
		ts[7] = '0' + sec % 10;
		ts[8] = 0;
		/* pids of 1 to 7 digits, mostly 4 to 6 */
		pid = 1 + (x >> 40) % ((x >> 8 & 3) ? 400000u : 4000000u);
		ppid = (x >> 12 & 7) ? 1 + (x >> 20) % 65536 : 1;
		ret = (x >> 16 & 3) ? (int)(x >> 24 & 1023) % 300 : -(int)(x >> 26 & 31);
		put_line(ts, comms[x >> 4 & 15], pid, ppid, ret, paths[x >> 56 & 63]);
	}
	return outbuf_sum(&out);
}

BENCH_MAIN(1500000)
