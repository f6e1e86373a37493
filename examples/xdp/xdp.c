// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * xdp: count the packets an interface receives, by IP protocol, with an XDP
 * program that lets every packet pass; a Wasm-eBPF guest. The interface is
 * the program's attach target; every interval the guest walks the counts
 * map (bpf_map_get_next_key and lookups) and prints the totals since the
 * start with the rate of the last interval. The interval's sleep fails once
 * the host was asked to stop (SIGINT/SIGTERM): the guest prints the counts a
 * last time and destroys the object, which detaches the program.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "xdp.h"
#include "xdp.skel.h"
#include "tool_helpers.h"

_Static_assert(sizeof(struct counts) == 16, "struct counts layout");

#define PROG "xdp"

static struct env {
	long long interval; /* seconds */
	long long count;    /* 0: until stopped */
	bool timestamp;
	bool verbose;
	const char *ifname;
} env = {
	.interval = 1,
};

static const struct wbpf_tool tool = {
	.name = "xdp",
	.version = "xdp 0.1",
	.doc = "Count the packets an interface receives, by IP protocol, with XDP.\n"
	       "\n"
	       "USAGE: xdp [-h] [-T] [-i SECONDS] [-c COUNT] IFACE\n"
	       "\n"
	       "EXAMPLES:\n"
	       "    xdp eth0             # counts on eth0 every second, until Ctrl-C\n"
	       "    xdp -i 5 eth0        # every 5 seconds\n"
	       "    xdp -i 2 -c 3 eth0   # three times, 2 seconds apart, then exit\n",
	.options = "OPTIONS:\n"
		   "  -i, --interval=SECONDS   print the counts every SECONDS (default 1)\n"
		   "  -c, --count=COUNT        exit after COUNT intervals\n"
		   "  -T, --timestamp          print the time before each table\n"
		   "  -v, --verbose            say more on stderr\n"
		   "  -h, --help               show this help\n"
		   "  -V, --version            show the version\n"
		   "\n"
		   "PACKETS and BYTES are totals since the start (BYTES: what XDP sees of each\n"
		   "packet); PKTS/S is the rate of the last interval. Packets that are neither\n"
		   "IPv4 nor IPv6 (ARP, ...) are counted as non-IP. The program is attached in\n"
		   "the interface's native mode where its driver has one, else in generic mode,\n"
		   "and detached when xdp exits.\n",
	.verbose = &env.verbose,
};

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"interval", required_argument, NULL, 'i'},
		{"count", required_argument, NULL, 'c'},
		{"timestamp", no_argument, NULL, 'T'},
		WBPF_TOOL_COMMON_OPTIONS,
	};
	int c;

	while ((c = wbpf_tool_getopt(&tool, argc, argv, "i:c:TvhV", opts)) != -1) {
		switch (c) {
		case 'i':
			if (wbpf_parse_number(optarg, 1, 86400, &env.interval))
				return wbpf_tool_usage_error(PROG, "invalid SECONDS", optarg);
			break;
		case 'c':
			if (wbpf_parse_number(optarg, 1, INT32_MAX, &env.count))
				return wbpf_tool_usage_error(PROG, "invalid COUNT", optarg);
			break;
		case 'T':
			env.timestamp = true;
			break;
		}
	}
	return wbpf_tool_iface_arg(PROG, argc, argv, &env.ifname);
}

static const char *proto_name(uint32_t key, char *buf, size_t size)
{
	if (key == XDP_KEY_NON_IP)
		return "non-IP";
	return wbpf_tool_ip_proto_name(key, buf, size);
}

/* totals at the end of the last interval, to print rates */
static unsigned long long last_packets[XDP_NR_KEYS];

/* Print the counts map, in protocol order. */
static int print_counts(struct bpf_map *map, double seconds)
{
	struct counts all[XDP_NR_KEYS], c;
	bool seen[XDP_NR_KEYS] = {};
	uint32_t key, next, *prev = NULL;
	char ts[32], name[16];
	double rate;
	int err;

	/* walk the keys, then print in key order */
	while ((err = bpf_map__get_next_key(map, prev, &next, sizeof(next))) == 0) {
		key = next;
		prev = &key;
		if (key >= XDP_NR_KEYS)
			continue;
		err = bpf_map__lookup_elem(map, &key, sizeof(key), &c, sizeof(c), 0);
		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		all[key] = c;
		seen[key] = true;
	}
	if (err != -ENOENT)
		return err;

	if (env.timestamp)
		printf("%s\n", wbpf_tool_time_hms(ts, sizeof(ts)));
	printf("%-10s %12s %14s %10s\n", "PROTO", "PACKETS", "BYTES", "PKTS/S");
	for (key = 0; key < XDP_NR_KEYS; key++) {
		if (!seen[key])
			continue;
		rate = seconds > 0 ? (all[key].packets - last_packets[key]) / seconds : 0;
		printf("%-10s %12llu %14llu %10.1f\n", proto_name(key, name, sizeof(name)),
		       all[key].packets, all[key].bytes, rate);
		last_packets[key] = all[key].packets;
	}
	printf("\n");
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t start, now;
	struct xdp_bpf *obj;
	long long n = 0;
	bool stop = false;
	int err;

	err = parse_args(argc, argv);
	if (err)
		return err;

	obj = xdp_bpf__open();
	if (!obj) {
		fprintf(stderr, "failed to open BPF object\n");
		return 1;
	}

	err = xdp_bpf__load(obj);
	if (err) {
		fprintf(stderr, "failed to load BPF object: %d\n", err);
		goto cleanup;
	}

	bpf_set_prog_attach_target(obj->progs.xdp_count, env.ifname);
	err = xdp_bpf__attach(obj);
	if (err) {
		fprintf(stderr, "failed to attach to %s: %s\n", env.ifname, strerror(-err));
		goto cleanup;
	}
	if (env.verbose)
		fprintf(stderr, "xdp: attached to %s, interval %llds\n", env.ifname, env.interval);

	printf("Counting packets on %s by IP protocol... Hit Ctrl-C to end.\n\n", env.ifname);
	fflush(stdout);

	start = wbpf_tool_now_ns();
	while (!stop) {
		stop = !wbpf_tool_sleep(env.interval);
		now = wbpf_tool_now_ns();
		err = print_counts(obj->maps.counts, (now - start) / 1e9);
		if (err) {
			fprintf(stderr, "failed to read the counts: %s\n", strerror(-err));
			break;
		}
		start = now;
		if (env.count && ++n >= env.count)
			break;
	}

cleanup:
	fflush(stdout);
	xdp_bpf__destroy(obj);

	return err != 0;
}
