// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sockfilter: the IP packets an interface receives (with -o also those it
 * sends), one line each with protocol, addresses and ports, as
 * libbpf-bootstrap's sockfilter prints them; a Wasm-eBPF guest. The guest
 * cannot open sockets: it gives the interface as the socket filter's attach
 * target, and the host opens an AF_PACKET socket on it with the program
 * attached (see docs/abi.md, "Attaching"). The events come through a ring
 * buffer; the poll returns -EINTR once the host was asked to stop, and
 * destroying the object closes that socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "sockfilter.h"
#include "sockfilter.skel.h"
#include "tool_helpers.h"

_Static_assert(sizeof(struct so_event) == 48, "struct so_event layout");

#define PROG "sockfilter"

static struct env {
	bool timestamp;
	bool outgoing;
	bool verbose;
	const char *ifname;
} env;

static const struct wbpf_tool tool = {
	.name = "sockfilter",
	.version = "sockfilter 0.1",
	.doc = "Show the IP packets an interface receives, with a socket filter.\n"
	       "\n"
	       "USAGE: sockfilter [-h] [-T] [-o] IFACE\n"
	       "\n"
	       "EXAMPLES:\n"
	       "    sockfilter lo        # packets received on lo, until Ctrl-C\n"
	       "    sockfilter -o eth0   # received and sent on eth0\n",
	.options = "OPTIONS:\n"
		   "  -o, --outgoing    also the packets the interface sends (marked 'out')\n"
		   "  -T, --timestamp   print the time before each packet\n"
		   "  -v, --verbose     say more on stderr\n"
		   "  -h, --help        show this help\n"
		   "  -V, --version     show the version\n"
		   "\n"
		   "Each line: the interface, the IP protocol (IPv4's protocol field, IPv6's\n"
		   "first next header) and the source and destination addresses, with the\n"
		   "ports for TCP, UDP, UDP-Lite and SCTP. Frames that are not IP (ARP, ...)\n"
		   "are not shown. The filter sits on a raw socket of the interface that only\n"
		   "it sees; it keeps no packet from anything else.\n",
	.verbose = &env.verbose,
};

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"outgoing", no_argument, NULL, 'o'},
		{"timestamp", no_argument, NULL, 'T'},
		WBPF_TOOL_COMMON_OPTIONS,
	};
	int c;

	while ((c = wbpf_tool_getopt(&tool, argc, argv, "oTvhV", opts)) != -1) {
		switch (c) {
		case 'o':
			env.outgoing = true;
			break;
		case 'T':
			env.timestamp = true;
			break;
		}
	}
	return wbpf_tool_iface_arg(PROG, argc, argv, &env.ifname);
}

static bool has_ports(unsigned int proto)
{
	return proto == 6 || proto == 17 || proto == 132 || proto == 136;
}

/* "ADDR:PORT" ("[ADDR]:PORT" for IPv6), or "ADDR" without ports */
static void endpoint(const struct so_event *e, const unsigned char *addr, unsigned int port,
		     char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	wbpf_tool_addr_str(e->family == LINUX_AF_INET, addr, a, sizeof(a));
	if (!has_ports(e->proto))
		snprintf(buf, size, "%s", a);
	else if (e->family == LINUX_AF_INET)
		snprintf(buf, size, "%s:%u", a, port);
	else
		snprintf(buf, size, "[%s]:%u", a, port);
}

static int handle_event(void *ctx, void *data, size_t data_sz)
{
	char ts[32], name[16], src[64], dst[64];
	struct so_event e;

	if (wbpf_tool_short_event(data_sz, sizeof(e)))
		return 0;
	memcpy(&e, data, sizeof(e));
	endpoint(&e, e.saddr, e.sport, src, sizeof(src));
	endpoint(&e, e.daddr, e.dport, dst, sizeof(dst));
	if (env.timestamp)
		printf("%s  ", wbpf_tool_time_hms(ts, sizeof(ts)));
	printf("interface: %s  protocol: %s  %s(src) -> %s(dst)%s\n", env.ifname,
	       wbpf_tool_ip_proto_name(e.proto, name, sizeof(name)), src, dst,
	       e.pkt_type == SF_PACKET_OUTGOING ? "  out" : "");
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_buffer *rb = NULL;
	struct sockfilter_bpf *skel;
	int err;

	err = parse_args(argc, argv);
	if (err)
		return err;

	skel = sockfilter_bpf__open();
	if (!skel) {
		fprintf(stderr, "failed to open BPF object\n");
		return 1;
	}
	skel->rodata->outgoing = env.outgoing;

	err = sockfilter_bpf__load(skel);
	if (err) {
		fprintf(stderr, "failed to load BPF object: %d\n", err);
		goto cleanup;
	}

	/* the host opens a raw socket on the interface and attaches the filter */
	bpf_set_prog_attach_target(skel->progs.sockfilter, env.ifname);
	err = sockfilter_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "failed to attach to %s: %s\n", env.ifname, strerror(-err));
		goto cleanup;
	}

	rb = bpf_buffer__open(skel->maps.rb, handle_event, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "failed to create ring buffer: %s\n", strerror(errno));
		goto cleanup;
	}
	if (env.verbose)
		fprintf(stderr, "sockfilter: attached to %s%s\n", env.ifname,
			env.outgoing ? ", outgoing packets too" : "");
	printf("Showing the IP packets of %s... Hit Ctrl-C to end.\n", env.ifname);
	fflush(stdout);

	/* main: poll until Ctrl-C */
	err = wbpf_tool_poll(rb, 0, NULL, NULL);
	if (err)
		fprintf(stderr, "error polling ring buffer: %s\n", strerror(-err));
	/* events the ring buffer had no room for (wbpf-drops.bpf.h) */
	if (!sockfilter_bpf__pull_globals(skel))
		wbpf_tool_report_drops(PROG, skel->bss->wbpf_ringbuf_drops, "ring buffer",
				       env.verbose);

cleanup:
	fflush(stdout);
	bpf_buffer__free(rb);
	sockfilter_bpf__destroy(skel);

	return err != 0;
}
