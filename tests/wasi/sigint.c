/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * SIGINT while the guest sleeps in a loop. "ready" on stderr tells the test
 * the loop has started.
 *   checks   a loop that checks nanosleep's result: EINTR ends it and main
 *            returns 0; the 2000 lines printed before (most still in the
 *            guest's stdio buffer) must all reach stdout
 *   ignores  a loop that ignores nanosleep's result: the runtime ends it
 *            after its grace period, exit 130; output flushed before is kept
 *   spins    a loop that never calls the host: same as ignores
 */
#include <unistd.h>

#include "wt.h"

volatile unsigned long spin;

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 100 * 1000 * 1000 };

	if (!strcmp(m, "checks")) {
		for (int i = 0; i < 2000; i++)
			printf("line %04d printed before the loop\n", i);
		fprintf(stderr, "ready\n");
		for (int i = 0; i < 300; i++) {
			if (nanosleep(&ts, NULL) < 0) {
				printf("nanosleep: %s\n", errname(errno));
				if (errno == EINTR)
					break;
			}
		}
		printf("clean exit after the loop");
		return 0;
	}
	if (!strcmp(m, "ignores")) {
		printf("flushed before the loop\n");
		fflush(stdout);
		fprintf(stderr, "ready\n");
		for (;;)
			nanosleep(&ts, NULL);
	}
	if (!strcmp(m, "spins")) {
		printf("flushed before the loop\n");
		fflush(stdout);
		fprintf(stderr, "ready\n");
		for (;;)
			spin++;
	}
	printf("unknown mode\n");
	return 2;
}
