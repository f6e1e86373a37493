// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * load MS [ARG...]: sleep 1 ms at a time and yield for MS milliseconds,
 * causing wakeups (run queue latency) and an exec with known arguments.
 */
#include <sched.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec t0, now, ms = {.tv_nsec = 1000000};
	long limit = argc > 1 ? atol(argv[1]) : 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 >= limit)
			break;
		nanosleep(&ms, NULL);
		sched_yield();
	}
	return 0;
}
