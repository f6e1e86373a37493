// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sigsnoop: trace standard and real-time signals (libbpf-tools' sigsnoop),
 * ported to a Wasm-eBPF guest: getopt_long for argp, a perf event array
 * read with bpf_buffer, and the poll loop ends on -EINTR, which is how the
 * host reports SIGINT/SIGTERM to a guest. The target's command (TCOMM) of
 * newer versions of the original, which needs the bpf_task_from_pid() kfunc,
 * is left out. Signal numbers and names are Linux's, whatever the guest's
 * <signal.h> says.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include "sigsnoop.h"
#include "sigsnoop.skel.h"
#include "tool_helpers.h"

_Static_assert(sizeof(struct event) == 32, "struct event layout");

#define PROG "sigsnoop"

static struct env {
	pid_t pid;
	uint64_t signals; /* bit N-1 for signal N */
	bool failed;
	bool kill;
	bool names;
	bool verbose;
} env;

/* Linux's standard signals; 32..64 are real-time, shown as SIGNAL-N */
static const char *const sig_names[32] = {
	[1] = "SIGHUP",	    [2] = "SIGINT",   [3] = "SIGQUIT",	 [4] = "SIGILL",   [5] = "SIGTRAP",
	[6] = "SIGABRT",    [7] = "SIGBUS",   [8] = "SIGFPE",	 [9] = "SIGKILL",  [10] = "SIGUSR1",
	[11] = "SIGSEGV",   [12] = "SIGUSR2", [13] = "SIGPIPE",	 [14] = "SIGALRM", [15] = "SIGTERM",
	[16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",	 [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN",   [22] = "SIGTTOU", [23] = "SIGURG",	 [24] = "SIGXCPU", [25] = "SIGXFSZ",
	[26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",   [30] = "SIGPWR",
	[31] = "SIGSYS",
};

static const struct wbpf_tool tool = {
	.name = "sigsnoop",
	.version = "sigsnoop 0.1",
	.bug_address = "https://github.com/iovisor/bcc/tree/master/libbpf-tools",
	.doc = "Show signals as the kernel generates them, or kill() calls with -k.\n"
	       "\n"
	       "USAGE: sigsnoop [-h] [-x] [-k] [-n] [-p PID] [-s SIGNAL]\n"
	       "\n"
	       "EXAMPLES:\n"
	       "    sigsnoop             # every signal of every process\n"
	       "    sigsnoop -k          # only kill(), tkill() and tgkill() calls, with their "
	       "result\n"
	       "    sigsnoop -k -x       # only kill calls that failed\n"
	       "    sigsnoop -p 1216     # only signals sent by process 1216\n"
	       "    sigsnoop -s 1,9,15   # only SIGHUP, SIGKILL and SIGTERM (-s HUP,KILL,TERM)\n"
	       "    sigsnoop -n          # signal names instead of numbers\n",
	.options = "OPTIONS:\n"
		   "  -x, --failed                 only failed signals\n"
		   "  -k, --kill                   trace the kill family of syscalls instead\n"
		   "  -p, --pid=PID                only signals sent by this process\n"
		   "  -s, --signal=SIGNAL[,...]    only these signals (1-64, or names)\n"
		   "  -n, --name                   show signal names instead of numbers\n"
		   "  -v, --verbose                say more on stderr\n"
		   "  -h, --help                   show this help\n"
		   "  -V, --version                show the version\n",
	.verbose = &env.verbose,
};

/* a signal given as a number (1-64) or a name, with or without "SIG"; 0 if neither */
static int parse_signal(const char *s, size_t len)
{
	char buf[16];
	long long v;
	int i;

	if (!len || len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!wbpf_parse_number(buf, 1, MAX_SIGNAL, &v))
		return v;
	for (i = 1; i < 32; i++) {
		if (!strcasecmp(buf, sig_names[i]) || !strcasecmp(buf, sig_names[i] + 3))
			return i;
	}
	return 0;
}

/* SIGNAL[,SIGNAL...] into env.signals */
static int parse_signals(const char *arg)
{
	const char *p = arg;

	for (;;) {
		size_t len = strcspn(p, ",");
		int sig = parse_signal(p, len);

		if (!sig)
			return wbpf_tool_usage_error(PROG, "invalid SIGNAL", arg);
		env.signals |= 1ULL << (sig - 1);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"failed", no_argument, NULL, 'x'},    {"kill", no_argument, NULL, 'k'},
		{"pid", required_argument, NULL, 'p'}, {"signal", required_argument, NULL, 's'},
		{"name", no_argument, NULL, 'n'},      WBPF_TOOL_COMMON_OPTIONS,
	};
	long long v;
	int c, err;

	while ((c = wbpf_tool_getopt(&tool, argc, argv, "xkp:s:nvhV", opts)) != -1) {
		switch (c) {
		case 'x':
			env.failed = true;
			break;
		case 'k':
			env.kill = true;
			break;
		case 'p':
			if (wbpf_parse_number(optarg, 1, INT32_MAX, &v))
				return wbpf_tool_usage_error(PROG, "invalid PID", optarg);
			env.pid = v;
			break;
		case 's':
			err = parse_signals(optarg);
			if (err)
				return err;
			break;
		case 'n':
			env.names = true;
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
	char ts[32], sig[16];
	struct event e;

	if (wbpf_tool_short_event(data_sz, sizeof(e)))
		return;
	memcpy(&e, data, sizeof(e));
	e.comm[sizeof(e.comm) - 1] = '\0';

	if (env.names && e.sig == 0)
		snprintf(sig, sizeof(sig), "N/A");
	else if (env.names && e.sig > 0 && e.sig < 32)
		snprintf(sig, sizeof(sig), "%s", sig_names[e.sig]);
	else if (env.names && e.sig >= 32 && e.sig <= MAX_SIGNAL)
		snprintf(sig, sizeof(sig), "SIGNAL-%d", e.sig);
	else
		snprintf(sig, sizeof(sig), "%d", e.sig);
	printf("%-8s %-7d %-16s %-12s %-7d %-6d\n", wbpf_tool_time_hms(ts, sizeof(ts)), e.pid,
	       e.comm, sig, e.tpid, e.ret);
}

int main(int argc, char **argv)
{
	struct bpf_buffer *buf = NULL;
	struct sigsnoop_bpf *obj;
	const char *base;
	int err;

	/* invoked as killsnoop: kill mode, as the original */
	base = argc > 0 ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : argc > 0 ? argv[0] : "";
	if (strstr(base, "killsnoop"))
		env.kill = true;

	err = parse_args(argc, argv);
	if (err)
		return err;

	obj = sigsnoop_bpf__open();
	if (!obj) {
		fprintf(stderr, "failed to open BPF object\n");
		return 1;
	}

	obj->rodata->filtered_pid = env.pid;
	obj->rodata->target_signals = env.signals;
	obj->rodata->failed_only = env.failed;

	/* every program is loaded; only one mode's are attached */
	bpf_program__set_autoattach(obj->progs.sig_trace, !env.kill);
	bpf_program__set_autoattach(obj->progs.kill_enter, env.kill);
	bpf_program__set_autoattach(obj->progs.kill_return, env.kill);
	bpf_program__set_autoattach(obj->progs.tkill_enter, env.kill);
	bpf_program__set_autoattach(obj->progs.tkill_return, env.kill);
	bpf_program__set_autoattach(obj->progs.tgkill_enter, env.kill);
	bpf_program__set_autoattach(obj->progs.tgkill_return, env.kill);

	buf = bpf_buffer__new(obj->maps.events, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "failed to create perf buffer: %d\n", err);
		goto cleanup;
	}

	err = sigsnoop_bpf__load(obj);
	if (err) {
		fprintf(stderr, "failed to load BPF object: %d\n", err);
		goto cleanup;
	}

	err = sigsnoop_bpf__attach(obj);
	if (err) {
		fprintf(stderr, "failed to attach BPF programs: %d\n", err);
		goto cleanup;
	}

	err = bpf_buffer__open(buf, handle_event, wbpf_tool_lost_events, NULL);
	if (err) {
		fprintf(stderr, "failed to open perf buffer: %d\n", err);
		goto cleanup;
	}
	if (env.verbose)
		fprintf(stderr, "sigsnoop: %s mode, signal mask %#llx\n",
			env.kill ? "kill syscall" : "signal_generate",
			(unsigned long long)env.signals);

	printf("%-8s %-7s %-16s %-12s %-7s %-6s\n", "TIME", "PID", "COMM", "SIG", "TPID", "RESULT");
	fflush(stdout);

	/* main: poll until Ctrl-C */
	err = wbpf_tool_poll(buf, 0, NULL, NULL);
	if (err)
		fprintf(stderr, "error polling perf buffer: %s\n", strerror(-err));

cleanup:
	fflush(stdout);
	bpf_buffer__free(buf);
	sigsnoop_bpf__destroy(obj);

	return err != 0;
}
