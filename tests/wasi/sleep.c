/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Each way of sleeping sleeps at least as long as asked (monotonic clock). */
#include <poll.h>
#include <unistd.h>

#include "wt.h"

static void check(const char *what, long long t0, long long want_ms)
{
	long long ms = (mono_ns() - t0) / 1000000;

	printf("%s: slept at least %lld ms: %s, less than 2 s: %s\n", what, want_ms,
	       yesno(ms >= want_ms), yesno(ms < 2000));
}

int main(void)
{
	struct timespec ts = {.tv_sec = 0, .tv_nsec = 200 * 1000 * 1000};
	long long t0;

	t0 = mono_ns();
	report("nanosleep(200 ms)", nanosleep(&ts, NULL));
	check("nanosleep(200 ms)", t0, 200);

	t0 = mono_ns();
	report("usleep(100000)", usleep(100000));
	check("usleep(100000)", t0, 100);

	t0 = mono_ns();
	report("poll(NULL, 0, 100)", poll(NULL, 0, 100));
	check("poll(NULL, 0, 100)", t0, 100);

	t0 = mono_ns();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 100 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_nsec -= 1000000000;
		ts.tv_sec++;
	}
	/* clock_nanosleep returns the error number, not -1 */
	printf("clock_nanosleep(TIMER_ABSTIME, now + 100 ms) returned %d\n",
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL));
	check("clock_nanosleep(TIMER_ABSTIME, now + 100 ms)", t0, 100);

	t0 = mono_ns();
	ts.tv_sec = 0;
	ts.tv_nsec = 0;
	report("nanosleep(0)", nanosleep(&ts, NULL));
	printf("nanosleep(0) returned within 100 ms: %s\n", yesno(mono_ns() - t0 < 100000000));
	return 0;
}
