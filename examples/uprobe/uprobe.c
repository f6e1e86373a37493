// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * uprobe: trace the calls of one function of a user-space binary, with its
 * first two arguments and its return value (libbpf-bootstrap's uprobe
 * example, generalised to any BINARY and FUNCTION given on the command
 * line), as a Wasm-eBPF guest. Both programs get the attach target
 * "BINARY:FUNCTION" before the skeleton attaches them; a ring buffer brings
 * the events, and the poll loop ends on -EINTR, which is how the host
 * reports SIGINT/SIGTERM to a guest.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "uprobe.h"
#include "uprobe.skel.h"
#include "tool_helpers.h"

_Static_assert(sizeof(struct event) == 56, "struct event layout");

#define PROG "uprobe"

static struct env {
	int pid;
	bool int32; /* show values as 32-bit ints */
	bool hex;
	bool timestamp;
	bool verbose;
	const char *binary;
	const char *func;
} env;

static const struct wbpf_tool tool = {
	.name = "uprobe",
	.version = "uprobe 0.1",
	.doc = "Trace the calls of a user-space function: its first two arguments on entry,\n"
	       "its return value on return.\n"
	       "\n"
	       "USAGE: uprobe [-h] [-T] [-i] [-x] [-p PID] BINARY FUNCTION\n"
	       "\n"
	       "EXAMPLES:\n"
	       "    uprobe /bin/bash readline          # every readline() call of bash\n"
	       "    uprobe -p 181 libc.so.6 malloc     # malloc() of libc in process 181\n"
	       "    uprobe -i ./prog add               # arguments and result as 32-bit ints\n"
	       "    uprobe -x ./prog lookup            # values in hexadecimal\n",
	.options = "OPTIONS:\n"
		   "  -p, --pid=PID      only calls made by this process\n"
		   "  -i, --int          show values as 32-bit signed ints (C int)\n"
		   "  -x, --hex          show values in hexadecimal\n"
		   "  -T, --timestamp    include a time column\n"
		   "  -v, --verbose      say more on stderr\n"
		   "  -h, --help         show this help\n"
		   "  -V, --version      show the version\n"
		   "\n"
		   "BINARY is a path, or the name of a library (libc.so.6) or of a program in\n"
		   "PATH. Values are shown as signed 64-bit decimal numbers by default.\n",
	.verbose = &env.verbose,
};

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"pid", required_argument, NULL, 'p'},
		{"int", no_argument, NULL, 'i'},
		{"hex", no_argument, NULL, 'x'},
		{"timestamp", no_argument, NULL, 'T'},
		WBPF_TOOL_COMMON_OPTIONS,
	};
	long long v;
	int c;

	while ((c = wbpf_tool_getopt(&tool, argc, argv, "p:ixTvhV", opts)) != -1) {
		switch (c) {
		case 'p':
			if (wbpf_parse_number(optarg, 1, INT32_MAX, &v))
				return wbpf_tool_usage_error(PROG, "invalid PID", optarg);
			env.pid = v;
			break;
		case 'i':
			env.int32 = true;
			break;
		case 'x':
			env.hex = true;
			break;
		case 'T':
			env.timestamp = true;
			break;
		}
	}
	if (argc - optind < 2)
		return wbpf_tool_usage_error(PROG, "missing BINARY and FUNCTION", NULL);
	if (argc - optind > 2)
		return wbpf_tool_usage_error(PROG, "unrecognized positional argument",
					     argv[optind + 2]);
	env.binary = argv[optind];
	env.func = argv[optind + 1];
	if (!*env.binary)
		return wbpf_tool_usage_error(PROG, "empty BINARY", NULL);
	if (!*env.func || strchr(env.func, ':'))
		return wbpf_tool_usage_error(PROG, "invalid FUNCTION", env.func);
	return 0;
}

/* one value as -i and -x ask */
static void format_value(char *buf, size_t size, unsigned long long v)
{
	if (env.int32 && env.hex)
		snprintf(buf, size, "0x%x", (unsigned int)v);
	else if (env.int32)
		snprintf(buf, size, "%d", (int)(unsigned int)v);
	else if (env.hex)
		snprintf(buf, size, "0x%llx", v);
	else
		snprintf(buf, size, "%lld", (long long)v);
}

static int handle_event(void *ctx, void *data, size_t data_sz)
{
	char ts[32], a[24], b[24];
	struct event e;

	if (wbpf_tool_short_event(data_sz, sizeof(e)))
		return 0;
	memcpy(&e, data, sizeof(e));
	e.comm[sizeof(e.comm) - 1] = '\0';

	if (env.timestamp)
		printf("%-8s ", wbpf_tool_time_hms(ts, sizeof(ts)));
	if (e.kind == UPROBE_ENTRY) {
		format_value(a, sizeof(a), e.arg1);
		format_value(b, sizeof(b), e.arg2);
		printf("%-7d %-16s %-6s arg1=%s arg2=%s\n", e.pid, e.comm, "entry", a, b);
	} else {
		format_value(a, sizeof(a), e.ret);
		printf("%-7d %-16s %-6s ret=%s\n", e.pid, e.comm, "return", a);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_buffer *buf = NULL;
	struct uprobe_bpf *obj;
	char target[sizeof(((struct bpf_program *)0)->attach_target)];
	int err;

	err = parse_args(argc, argv);
	if (err)
		return err;
	if ((size_t)snprintf(target, sizeof(target), "%s:%s", env.binary, env.func) >=
	    sizeof(target)) {
		fprintf(stderr, "BINARY:FUNCTION is longer than %zu bytes\n", sizeof(target) - 1);
		return 1;
	}

	obj = uprobe_bpf__open();
	if (!obj) {
		fprintf(stderr, "failed to open BPF object\n");
		return 1;
	}
	obj->rodata->target_pid = env.pid;

	err = uprobe_bpf__load(obj);
	if (err) {
		fprintf(stderr, "failed to load BPF object: %d\n", err);
		goto cleanup;
	}

	bpf_set_prog_attach_target(obj->progs.uprobe_entry, target);
	bpf_set_prog_attach_target(obj->progs.uprobe_return, target);
	err = uprobe_bpf__attach(obj);
	if (err) {
		fprintf(stderr, "failed to attach to %s: %s\n", target, strerror(-err));
		goto cleanup;
	}

	buf = bpf_buffer__open(obj->maps.events, handle_event, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "failed to open ring buffer: %d\n", err);
		goto cleanup;
	}
	if (env.verbose)
		fprintf(stderr, "uprobe: %s, pid %d\n", target, env.pid);

	if (env.timestamp)
		printf("%-8s ", "TIME");
	printf("%-7s %-16s %-6s %s\n", "PID", "COMM", "EVENT", "VALUES");
	fflush(stdout);

	/* main: poll until Ctrl-C */
	err = wbpf_tool_poll(buf, 0, NULL, NULL);
	if (err)
		fprintf(stderr, "error polling ring buffer: %s\n", strerror(-err));

cleanup:
	fflush(stdout);
	bpf_buffer__free(buf);
	uprobe_bpf__destroy(obj);

	return err != 0;
}
