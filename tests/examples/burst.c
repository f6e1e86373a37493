// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * burst: many events for a stalled tool, fast.
 *   burst exits N            N processes (vfork) that exit at once: N exits
 *                            named after this program (bootstrap's EXIT)
 *   burst execs N PATH ARG.. N execve(PATH, ARGS) calls from this process,
 *                            on CPU 0; PATH must not exist, so each fails
 *                            (execsnoop -x reports each)
 * Prints the number of events it caused.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 0, i, done = 0;
	cpu_set_t one;
	pid_t pid;

	if (argc > 2 && strcmp(argv[1], "exits") == 0) {
		for (i = 0; i < n; i++) {
			pid = vfork();
			if (pid == 0)
				_exit(0);
			if (pid > 0 && waitpid(pid, NULL, 0) == pid)
				done++;
		}
	} else if (argc > 3 && strcmp(argv[1], "execs") == 0) {
		CPU_ZERO(&one);
		CPU_SET(0, &one);
		sched_setaffinity(0, sizeof(one), &one);
		for (i = 0; i < n; i++)
			if (execv(argv[3], argv + 3) < 0)
				done++;
	} else {
		fprintf(stderr, "usage: burst exits N | burst execs N PATH [ARG...]\n");
		return 2;
	}
	printf("%ld\n", done);
	return 0;
}
