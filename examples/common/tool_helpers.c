// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tool_helpers.c: the example tools' shared guest code; tool_helpers.h says
 * what each function does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "tool_helpers.h"

#define IFNAMSIZ 16 /* Linux's, with the NUL */

int wbpf_tool_usage_error(const char *prog, const char *what, const char *arg)
{
	if (what && arg)
		fprintf(stderr, "%s: %s\n", what, arg);
	else if (what)
		fprintf(stderr, "%s\n", what);
	fprintf(stderr, "Try '%s --help'.\n", prog);
	return 2;
}

int wbpf_tool_getopt(const struct wbpf_tool *tool, int argc, char **argv, const char *optstring,
		     const struct option *longopts)
{
	int c;

	for (;;) {
		c = getopt_long(argc, argv, optstring, longopts, NULL);
		switch (c) {
		case 'v':
			*tool->verbose = true;
			break;
		case 'h':
			printf("%s\n%s", tool->doc, tool->options);
			if (tool->bug_address)
				printf("\nReport bugs to %s.\n", tool->bug_address);
			exit(0);
		case 'V':
			printf("%s\n", tool->version);
			exit(0);
		case '?':
		case ':':
			exit(wbpf_tool_usage_error(tool->name, NULL, NULL));
		default:
			return c;
		}
	}
}

int wbpf_tool_iface_arg(const char *prog, int argc, char **argv, const char **ifname)
{
	const char *name;

	if (optind >= argc)
		return wbpf_tool_usage_error(prog, "missing IFACE", NULL);
	if (argc - optind > 1)
		return wbpf_tool_usage_error(prog, "unrecognized positional argument",
					     argv[optind + 1]);
	name = argv[optind];
	if (!*name || strlen(name) >= IFNAMSIZ || strchr(name, '/'))
		return wbpf_tool_usage_error(prog, "invalid IFACE", name);
	*ifname = name;
	return 0;
}

int wbpf_tool_poll(struct bpf_buffer *buf, uint64_t end_ns, void (*after_poll)(void *ctx),
		   void *ctx)
{
	int err;

	for (;;) {
		err = bpf_buffer__poll(buf, POLL_TIMEOUT_MS);
		if (err == -EINTR)
			return 0;
		if (err < 0)
			return err;
		fflush(stdout);
		if (after_poll)
			after_poll(ctx);
		if (end_ns && wbpf_tool_now_ns() > end_ns)
			return 0;
	}
}

bool wbpf_tool_sleep(long long seconds)
{
	struct timespec delay = {.tv_sec = seconds};

	return nanosleep(&delay, NULL) == 0;
}

bool wbpf_tool_short_event(size_t size, size_t want)
{
	if (size >= want)
		return false;
	fprintf(stderr, "short event: %zu bytes\n", size);
	return true;
}

void wbpf_tool_lost_events(void *ctx, int cpu, uint64_t lost_cnt)
{
	fprintf(stderr, "Lost %llu events on CPU #%d!\n", (unsigned long long)lost_cnt, cpu);
}

void wbpf_tool_report_drops(const char *prog, unsigned long long n, const char *buffer, bool always)
{
	if (n || always)
		fprintf(stderr, "%s: %llu events dropped in total (%s full)\n", prog, n, buffer);
}

char *wbpf_tool_time_hms(char *buf, size_t size)
{
	struct tm *tm;
	time_t t;

	time(&t);
	tm = localtime(&t);
	if (!tm || !strftime(buf, size, "%H:%M:%S", tm))
		snprintf(buf, size, "??:??:??");
	return buf;
}

uint64_t wbpf_tool_now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

const char *wbpf_tool_ip_proto_name(unsigned int proto, char *buf, size_t size)
{
	switch (proto) {
	case 0:
		return "HOPOPT"; /* IPv6 hop-by-hop options (MLD reports) */
	case 1:
		return "ICMP";
	case 2:
		return "IGMP";
	case 4:
		return "IPIP";
	case 6:
		return "TCP";
	case 17:
		return "UDP";
	case 41:
		return "IPv6";
	case 47:
		return "GRE";
	case 50:
		return "ESP";
	case 51:
		return "AH";
	case 58:
		return "ICMPv6";
	case 132:
		return "SCTP";
	case 136:
		return "UDPLite";
	default:
		snprintf(buf, size, "proto-%u", proto);
		return buf;
	}
}

char *wbpf_tool_addr_str(bool ipv4, const unsigned char *addr, char *buf, size_t size)
{
	if (ipv4)
		snprintf(buf, size, "%u.%u.%u.%u", addr[0], addr[1], addr[2], addr[3]);
	else if (!inet_ntop(AF_INET6, addr, buf, size))
		snprintf(buf, size, "?");
	return buf;
}

int wbpf_tool_attach_optional(struct bpf_program *prog)
{
	int err;

	if (!prog || !prog->obj_ptr)
		return -EINVAL;
	err = wbpf_host_errno(wasm_attach_bpf_program(
		prog->obj_ptr, prog->name, prog->attach_target[0] ? prog->attach_target : NULL));
	return err < 0 ? err : 0;
}
