// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A process for the bpf tier to watch: child MS CODE sleeps MS ms, exits CODE. */
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec ts;
	long ms;

	if (argc != 3)
		return 99;
	ms = atol(argv[1]);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	return atoi(argv[2]);
}
