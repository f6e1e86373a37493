// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Copyright (c) 2020 Wenbo Zhang
/*
 * runqlat: summarize run queue (scheduler) latency as a histogram
 * (libbpf-tools' runqlat, based on runqlat(8) from BCC by Brendan Gregg,
 * ported to a Wasm-eBPF guest: getopt_long for argp, and the interval loop
 * ends when the sleep fails, which is how a guest notices SIGINT/SIGTERM:
 * wasi-libc reports an interrupted nanosleep() as an error, ENOTSUP).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "runqlat.h"
#include "runqlat.skel.h"
#include "tool_helpers.h"
#include "trace_helpers.h"

_Static_assert(sizeof(struct hist) == MAX_SLOTS * 4 + TASK_COMM_LEN, "struct hist layout");

#define OPT_PIDNSS 1 /* --pidnss */

static struct env {
	long interval;
	int pid;
	long times;
	bool milliseconds;
	bool per_process;
	bool per_thread;
	bool per_pidns;
	bool timestamp;
	bool verbose;
} env = {
	.interval = 99999999,
	.times = 99999999,
};

static const struct wbpf_tool tool = {
	.name = "runqlat",
	.version = "runqlat 0.1",
	.bug_address = "<bpf@vger.kernel.org>",
	.doc = "Summarize run queue (scheduler) latency as a histogram.\n"
	       "\n"
	       "USAGE: runqlat [--help] [-T] [-m] [--pidnss] [-L] [-P] [-p PID] "
	       "[interval] [count]\n"
	       "\n"
	       "EXAMPLES:\n"
	       "    runqlat         # summarize run queue latency as a histogram\n"
	       "    runqlat 1 10    # print 1 second summaries, 10 times\n"
	       "    runqlat -mT 1   # 1s summaries, milliseconds, and timestamps\n"
	       "    runqlat -P      # show each PID separately\n"
	       "    runqlat -p 185  # trace PID 185 only\n",
	.options = "OPTIONS:\n"
		   "  -m, --milliseconds           Millisecond histogram\n"
		   "  -p, --pid=PID                Trace this PID only\n"
		   "  -P, --pids                   Print a histogram per process ID\n"
		   "  -L, --tids                   Print a histogram per thread ID\n"
		   "      --pidnss                 Print a histogram per PID namespace\n"
		   "  -T, --timestamp              Include timestamp on output\n"
		   "  -v, --verbose                Verbose debug output\n"
		   "  -h, --help                   Give this help list\n"
		   "  -V, --version                Print program version\n",
	.verbose = &env.verbose,
};

/* a whole positive decimal number no larger than max, or -1 */
static long parse_num(const char *s, long max)
{
	long long v;

	return wbpf_parse_number(s, 1, max, &v) ? -1 : (long)v;
}

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"timestamp", no_argument, NULL, 'T'},
		{"milliseconds", no_argument, NULL, 'm'},
		{"pidnss", no_argument, NULL, OPT_PIDNSS},
		{"pids", no_argument, NULL, 'P'},
		{"tids", no_argument, NULL, 'L'},
		{"pid", required_argument, NULL, 'p'},
		WBPF_TOOL_COMMON_OPTIONS,
	};
	long v;
	int c;

	while ((c = wbpf_tool_getopt(&tool, argc, argv, "TmPLp:vhV", opts)) != -1) {
		switch (c) {
		case 'm':
			env.milliseconds = true;
			break;
		case 'p':
			v = parse_num(optarg, 0x7fffffff);
			if (v < 0)
				return wbpf_tool_usage_error("runqlat", "invalid PID", optarg);
			env.pid = v;
			break;
		case 'L':
			env.per_thread = true;
			break;
		case 'P':
			env.per_process = true;
			break;
		case OPT_PIDNSS:
			env.per_pidns = true;
			break;
		case 'T':
			env.timestamp = true;
			break;
		}
	}
	if (optind < argc) {
		env.interval = parse_num(argv[optind], 99999999);
		if (env.interval < 0)
			return wbpf_tool_usage_error("runqlat", "invalid interval", argv[optind]);
		optind++;
	}
	if (optind < argc) {
		env.times = parse_num(argv[optind], 99999999);
		if (env.times < 0)
			return wbpf_tool_usage_error("runqlat", "invalid times", argv[optind]);
		optind++;
	}
	if (optind < argc)
		return wbpf_tool_usage_error("runqlat", "unrecognized positional argument",
					     argv[optind]);
	if ((env.per_thread && (env.per_process || env.per_pidns)) ||
	    (env.per_process && env.per_pidns)) {
		fprintf(stderr, "pidnss, pids, tids cann't be used together.\n");
		return 2;
	}
	return 0;
}

static int print_log2_hists(struct bpf_map *hists)
{
	const char *units = env.milliseconds ? "msecs" : "usecs";
	int err, fd = bpf_map__fd(hists);
	unsigned int lookup_key, next_key;
	unsigned int *prev = NULL;
	struct hist hist;

	while (!bpf_map_get_next_key(fd, prev, &next_key)) {
		err = bpf_map_lookup_elem(fd, &next_key, &hist);
		if (err < 0) {
			fprintf(stderr, "failed to lookup hist: %d\n", err);
			return -1;
		}
		if (env.per_process)
			printf("\npid = %d %s\n", next_key, hist.comm);
		else if (env.per_thread)
			printf("\ntid = %d %s\n", next_key, hist.comm);
		else if (env.per_pidns)
			printf("\npidns = %u %s\n", next_key, hist.comm);
		print_log2_hist(hist.slots, MAX_SLOTS, units);
		lookup_key = next_key;
		prev = &lookup_key;
	}

	prev = NULL;
	while (!bpf_map_get_next_key(fd, prev, &next_key)) {
		err = bpf_map_delete_elem(fd, &next_key);
		if (err < 0) {
			fprintf(stderr, "failed to cleanup hist : %d\n", err);
			return -1;
		}
		lookup_key = next_key;
		prev = &lookup_key;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct runqlat_bpf *obj;
	bool stop = false;
	char ts[32];
	int err;

	err = parse_args(argc, argv);
	if (err)
		return err;

	obj = runqlat_bpf__open();
	if (!obj) {
		fprintf(stderr, "failed to open BPF object\n");
		return 1;
	}

	/* initialize global data (filtering options) */
	obj->rodata->targ_per_process = env.per_process;
	obj->rodata->targ_per_thread = env.per_thread;
	obj->rodata->targ_per_pidns = env.per_pidns;
	obj->rodata->targ_ms = env.milliseconds;
	obj->rodata->targ_tgid = env.pid;

	err = runqlat_bpf__load(obj);
	if (err) {
		fprintf(stderr, "failed to load BPF object: %d\n", err);
		goto cleanup;
	}

	err = runqlat_bpf__attach(obj);
	if (err) {
		fprintf(stderr, "failed to attach BPF programs\n");
		goto cleanup;
	}

	printf("Tracing run queue latency... Hit Ctrl-C to end.\n");
	fflush(stdout);

	while (1) {
		/* after Ctrl-C: print what was gathered so far and stop, as the original does */
		stop = !wbpf_tool_sleep(env.interval);
		printf("\n");

		if (env.timestamp) {
			wbpf_tool_time_hms(ts, sizeof(ts));
			printf("%-8s\n", ts);
		}

		err = print_log2_hists(obj->maps.hists);
		fflush(stdout);
		if (err)
			break;

		if (stop || --env.times == 0)
			break;
	}

cleanup:
	runqlat_bpf__destroy(obj);

	return err != 0;
}
