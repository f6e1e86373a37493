// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sockops: the TCP connections the processes of a cgroup open and accept,
 * each with its smoothed RTT, bytes and lifetime when it closes, from a
 * cgroup sock_ops program; a Wasm-eBPF guest. The cgroup (a cgroup v2
 * directory, host path) is the program's attach target: -c PATH, else the
 * cgroup v2 mount. The guest finds that mount in /proc/self/mounts when it
 * may read it (grant: WASMBPF_DIR=/proc:ro); without the grant it tries the
 * usual places (/sys/fs/cgroup/unified, then /sys/fs/cgroup), attaching to
 * each in turn. The poll returns -EINTR once the host was asked to stop;
 * destroying the object detaches the program from the cgroup.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "sockops.h"
#include "sockops.skel.h"
#include "tool_helpers.h"

_Static_assert(sizeof(struct conn_event) == 72, "struct conn_event layout");

#define PROG "sockops"
/* the SDK keeps an attach target in 128 bytes (docs/abi.md, "Attaching") */
#define TARGET_MAX sizeof(((struct bpf_program *)0)->attach_target)

static struct env {
	bool timestamp;
	bool wide;
	bool verbose;
	const char *cgroup;
} env;

static const struct wbpf_tool tool = {
	.name = "sockops",
	.version = "sockops 0.1",
	.doc = "Trace the TCP connections of a cgroup, with RTT and bytes, from sock_ops.\n"
	       "\n"
	       "USAGE: sockops [-h] [-T] [-w] [-c CGROUP]\n"
	       "\n"
	       "EXAMPLES:\n"
	       "    sockops                                  # every process (the cgroup v2 root)\n"
	       "    sockops -c /sys/fs/cgroup/unified/web    # the processes of one cgroup\n",
	.options =
		"OPTIONS:\n"
		"  -c, --cgroup=CGROUP   a cgroup v2 directory (default: the cgroup v2 mount)\n"
		"  -T, --timestamp       include a time column\n"
		"  -w, --wide            wide columns (fit IPv6 addresses)\n"
		"  -v, --verbose         say more on stderr\n"
		"  -h, --help            show this help\n"
		"  -V, --version         show the version\n"
		"\n"
		"EVENT is CONNECT (an active open reached ESTABLISHED), ACCEPT (a passive\n"
		"one did) or CLOSE (one of those closed). SRTT_US is the smoothed RTT in\n"
		"microseconds; ACKED the bytes sent and acknowledged and RCVD the bytes\n"
		"received (each counts SYN and FIN as one); RETR the retransmitted segments;\n"
		"MS the connection's life. Connections opened before sockops started are\n"
		"not shown. Without -c the guest reads /proc/self/mounts if it was granted\n"
		"(WASMBPF_DIR=/proc:ro), else tries /sys/fs/cgroup/unified and /sys/fs/cgroup.\n",
	.verbose = &env.verbose,
};

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"cgroup", required_argument, NULL, 'c'},
		{"timestamp", no_argument, NULL, 'T'},
		{"wide", no_argument, NULL, 'w'},
		WBPF_TOOL_COMMON_OPTIONS,
	};
	int c;

	while ((c = wbpf_tool_getopt(&tool, argc, argv, "c:TwvhV", opts)) != -1) {
		switch (c) {
		case 'c':
			if (!*optarg)
				return wbpf_tool_usage_error(PROG, "invalid CGROUP", optarg);
			if (strlen(optarg) >= TARGET_MAX)
				return wbpf_tool_usage_error(PROG, "CGROUP path too long", optarg);
			env.cgroup = optarg;
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

/*
 * The first cgroup2 mount point of /proc/self/mounts into buf: 0; -ENOENT
 * if there is none; -ENAMETOOLONG if it does not fit; -EACCES when the file
 * cannot be read (no grant).
 * Mount points have spaces and such escaped as \040 (octal).
 */
static int cgroup2_from_mounts(char *buf, size_t size)
{
	char line[4096], *dev, *dir, *type, *save, *p, *q;
	int err = -ENOENT;
	FILE *f;

	f = fopen("/proc/self/mounts", "r");
	if (!f)
		return -EACCES;
	while (fgets(line, sizeof(line), f)) {
		dev = strtok_r(line, " ", &save);
		dir = dev ? strtok_r(NULL, " ", &save) : NULL;
		type = dir ? strtok_r(NULL, " ", &save) : NULL;
		if (!type || strcmp(type, "cgroup2") != 0)
			continue;
		for (p = dir, q = dir; *p; q++) {
			if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' &&
			    p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
				*q = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
				p += 4;
			} else {
				*q = *p++;
			}
		}
		*q = '\0';
		err = strlen(dir) < size ? 0 : -ENAMETOOLONG;
		if (!err)
			snprintf(buf, size, "%s", dir);
		break;
	}
	fclose(f);
	return err;
}

static int attach_to(struct sockops_bpf *skel, const char *path)
{
	bpf_set_prog_attach_target(skel->progs.sockops_tcp, path);
	return sockops_bpf__attach(skel);
}

/* Attach to env.cgroup, or find the cgroup v2 mount (the top of this file). */
static int attach_cgroup(struct sockops_bpf *skel, char *path, size_t size)
{
	static const char *const guesses[] = {"/sys/fs/cgroup/unified", "/sys/fs/cgroup"};
	size_t i;
	int err;

	if (env.cgroup) {
		snprintf(path, size, "%s", env.cgroup);
		err = attach_to(skel, path);
		if (err)
			fprintf(stderr, "%s: cannot attach to cgroup %s: %s\n", PROG, path,
				strerror(-err));
		return err;
	}
	err = cgroup2_from_mounts(path, size);
	if (err == -ENOENT) {
		fprintf(stderr,
			"%s: no cgroup v2 mount in /proc/self/mounts; give a cgroup "
			"with -c CGROUP\n",
			PROG);
		return err;
	}
	if (err == -ENAMETOOLONG) {
		fprintf(stderr,
			"%s: the cgroup v2 mount's path is too long for an attach target; "
			"give a cgroup with -c CGROUP\n",
			PROG);
		return err;
	}
	if (!err) {
		err = attach_to(skel, path);
		if (err)
			fprintf(stderr, "%s: cannot attach to cgroup %s: %s\n", PROG, path,
				strerror(-err));
		return err;
	}
	/* /proc not granted: try where cgroup v2 is usually mounted */
	if (env.verbose)
		fprintf(stderr, "%s: /proc/self/mounts not readable, trying %s and %s\n", PROG,
			guesses[0], guesses[1]);
	for (i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++) {
		snprintf(path, size, "%s", guesses[i]);
		if (!attach_to(skel, path))
			return 0;
	}
	fprintf(stderr,
		"%s: no cgroup v2 mount found (%s and %s are none, /proc/self/mounts not "
		"granted); give a cgroup with -c CGROUP\n",
		PROG, guesses[0], guesses[1]);
	return -ENOENT;
}

static const char *kind_name(unsigned int kind)
{
	switch (kind) {
	case CONN_CONNECT:
		return "CONNECT";
	case CONN_ACCEPT:
		return "ACCEPT";
	case CONN_CLOSE:
		return "CLOSE";
	default:
		return "?";
	}
}

static int handle_event(void *ctx, void *data, size_t data_sz)
{
	char ts[32], laddr[48], raddr[48];
	struct conn_event e;

	if (wbpf_tool_short_event(data_sz, sizeof(e)))
		return 0;
	memcpy(&e, data, sizeof(e));
	wbpf_tool_addr_str(e.family == LINUX_AF_INET, e.laddr, laddr, sizeof(laddr));
	wbpf_tool_addr_str(e.family == LINUX_AF_INET, e.raddr, raddr, sizeof(raddr));
	if (env.timestamp)
		printf("%-8s ", wbpf_tool_time_hms(ts, sizeof(ts)));
	printf(env.wide ? "%-7s %-39s %-5u %-39s %-5u %8u %10llu %10llu %4u %10.3f\n"
			: "%-7s %-15s %-5u %-15s %-5u %8u %10llu %10llu %4u %10.3f\n",
	       kind_name(e.kind), laddr, e.lport, raddr, e.rport, e.srtt_us, e.bytes_acked,
	       e.bytes_received, e.total_retrans, e.duration_ns / 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	static char path[TARGET_MAX];
	struct bpf_buffer *rb = NULL;
	struct sockops_bpf *skel;
	int err;

	err = parse_args(argc, argv);
	if (err)
		return err;

	skel = sockops_bpf__open();
	if (!skel) {
		fprintf(stderr, "failed to open BPF object\n");
		return 1;
	}
	err = sockops_bpf__load(skel);
	if (err) {
		fprintf(stderr, "failed to load BPF object: %d\n", err);
		goto cleanup;
	}
	err = attach_cgroup(skel, path, sizeof(path));
	if (err)
		goto cleanup;

	rb = bpf_buffer__open(skel->maps.rb, handle_event, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "failed to create ring buffer: %s\n", strerror(errno));
		goto cleanup;
	}
	if (env.verbose)
		fprintf(stderr, "sockops: attached to cgroup %s\n", path);
	printf("Tracing the TCP connections of cgroup %s... Hit Ctrl-C to end.\n", path);
	if (env.timestamp)
		printf("%-8s ", "TIME");
	printf(env.wide ? "%-7s %-39s %-5s %-39s %-5s %8s %10s %10s %4s %10s\n"
			: "%-7s %-15s %-5s %-15s %-5s %8s %10s %10s %4s %10s\n",
	       "EVENT", "LADDR", "LPORT", "RADDR", "RPORT", "SRTT_US", "ACKED", "RCVD", "RETR",
	       "MS");
	fflush(stdout);

	/* main: poll until Ctrl-C */
	err = wbpf_tool_poll(rb, 0, NULL, NULL);
	if (err)
		fprintf(stderr, "error polling ring buffer: %s\n", strerror(-err));
	/* events the ring buffer had no room for (wbpf-drops.bpf.h) */
	if (!sockops_bpf__pull_globals(skel))
		wbpf_tool_report_drops(PROG, skel->bss->wbpf_ringbuf_drops, "ring buffer",
				       env.verbose);

cleanup:
	fflush(stdout);
	bpf_buffer__free(rb);
	sockops_bpf__destroy(skel);

	return err != 0;
}
