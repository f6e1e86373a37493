// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Copyright (c) 2020 Facebook */
/*
 * bootstrap: trace process exec and exit (libbpf-bootstrap's bootstrap,
 * ported to a Wasm-eBPF guest: getopt_long for argp, bpf_buffer for
 * ring_buffer, and the poll loop ends on -EINTR, which is how the host
 * reports SIGINT/SIGTERM to a guest).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include "bootstrap.h"
#include "bootstrap.skel.h"
#include "tool_helpers.h"

static struct env {
	bool verbose;
	long min_duration_ms;
} env;

static const struct wbpf_tool tool = {
	.name = "bootstrap",
	.version = "bootstrap 0.0",
	.bug_address = "<bpf@vger.kernel.org>",
	.doc = "BPF bootstrap demo application.\n"
	       "\n"
	       "It traces process start and exits and shows associated \n"
	       "information (filename, process duration, PID and PPID, etc).\n"
	       "\n"
	       "USAGE: ./bootstrap [-d <min-duration-ms>] [-v]\n"
	       "\n"
	       "EXAMPLES:\n"
	       "    bootstrap           # trace every exec and exit\n"
	       "    bootstrap -d 500    # only exits of processes that lived 500 ms or more\n",
	.options = "OPTIONS:\n"
		   "  -d, --duration=DURATION-MS   Minimum process duration (ms) to report\n"
		   "  -v, --verbose                Verbose debug output\n"
		   "  -h, --help                   Give this help list\n"
		   "  -V, --version                Print program version\n",
	.verbose = &env.verbose,
};

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"duration", required_argument, NULL, 'd'},
		WBPF_TOOL_COMMON_OPTIONS,
	};
	long long v;
	int c;

	while ((c = wbpf_tool_getopt(&tool, argc, argv, "vd:hV", opts)) != -1) {
		switch (c) {
		case 'd':
			if (wbpf_parse_number(optarg, 1, INT32_MAX, &v))
				return wbpf_tool_usage_error("bootstrap", "Invalid duration",
							     optarg);
			env.min_duration_ms = v;
			break;
		}
	}
	if (optind < argc)
		return wbpf_tool_usage_error("bootstrap", "Unexpected argument", argv[optind]);
	return 0;
}

static int handle_event(void *ctx, void *data, size_t data_sz)
{
	const struct event *e = data;
	char ts[32];

	if (wbpf_tool_short_event(data_sz, sizeof(*e)))
		return 0;

	wbpf_tool_time_hms(ts, sizeof(ts));

	if (e->exit_event) {
		printf("%-8s %-5s %-16s %-7d %-7d [%u]", ts, "EXIT", e->comm, e->pid, e->ppid,
		       e->exit_code);
		if (e->duration_ns)
			printf(" (%llums)", e->duration_ns / 1000000);
		printf("\n");
	} else {
		printf("%-8s %-5s %-16s %-7d %-7d %s\n", ts, "EXEC", e->comm, e->pid, e->ppid,
		       e->filename);
	}

	return 0;
}

/*
 * Events the BPF side dropped because the ring buffer was full (counted by
 * wbpf_ringbuf_reserve(), wbpf-drops.bpf.h): with -v, on stderr as soon as
 * the count grows, after each poll; at exit, on stderr if any were dropped
 * (or with -v).
 */
static void report_drops(struct bootstrap_bpf *skel, bool at_exit)
{
	static unsigned long long seen;
	unsigned long long n;

	if (bootstrap_bpf__pull_globals(skel))
		return;
	n = skel->bss->wbpf_ringbuf_drops;
	if (env.verbose && n > seen)
		fprintf(stderr, "bootstrap: %llu events dropped, ring buffer full\n", n - seen);
	seen = n;
	if (at_exit)
		wbpf_tool_report_drops("bootstrap", n, "ring buffer", env.verbose);
}

static void report_new_drops(void *skel)
{
	report_drops(skel, false);
}

int main(int argc, char **argv)
{
	struct bpf_buffer *rb = NULL;
	struct bootstrap_bpf *skel;
	int err;

	/* Parse command line arguments */
	err = parse_args(argc, argv);
	if (err)
		return err;

	/* Load and verify BPF application */
	skel = bootstrap_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open and load BPF skeleton\n");
		return 1;
	}

	/* Parameterize BPF code with minimum duration parameter */
	skel->rodata->min_duration_ns = env.min_duration_ms * 1000000ULL;

	/* Load & verify BPF programs */
	err = bootstrap_bpf__load(skel);
	if (err) {
		fprintf(stderr, "Failed to load and verify BPF skeleton\n");
		goto cleanup;
	}

	/* Attach tracepoints */
	err = bootstrap_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach BPF skeleton\n");
		goto cleanup;
	}

	/* Set up ring buffer polling */
	rb = bpf_buffer__open(skel->maps.rb, handle_event, NULL);
	if (!rb) {
		err = -1;
		fprintf(stderr, "Failed to create ring buffer\n");
		goto cleanup;
	}
	if (env.verbose)
		fprintf(stderr, "bootstrap: min_duration_ns=%llu, ring buffer fd %d\n",
			(unsigned long long)skel->rodata->min_duration_ns,
			bpf_map__fd(skel->maps.rb));

	/* Process events */
	printf("%-8s %-5s %-16s %-7s %-7s %s\n", "TIME", "EVENT", "COMM", "PID", "PPID",
	       "FILENAME/EXIT CODE");
	/* until Ctrl-C */
	err = wbpf_tool_poll(rb, 0, env.verbose ? report_new_drops : NULL, skel);
	if (err < 0)
		printf("Error polling perf buffer: %d\n", err);
	report_drops(skel, true);

cleanup:
	/* Clean up */
	bpf_buffer__free(rb);
	bootstrap_bpf__destroy(skel);

	return err < 0 ? -err : 0;
}
