/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reads stdin.
 *   stdin all    read to EOF; print byte and line counts and a checksum
 *   stdin poll   poll() fd 0 until data arrives (it comes late), then read it
 *   stdin block  a blocking read() that waits for late data
 */
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

#include "wt.h"

static int read_all(void)
{
	char buf[4096], first[64] = "";
	uint32_t h = 2166136261u;
	long long bytes = 0, lines = 0;
	size_t fl = 0;
	int in_first = 1;
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			h = (h ^ (uint8_t)buf[i]) * 16777619u;
			if (buf[i] == '\n') {
				lines++;
				in_first = 0;
			} else if (in_first && fl < sizeof(first) - 1) {
				first[fl++] = buf[i];
			}
		}
		bytes += n;
	}
	if (n < 0)
		printf("read: %s\n", errname(errno));
	printf("bytes=%lld lines=%lld fnv1a=%08x first=[%s]\n", bytes, lines, h, first);
	return n < 0;
}

static void read_line(long long t0)
{
	char buf[64];
	ssize_t n;

	memset(buf, 0, sizeof(buf));
	n = read(0, buf, sizeof(buf) - 1);
	printf("read returned %zd: [%s]\n", n, n > 0 ? buf : "");
	printf("waited for the data (>= 150 ms): %s\n", yesno(mono_ns() - t0 >= 150000000));
	n = read(0, buf, sizeof(buf) - 1);
	printf("then read returned %zd (EOF)\n", n);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "all";
	long long t0 = mono_ns();

	if (!strcmp(mode, "all"))
		return read_all();
	if (!strcmp(mode, "poll")) {
		struct pollfd p = {.fd = 0, .events = POLLIN};
		int r = poll(&p, 1, 5000);

		printf("poll returned %d, POLLIN set: %s\n", r, yesno(p.revents & POLLIN));
		read_line(t0);
		return 0;
	}
	if (!strcmp(mode, "block")) {
		read_line(t0);
		return 0;
	}
	printf("unknown mode %s\n", mode);
	return 2;
}
