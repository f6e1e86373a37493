// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * opensnoop: trace open family syscalls (libbpf-tools' opensnoop, based on
 * opensnoop(8) from BCC by Brendan Gregg and others), ported to a Wasm-eBPF
 * guest: getopt_long for argp, a ring buffer read with bpf_buffer, and the
 * poll loop ends on -EINTR, which is how the host reports SIGINT/SIGTERM to
 * a guest. The full-path (-F) and callers (-c) options are left out.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include "opensnoop.h"
#include "opensnoop.skel.h"
#include "tool_helpers.h"

_Static_assert(sizeof(struct event) == 304, "struct event layout");

#define PROG "opensnoop"
#define NSEC_PER_SEC 1000000000ULL

static struct env {
	pid_t pid;
	pid_t tid;
	unsigned int uid;
	long long duration;
	bool verbose;
	bool timestamp;
	bool print_uid;
	bool extended;
	bool failed;
	const char *name;
} env = {
	.uid = INVALID_UID,
};

static const struct wbpf_tool tool = {
	.name = "opensnoop",
	.version = "opensnoop 0.1",
	.bug_address = "https://github.com/iovisor/bcc/tree/master/libbpf-tools",
	.doc = "Show every open(), openat() and openat2() call as it returns.\n"
	       "\n"
	       "USAGE: opensnoop [-h] [-T] [-U] [-x] [-p PID] [-t TID] [-u UID] [-d DURATION]\n"
	       "                 [-n NAME] [-e]\n"
	       "\n"
	       "EXAMPLES:\n"
	       "    opensnoop             # every open call of every process\n"
	       "    opensnoop -x          # failed opens, with their errno\n"
	       "    opensnoop -p 181      # calls of process 181 (any of its threads)\n"
	       "    opensnoop -t 123      # calls of thread 123\n"
	       "    opensnoop -u 1000     # calls made as user 1000\n"
	       "    opensnoop -n cat      # commands whose name contains \"cat\"\n"
	       "    opensnoop -T -U -e    # add a time, a UID and a flags/mode column\n"
	       "    opensnoop -d 10       # stop after 10 seconds\n",
	.options = "OPTIONS:\n"
		   "  -d, --duration=DURATION      stop after DURATION seconds\n"
		   "  -e, --extended-fields        add the FLAGS and MODE columns\n"
		   "  -n, --name=NAME              only commands whose name contains NAME\n"
		   "  -p, --pid=PID                only this process\n"
		   "  -t, --tid=TID                only this thread\n"
		   "  -T, --timestamp              add a TIME column (HH:MM:SS)\n"
		   "  -u, --uid=UID                only calls made as this user\n"
		   "  -U, --print-uid              add a UID column\n"
		   "  -v, --verbose                say more on stderr\n"
		   "  -x, --failed                 only failed calls\n"
		   "  -h, --help                   show this help\n"
		   "  -V, --version                show the version\n",
	.verbose = &env.verbose,
};

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"duration", required_argument, NULL, 'd'},
		{"extended-fields", no_argument, NULL, 'e'},
		{"name", required_argument, NULL, 'n'},
		{"pid", required_argument, NULL, 'p'},
		{"tid", required_argument, NULL, 't'},
		{"timestamp", no_argument, NULL, 'T'},
		{"uid", required_argument, NULL, 'u'},
		{"print-uid", no_argument, NULL, 'U'},
		{"failed", no_argument, NULL, 'x'},
		WBPF_TOOL_COMMON_OPTIONS,
	};
	long long v;
	int c;

	while ((c = wbpf_tool_getopt(&tool, argc, argv, "d:en:p:t:Tu:UvxhV", opts)) != -1) {
		switch (c) {
		case 'd':
			if (wbpf_parse_number(optarg, 1, INT32_MAX, &v))
				return wbpf_tool_usage_error(PROG, "invalid duration", optarg);
			env.duration = v;
			break;
		case 'e':
			env.extended = true;
			break;
		case 'n':
			env.name = optarg;
			break;
		case 'p':
			if (wbpf_parse_number(optarg, 1, INT32_MAX, &v))
				return wbpf_tool_usage_error(PROG, "invalid PID", optarg);
			env.pid = v;
			break;
		case 't':
			if (wbpf_parse_number(optarg, 1, INT32_MAX, &v))
				return wbpf_tool_usage_error(PROG, "invalid TID", optarg);
			env.tid = v;
			break;
		case 'T':
			env.timestamp = true;
			break;
		case 'u':
			if (wbpf_parse_number(optarg, 0, (long long)INVALID_UID - 1, &v))
				return wbpf_tool_usage_error(PROG, "invalid UID", optarg);
			env.uid = v;
			break;
		case 'U':
			env.print_uid = true;
			break;
		case 'x':
			env.failed = true;
			break;
		}
	}
	if (optind < argc)
		return wbpf_tool_usage_error(PROG, "unrecognized positional argument",
					     argv[optind]);
	return 0;
}

static void handle_event(void *ctx, int cpu, void *data, uint32_t data_sz)
{
	struct event e;
	char ts[32];
	int fd, err;

	if (wbpf_tool_short_event(data_sz, sizeof(e)))
		return;
	memcpy(&e, data, sizeof(e));
	e.comm[sizeof(e.comm) - 1] = '\0';
	e.fname[sizeof(e.fname) - 1] = '\0';

	/* the name filter runs here, as in the original */
	if (env.name && !strstr(e.comm, env.name))
		return;

	if (e.ret >= 0) {
		fd = e.ret;
		err = 0;
	} else {
		fd = -1;
		err = -e.ret;
	}

	if (env.timestamp)
		printf("%-8s ", wbpf_tool_time_hms(ts, sizeof(ts)));
	if (env.print_uid)
		printf("%-7u ", e.uid);
	printf("%-6d %-16s %3d %3d ", e.pid, e.comm, fd, err);
	if (env.extended) {
		if (e.mode == 0 && !(e.flags & LINUX_O_CREAT) &&
		    (e.flags & LINUX_O_TMPFILE) != LINUX_O_TMPFILE)
			printf("%08o n/a  ", e.flags);
		else
			printf("%08o %04o ", e.flags, e.mode);
	}
	printf("%s\n", e.fname);
}

int main(int argc, char **argv)
{
	struct bpf_program *optional[4];
	struct bpf_buffer *buf = NULL;
	struct opensnoop_bpf *obj;
	uint64_t time_end = 0;
	unsigned int i;
	int err;

	err = parse_args(argc, argv);
	if (err)
		return err;

	obj = opensnoop_bpf__open();
	if (!obj) {
		fprintf(stderr, "failed to open BPF object\n");
		return 1;
	}

	buf = bpf_buffer__new(obj->maps.events, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "failed to create ring/perf buffer: %d\n", err);
		goto cleanup;
	}

	/* initialize global data (filtering options) */
	obj->rodata->targ_tgid = env.pid;
	obj->rodata->targ_pid = env.tid;
	obj->rodata->targ_uid = env.uid;
	obj->rodata->targ_failed = env.failed;

	/* open() and openat2() may be missing: attached one by one below */
	optional[0] = obj->progs.tracepoint__syscalls__sys_enter_open;
	optional[1] = obj->progs.tracepoint__syscalls__sys_exit_open;
	optional[2] = obj->progs.tracepoint__syscalls__sys_enter_openat2;
	optional[3] = obj->progs.tracepoint__syscalls__sys_exit_openat2;
	for (i = 0; i < 4; i++)
		bpf_program__set_autoattach(optional[i], false);

	err = opensnoop_bpf__load(obj);
	if (err) {
		fprintf(stderr, "failed to load BPF object: %d\n", err);
		goto cleanup;
	}

	err = opensnoop_bpf__attach(obj);
	if (err) {
		fprintf(stderr, "failed to attach BPF programs\n");
		goto cleanup;
	}
	/* an exit program only where its entry program is attached */
	for (i = 0; i < 4; i += 2) {
		err = wbpf_tool_attach_optional(optional[i]);
		if (!err)
			err = wbpf_tool_attach_optional(optional[i + 1]);
		if (err == -ENOENT && env.verbose)
			fprintf(stderr, "opensnoop: no tracepoint for %s, going on without it\n",
				bpf_program__name(optional[i]));
		if (err && err != -ENOENT) {
			fprintf(stderr, "failed to attach %s: %s\n", bpf_program__name(optional[i]),
				strerror(-err));
			goto cleanup;
		}
	}

	err = bpf_buffer__open(buf, handle_event, wbpf_tool_lost_events, NULL);
	if (err) {
		fprintf(stderr, "failed to open ring/perf buffer: %d\n", err);
		goto cleanup;
	}

	/* print headers */
	if (env.timestamp)
		printf("%-8s ", "TIME");
	if (env.print_uid)
		printf("%-7s ", "UID");
	printf("%-6s %-16s %3s %3s ", "PID", "COMM", "FD", "ERR");
	if (env.extended)
		printf("%-8s %-5s ", "FLAGS", "MODE");
	printf("%s\n", "PATH");
	fflush(stdout);

	if (env.duration)
		time_end = wbpf_tool_now_ns() + env.duration * NSEC_PER_SEC;

	/* main: poll until Ctrl-C or the end of -d DURATION */
	err = wbpf_tool_poll(buf, time_end, NULL, NULL);
	if (err)
		fprintf(stderr, "error polling ring/perf buffer: %s\n", strerror(-err));

cleanup:
	fflush(stdout);
	bpf_buffer__free(buf);
	opensnoop_bpf__destroy(obj);

	return err != 0;
}
