/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * SIGINT while the guest waits in a loop. "ready" on stderr tells the test
 * the loop has started. Each wait is long (10 s), so only an interrupted wait
 * lets the program end before the runtime's grace period.
 *   nanosleep  a loop that stops when nanosleep fails; wasi-libc reports every
 *              failure of the underlying poll_oneoff as ENOTSUP, EINTR included
 *   poll       the same with poll(NULL, 0, ms), which passes EINTR through
 *   read       a blocking read of stdin (a pipe nobody writes to)
 *   ignores    a loop that ignores nanosleep's result: the runtime ends it
 *              after its grace period, exit 130; output flushed before is kept
 *   spins      a loop that never calls the host: same as ignores
 * The first three print 2000 lines first (most of them still in the guest's
 * stdio buffer when the signal comes): all must reach stdout.
 */
#include <poll.h>
#include <unistd.h>

#include "wt.h"

volatile unsigned long spin;

static void prelude(void)
{
	for (int i = 0; i < 2000; i++)
		printf("line %04d printed before the loop\n", i);
	fprintf(stderr, "ready\n");
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	struct timespec ts = {.tv_sec = 10, .tv_nsec = 0};
	long long t0;
	char c;

	if (!strcmp(m, "nanosleep")) {
		prelude();
		for (int i = 0; i < 3; i++) {
			if (nanosleep(&ts, NULL) < 0) {
				printf("nanosleep interrupted: %s\n", errname(errno));
				break;
			}
		}
		t0 = mono_ns();
		report("the next nanosleep(10 s)", nanosleep(&ts, NULL));
		printf("it returned at once: %s\n", yesno(mono_ns() - t0 < 1000000000LL));
		printf("clean exit after the loop");
		return 0;
	}
	if (!strcmp(m, "poll")) {
		prelude();
		for (int i = 0; i < 3; i++) {
			if (poll(NULL, 0, 10000) < 0) {
				printf("poll interrupted: %s\n", errname(errno));
				break;
			}
		}
		t0 = mono_ns();
		report("the next poll(10 s)", poll(NULL, 0, 10000));
		printf("it returned at once: %s\n", yesno(mono_ns() - t0 < 1000000000LL));
		printf("clean exit after the loop");
		return 0;
	}
	if (!strcmp(m, "read")) {
		prelude();
		report("read(stdin)", read(0, &c, 1));
		printf("clean exit after the read");
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
