/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Clocks move forward and agree with the host. argv[1]: the host's
 * `date +%s` taken just before the run.
 */
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

#include "wt.h"

static long long ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

int main(int argc, char **argv)
{
	struct timespec m0, m1, r0, r1, res;
	struct timespec nap = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};
	long long host = argc > 1 ? atoll(argv[1]) : 0;
	struct timeval tv;
	time_t t;

	if (clock_gettime(CLOCK_MONOTONIC, &m0) || clock_gettime(CLOCK_REALTIME, &r0)) {
		perror("clock_gettime");
		return 1;
	}
	nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &m1);
	clock_gettime(CLOCK_REALTIME, &r1);
	printf("monotonic moved forward: %s\n", yesno(ns(&m1) > ns(&m0)));
	printf("monotonic moved at least 5 ms: %s\n", yesno(ns(&m1) - ns(&m0) >= 5000000));
	printf("realtime moved forward: %s\n", yesno(ns(&r1) > ns(&r0)));
	printf("realtime within 5 s of host date: %s\n",
	       yesno(llabs((long long)r0.tv_sec - host) <= 5));
	printf("realtime after 2020: %s\n", yesno(r0.tv_sec > 1577836800));

	res.tv_sec = -1;
	res.tv_nsec = -1;
	report("clock_getres(CLOCK_MONOTONIC)", clock_getres(CLOCK_MONOTONIC, &res));
	printf("monotonic resolution in (0, 1 ms]: %s\n",
	       yesno(ns(&res) > 0 && ns(&res) <= 1000000));
	res.tv_sec = -1;
	res.tv_nsec = -1;
	report("clock_getres(CLOCK_REALTIME)", clock_getres(CLOCK_REALTIME, &res));
	printf("realtime resolution in (0, 1 ms]: %s\n",
	       yesno(ns(&res) > 0 && ns(&res) <= 1000000));

	t = time(NULL);
	gettimeofday(&tv, NULL);
	printf("time() agrees with realtime: %s\n", yesno(llabs((long long)t - r1.tv_sec) <= 1));
	printf("gettimeofday() agrees with realtime: %s\n",
	       yesno(llabs((long long)tv.tv_sec - r1.tv_sec) <= 1));
	return 0;
}
