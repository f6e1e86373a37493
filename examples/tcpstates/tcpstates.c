// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tcpstates: trace TCP session state changes with the time spent in the old
 * state (libbpf-tools' tcpstates, with the columns of the original bcc tool:
 * the process current at the change, C-PID and C-COMM, and the IP version),
 * ported to a Wasm-eBPF guest: getopt_long for argp, a perf event array read
 * with bpf_buffer, and the poll loop ends on -EINTR, which is how the host
 * reports SIGINT/SIGTERM to a guest. Port filters are hash maps the guest
 * fills between load and attach.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "tcpstates.h"
#include "tcpstates.skel.h"
#include "tool_helpers.h"

_Static_assert(sizeof(struct event) == 96, "struct event layout");

#define PROG "tcpstates"
#define MAX_PORTS 1024 /* as the port maps of tcpstates.bpf.c */

static struct env {
	bool timestamp;
	bool wide;
	bool verbose;
	unsigned short family; /* Linux's AF_INET or AF_INET6; 0: both */
	unsigned short sports[MAX_PORTS];
	int nsports;
	unsigned short dports[MAX_PORTS];
	int ndports;
} env;

static const char *const tcp_states[] = {
	[1] = "ESTABLISHED", [2] = "SYN_SENT",	[3] = "SYN_RECV", [4] = "FIN_WAIT1",
	[5] = "FIN_WAIT2",   [6] = "TIME_WAIT", [7] = "CLOSE",	  [8] = "CLOSE_WAIT",
	[9] = "LAST_ACK",    [10] = "LISTEN",	[11] = "CLOSING", [12] = "NEW_SYN_RECV",
};
#define NR_STATES (sizeof(tcp_states) / sizeof(tcp_states[0]))

static const struct wbpf_tool tool = {
	.name = "tcpstates",
	.version = "tcpstates 0.1",
	.bug_address = "https://github.com/iovisor/bcc/tree/master/libbpf-tools",
	.doc = "Trace TCP session state changes and durations.\n"
	       "\n"
	       "USAGE: tcpstates [-h] [-4] [-6] [-T] [-w] [-L LPORT] [-D RPORT]\n"
	       "\n"
	       "EXAMPLES:\n"
	       "    tcpstates                  # trace all TCP state changes\n"
	       "    tcpstates -T               # include timestamps\n"
	       "    tcpstates -L 80            # only trace local port 80\n"
	       "    tcpstates -D 80,443        # only trace remote ports 80 and 443\n"
	       "    tcpstates -4 -w            # only IPv4, wide columns\n",
	.options = "OPTIONS:\n"
		   "  -4, --ipv4                   trace IPv4 only\n"
		   "  -6, --ipv6                   trace IPv6 only\n"
		   "  -L, --localport=LPORT[,...]  only these local ports\n"
		   "  -D, --remoteport=RPORT[,...] only these remote ports\n"
		   "  -T, --timestamp              include a time column\n"
		   "  -w, --wide                   wide columns (fit IPv6 addresses)\n"
		   "  -v, --verbose                say more on stderr\n"
		   "  -h, --help                   show this help\n"
		   "  -V, --version                show the version\n"
		   "\n"
		   "The MS column is the time the socket spent in OLDSTATE, in milliseconds;\n"
		   "0.000 for the first change of a socket seen (its start was not seen).\n",
	.verbose = &env.verbose,
};

/* PORT[,PORT...] into ports; what names the list in the error message */
static int parse_ports(const char *arg, const char *what, unsigned short *ports, int *n)
{
	const char *p = arg;
	char buf[8];
	long long v;

	for (;;) {
		size_t len = strcspn(p, ",");

		if (!len || len >= sizeof(buf) || *n >= MAX_PORTS)
			return wbpf_tool_usage_error(PROG, what, arg);
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (wbpf_parse_number(buf, 1, 65535, &v))
			return wbpf_tool_usage_error(PROG, what, arg);
		ports[(*n)++] = v;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"ipv4", no_argument, NULL, '4'},
		{"ipv6", no_argument, NULL, '6'},
		{"localport", required_argument, NULL, 'L'},
		{"remoteport", required_argument, NULL, 'D'},
		{"timestamp", no_argument, NULL, 'T'},
		{"wide", no_argument, NULL, 'w'},
		WBPF_TOOL_COMMON_OPTIONS,
	};
	int c, err;

	while ((c = wbpf_tool_getopt(&tool, argc, argv, "46L:D:TwvhV", opts)) != -1) {
		switch (c) {
		case '4':
		case '6':
			if (env.family && env.family != (c == '4' ? LINUX_AF_INET : LINUX_AF_INET6))
				return wbpf_tool_usage_error(PROG, "-4 and -6 exclude each other",
							     NULL);
			env.family = c == '4' ? LINUX_AF_INET : LINUX_AF_INET6;
			break;
		case 'L':
			err = parse_ports(optarg, "invalid LPORT", env.sports, &env.nsports);
			if (err)
				return err;
			break;
		case 'D':
			err = parse_ports(optarg, "invalid RPORT", env.dports, &env.ndports);
			if (err)
				return err;
			break;
		case 'T':
			env.timestamp = true;
			break;
		case 'w':
			env.wide = true;
			break;
		}
	}
	if (optind < argc)
		return wbpf_tool_usage_error(PROG, "unrecognized positional argument",
					     argv[optind]);
	return 0;
}

static const char *state_name(unsigned int state)
{
	if (state < NR_STATES && tcp_states[state])
		return tcp_states[state];
	return "UNKNOWN";
}

static void handle_event(void *ctx, int cpu, void *data, uint32_t data_sz)
{
	char ts[32], saddr[48], daddr[48];
	struct event e;

	if (wbpf_tool_short_event(data_sz, sizeof(e)))
		return;
	memcpy(&e, data, sizeof(e));
	e.task[sizeof(e.task) - 1] = '\0';

	wbpf_tool_addr_str(e.family == LINUX_AF_INET, e.saddr, saddr, sizeof(saddr));
	wbpf_tool_addr_str(e.family == LINUX_AF_INET, e.daddr, daddr, sizeof(daddr));
	if (env.timestamp)
		printf("%-8s ", wbpf_tool_time_hms(ts, sizeof(ts)));
	printf(env.wide ? "%-16llx %-7u %-16.16s %-2d %-39s %-5u %-39s %-5u %-11s -> %-11s %.3f\n"
			: "%-16llx %-7u %-10.10s %-2d %-15s %-5u %-15s %-5u %-11s -> %-11s %.3f\n",
	       e.skaddr, e.pid, e.task, e.family == LINUX_AF_INET ? 4 : 6, saddr, e.sport, daddr,
	       e.dport, state_name(e.oldstate), state_name(e.newstate), (double)e.delta_us / 1000);
}

/* put the ports into a filter map of the loaded object */
static int fill_ports(struct bpf_map *map, const unsigned short *ports, int n)
{
	int i, err;

	for (i = 0; i < n; i++) {
		err = bpf_map__update_elem(map, &ports[i], sizeof(ports[i]), &ports[i],
					   sizeof(ports[i]), BPF_ANY);
		if (err)
			return err;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_buffer *buf = NULL;
	struct tcpstates_bpf *obj;
	int err;

	err = parse_args(argc, argv);
	if (err)
		return err;

	obj = tcpstates_bpf__open();
	if (!obj) {
		fprintf(stderr, "failed to open BPF object\n");
		return 1;
	}
	obj->rodata->filter_by_sport = env.nsports > 0;
	obj->rodata->filter_by_dport = env.ndports > 0;
	obj->rodata->target_family = env.family;

	buf = bpf_buffer__new(obj->maps.events, NULL);
	if (!buf) {
		err = -errno;
		fprintf(stderr, "failed to create perf buffer: %d\n", err);
		goto cleanup;
	}

	err = tcpstates_bpf__load(obj);
	if (err) {
		fprintf(stderr, "failed to load BPF object: %d\n", err);
		goto cleanup;
	}

	err = fill_ports(obj->maps.sports, env.sports, env.nsports);
	if (!err)
		err = fill_ports(obj->maps.dports, env.dports, env.ndports);
	if (err) {
		fprintf(stderr, "failed to fill the port filters: %s\n", strerror(-err));
		goto cleanup;
	}

	err = tcpstates_bpf__attach(obj);
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
		fprintf(stderr, "tcpstates: family %u, %d local and %d remote ports\n", env.family,
			env.nsports, env.ndports);

	if (env.timestamp)
		printf("%-8s ", "TIME");
	printf(env.wide ? "%-16s %-7s %-16s %-2s %-39s %-5s %-39s %-5s %-11s -> %-11s %s\n"
			: "%-16s %-7s %-10s %-2s %-15s %-5s %-15s %-5s %-11s -> %-11s %s\n",
	       "SKADDR", "C-PID", "C-COMM", "IP", "LADDR", "LPORT", "RADDR", "RPORT", "OLDSTATE",
	       "NEWSTATE", "MS");
	fflush(stdout);

	/* main: poll until Ctrl-C */
	err = wbpf_tool_poll(buf, 0, NULL, NULL);
	if (err)
		fprintf(stderr, "error polling perf buffer: %s\n", strerror(-err));

cleanup:
	fflush(stdout);
	bpf_buffer__free(buf);
	tcpstates_bpf__destroy(obj);

	return err != 0;
}
