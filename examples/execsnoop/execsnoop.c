// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * execsnoop: trace exec() syscalls (libbpf-tools' execsnoop, based on
 * execsnoop(8) from BCC by Brendan Gregg and others), ported to a Wasm-eBPF
 * guest: getopt_long for argp, a perf event array read with bpf_buffer, and
 * the poll loop ends on -EINTR, which is how the host reports SIGINT/SIGTERM
 * to a guest. The cgroup filter (-c) of the original is left out.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "execsnoop.h"
#include "execsnoop.skel.h"
#include "tool_helpers.h"

_Static_assert(sizeof(struct event) == 40 + FULL_MAX_ARGS_ARR, "struct event layout");
_Static_assert(BASE_EVENT_SIZE == 40, "struct event layout");

#define NSEC_PER_SEC 1000000000L
#define MAX_ARGS_KEY 259

static struct env {
	bool time;
	bool timestamp;
	bool fails;
	unsigned int uid;
	bool quote;
	const char *name;
	const char *line;
	bool print_uid;
	bool verbose;
	int max_args;
} env = {
	.max_args = DEFAULT_MAXARGS,
	.uid = INVALID_UID,
};

static struct timespec start_time;

static const struct wbpf_tool tool = {
	.name = "execsnoop",
	.version = "execsnoop 0.1",
	.bug_address = "https://github.com/iovisor/bcc/tree/master/libbpf-tools",
	.doc = "Trace exec syscalls\n"
	       "\n"
	       "USAGE: execsnoop [-h] [-T] [-t] [-x] [-u UID] [-q] [-n NAME] [-l LINE] [-U]\n"
	       "                 [--max-args MAX_ARGS]\n"
	       "\n"
	       "EXAMPLES:\n"
	       "   ./execsnoop           # trace all exec() syscalls\n"
	       "   ./execsnoop -x        # include failed exec()s\n"
	       "   ./execsnoop -T        # include time (HH:MM:SS)\n"
	       "   ./execsnoop -U        # include UID\n"
	       "   ./execsnoop -u 1000   # only trace UID 1000\n"
	       "   ./execsnoop -t        # include timestamps\n"
	       "   ./execsnoop -q        # add \"quotemarks\" around arguments\n"
	       "   ./execsnoop -n main   # only print command lines containing \"main\"\n"
	       "   ./execsnoop -l tpkg   # only print command where arguments contains \"tpkg\"\n",
	.options =
		"OPTIONS:\n"
		"  -T, --time                   include time column on output (HH:MM:SS)\n"
		"  -t, --timestamp              include timestamp on output\n"
		"  -x, --fails                  include failed exec()s\n"
		"  -u, --uid=UID                trace this UID only\n"
		"  -q, --quote                  Add quotemarks (\") around arguments\n"
		"  -n, --name=NAME              only print commands matching this name, any arg\n"
		"  -l, --line=LINE              only print commands where arg contains this line\n"
		"  -U, --print-uid              print UID column\n"
		"      --max-args=MAX_ARGS      maximum number of arguments parsed and displayed,\n"
		"                               defaults to 20\n"
		"  -v, --verbose                Verbose debug output\n"
		"  -h, --help                   Give this help list\n"
		"  -V, --version                Print program version\n",
	.verbose = &env.verbose,
};

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"time", no_argument, NULL, 'T'},
		{"timestamp", no_argument, NULL, 't'},
		{"fails", no_argument, NULL, 'x'},
		{"uid", required_argument, NULL, 'u'},
		{"quote", no_argument, NULL, 'q'},
		{"name", required_argument, NULL, 'n'},
		{"line", required_argument, NULL, 'l'},
		{"print-uid", no_argument, NULL, 'U'},
		{"max-args", required_argument, NULL, MAX_ARGS_KEY},
		WBPF_TOOL_COMMON_OPTIONS,
	};
	long long v;
	int c;

	while ((c = wbpf_tool_getopt(&tool, argc, argv, "Ttxu:qn:l:UvhV", opts)) != -1) {
		switch (c) {
		case 'T':
			env.time = true;
			break;
		case 't':
			env.timestamp = true;
			break;
		case 'x':
			env.fails = true;
			break;
		case 'u':
			if (wbpf_parse_number(optarg, 0, (long long)INVALID_UID - 1, &v))
				return wbpf_tool_usage_error(tool.name, "Invalid UID", optarg);
			env.uid = v;
			break;
		case 'q':
			env.quote = true;
			break;
		case 'n':
			env.name = optarg;
			break;
		case 'l':
			env.line = optarg;
			break;
		case 'U':
			env.print_uid = true;
			break;
		case MAX_ARGS_KEY:
			if (wbpf_parse_number(optarg, 1, TOTAL_MAX_ARGS, &v)) {
				fprintf(stderr, "Invalid MAX_ARGS %s, should be in [1, %d] range\n",
					optarg, TOTAL_MAX_ARGS);
				return wbpf_tool_usage_error(tool.name, NULL, NULL);
			}
			env.max_args = v;
			break;
		}
	}
	if (optind < argc)
		return wbpf_tool_usage_error(tool.name, "Unexpected argument", argv[optind]);
	return 0;
}

static void time_since_start(void)
{
	struct timespec cur_time;
	double time_diff;
	long nsec, sec;

	clock_gettime(CLOCK_MONOTONIC, &cur_time);
	nsec = cur_time.tv_nsec - start_time.tv_nsec;
	sec = cur_time.tv_sec - start_time.tv_sec;
	if (nsec < 0) {
		nsec += NSEC_PER_SEC;
		sec--;
	}
	time_diff = sec + (double)nsec / NSEC_PER_SEC;
	printf("%-8.3f", time_diff);
}

static void quoted_symbol(char c)
{
	switch (c) {
	case '"':
		putchar('\\');
		putchar('"');
		break;
	case '\t':
		putchar('\\');
		putchar('t');
		break;
	case '\n':
		putchar('\\');
		putchar('n');
		break;
	default:
		putchar(c);
		break;
	}
}

static void print_args(const struct event *e, unsigned int args_size)
{
	int args_counter = 0;
	unsigned int i;

	if (env.quote)
		putchar('"');

	for (i = 0; i < args_size && args_counter < e->args_count; i++) {
		char c = e->args[i];

		if (env.quote) {
			if (c == '\0') {
				args_counter++;
				putchar('"');
				putchar(' ');
				if (args_counter < e->args_count)
					putchar('"');
			} else {
				quoted_symbol(c);
			}
		} else {
			if (c == '\0') {
				args_counter++;
				putchar(' ');
			} else {
				putchar(c);
			}
		}
	}
	if (e->args_count == env.max_args + 1)
		fputs(" ...", stdout);
}

/* does one of the arguments (args_size bytes of NUL-ended strings) contain s? */
static bool args_contain(const struct event *e, unsigned int args_size, const char *s)
{
	unsigned int i = 0;

	while (i < args_size) {
		const char *arg = &e->args[i];
		size_t len = strnlen(arg, args_size - i);

		if (len == args_size - i)
			break; /* not NUL-ended */
		if (strstr(arg, s))
			return true;
		i += len + 1;
	}
	return false;
}

static void handle_event(void *ctx, int cpu, void *data, uint32_t data_sz)
{
	const struct event *e = data;
	unsigned int args_size;
	char ts[32];

	if (wbpf_tool_short_event(data_sz, BASE_EVENT_SIZE))
		return;
	args_size = e->args_size;
	if (args_size > data_sz - BASE_EVENT_SIZE)
		args_size = data_sz - BASE_EVENT_SIZE;

	if (env.name && !strstr(e->comm, env.name) && !args_contain(e, args_size, env.name))
		return;
	if (env.line && !args_contain(e, args_size, env.line))
		return;

	wbpf_tool_time_hms(ts, sizeof(ts));

	if (env.time)
		printf("%-8s ", ts);
	if (env.timestamp)
		time_since_start();
	if (env.print_uid)
		printf("%-6d", e->uid);

	printf("%-16s %-6d %-6d %3d ", e->comm, e->pid, e->ppid, e->retval);
	print_args(e, args_size);
	putchar('\n');
}

int main(int argc, char **argv)
{
	struct bpf_buffer *buf = NULL;
	struct execsnoop_bpf *obj;
	int err;

	err = parse_args(argc, argv);
	if (err)
		return err;

	obj = execsnoop_bpf__open();
	if (!obj) {
		fprintf(stderr, "failed to open BPF object\n");
		return 1;
	}

	/* initialize global data (filtering options) */
	obj->rodata->ignore_failed = !env.fails;
	obj->rodata->targ_uid = env.uid;
	obj->rodata->max_args = env.max_args;

	buf = bpf_buffer__new(obj->maps.events, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "failed to create ring/perf buffer: %d\n", err);
		goto cleanup;
	}

	err = execsnoop_bpf__load(obj);
	if (err) {
		fprintf(stderr, "failed to load BPF object: %d\n", err);
		goto cleanup;
	}

	clock_gettime(CLOCK_MONOTONIC, &start_time);
	err = execsnoop_bpf__attach(obj);
	if (err) {
		fprintf(stderr, "failed to attach BPF programs\n");
		goto cleanup;
	}

	err = bpf_buffer__open(buf, handle_event, wbpf_tool_lost_events, NULL);
	if (err) {
		fprintf(stderr, "failed to open ring/perf buffer: %d\n", err);
		goto cleanup;
	}
	if (env.verbose)
		fprintf(stderr, "execsnoop: perf buffer fd %d, max_args %d\n",
			bpf_map__fd(obj->maps.events), env.max_args);

	/* print headers */
	if (env.time)
		printf("%-9s", "TIME");
	if (env.timestamp)
		printf("%-8s ", "TIME(s)");
	if (env.print_uid)
		printf("%-6s ", "UID");
	printf("%-16s %-6s %-6s %3s %s\n", "PCOMM", "PID", "PPID", "RET", "ARGS");
	fflush(stdout);

	/* main: poll until Ctrl-C */
	err = wbpf_tool_poll(buf, 0, NULL, NULL);
	if (err)
		fprintf(stderr, "error polling ring/perf buffer: %s\n", strerror(-err));
	/*
	 * With -v: the events the BPF side could not send because the perf
	 * buffer's ring was full (wbpf_perf_event_output()). The host reports
	 * the same losses on stderr in every case, as they happen.
	 */
	if (env.verbose && !execsnoop_bpf__pull_globals(obj))
		wbpf_tool_report_drops(tool.name, obj->bss->wbpf_perf_drops, "perf buffer", true);

cleanup:
	bpf_buffer__free(buf);
	execsnoop_bpf__destroy(obj);

	return err != 0;
}
