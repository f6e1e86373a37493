// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench-check: what the child-process check of a BPF object costs.
 *
 * Usage: bench-check OBJ [N]
 *   runs the runtime's check (runtime/bpf/check.c) on OBJ N times (default
 *   200), 10 ms apart as a program's start-up would see it (the children of
 *   the check before have exited): through the object checker
 *   (wbpf_bpf_checker_start(), as the engines run it), then with the
 *   checker stopped (a child forked by this process per check, the
 *   fallback); then bpf_object__open_mem() + close in this process N times.
 *   Prints the median and interquartile range of each in microseconds, and
 *   the check's verdict. This process is small: the fallback's fork costs
 *   more in a program, whose guest memory it copies.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bpf-priv.h"

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static long long cpu_ns(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* "median M us [Q1, Q3], min" of n times in ns, sorted in place */
static void summary(const char *what, long long *t, long n)
{
	qsort(t, n, sizeof(*t), cmp_ll);
	printf("  %s: median %lld us [IQR %lld-%lld], min %lld us\n", what, t[n / 2] / 1000,
	       t[n / 4] / 1000, t[(3 * n) / 4] / 1000, t[0] / 1000);
}

/* n checks of [buf, buf + size), 10 ms apart; the last one's verdict */
static int checks(const char *what, const char *buf, size_t size, long long *times, long n,
		  char *reason, size_t reason_sz)
{
	long long t0, cpu_self = cpu_ns(RUSAGE_SELF), cpu_children = cpu_ns(RUSAGE_CHILDREN);
	int err = 0;
	long i;

	for (i = 0; i < n; i++) {
		usleep(10000);
		t0 = now_ns();
		err = wbpf_bpf_check_object(buf, size, "bench", false, NULL, reason, reason_sz);
		times[i] = now_ns() - t0;
	}
	summary(what, times, n);
	printf("    CPU time per check: this process %lld us, its reaped children %lld us\n",
	       (cpu_ns(RUSAGE_SELF) - cpu_self) / n / 1000,
	       (cpu_ns(RUSAGE_CHILDREN) - cpu_children) / n / 1000);
	return err;
}

int main(int argc, char **argv)
{
	char reason[256] = "";
	long long t0, *times;
	long n = argc > 2 ? strtol(argv[2], NULL, 0) : 200, i;
	size_t size = 0, cap = 0;
	char *buf = NULL;
	FILE *f;
	int err;

	if (argc < 2 || n <= 0) {
		fprintf(stderr, "usage: bench-check OBJ [N]\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "bench-check: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (;;) {
		if (size == cap && !(buf = realloc(buf, cap = cap ? cap * 2 : 65536)))
			return 1;
		size_t got = fread(buf + size, 1, cap - size, f);

		if (!got)
			break;
		size += got;
	}
	fclose(f);
	libbpf_set_print(quiet);

	times = calloc(n, sizeof(*times));
	if (!times)
		return 1;
	printf("%s: %zu bytes, %ld runs\n", argv[1], size, n);
	err = wbpf_bpf_checker_start();
	if (err) {
		fprintf(stderr, "bench-check: cannot start the checker: %s\n", strerror(-err));
		return 1;
	}
	err = checks("check by the checker", buf, size, times, n, reason, sizeof(reason));
	if (!wbpf_bpf_check_by_checker()) {
		fprintf(stderr, "bench-check: the checks did not go through the checker\n");
		return 1;
	}
	wbpf_bpf_checker_stop();
	if (checks("check in a child forked per check", buf, size, times, n, reason,
		   sizeof(reason)) != err) {
		fprintf(stderr, "bench-check: the two checks disagree\n");
		return 1;
	}
	while (wait(NULL) > 0) /* the last child, unreaped by design */
		;
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		bpf_object__close(bpf_object__open_mem(buf, size, NULL));
		times[i] = now_ns() - t0;
	}
	summary("open in-process", times, n);
	printf("  verdict: %s%s\n", err ? "refused: " : "ok", reason);
	free(times);
	free(buf);
	return 0;
}
