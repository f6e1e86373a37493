/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tool_helpers.h: what the example tools' guests share, so that each fact
 * (how -h, -V and a usage error are printed, how a poll or interval loop
 * ends on SIGINT/SIGTERM, how lost events are reported) is written once.
 * tool_helpers.c is compiled into every tool (examples/examples.mk).
 *
 *   command line   struct wbpf_tool, wbpf_tool_getopt(), WBPF_TOOL_COMMON_OPTIONS,
 *                  wbpf_tool_usage_error(), wbpf_tool_iface_arg(); numbers:
 *                  wbpf_parse_number() of libbpf-wasm.h
 *   loops          wbpf_tool_poll(), wbpf_tool_sleep()
 *   events         wbpf_tool_short_event(), wbpf_tool_lost_events(),
 *                  wbpf_tool_report_drops()
 *   columns        wbpf_tool_time_hms(), wbpf_tool_now_ns(),
 *                  wbpf_tool_ip_proto_name(), wbpf_tool_addr_str()
 *   attaching      wbpf_tool_attach_optional()
 */
#ifndef __WBPF_TOOL_HELPERS_H
#define __WBPF_TOOL_HELPERS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "libbpf-wasm.h"

/*
 * What a tool prints for -h and -V, the name its usage errors give, and the
 * flag -v sets: the parts of argp's globals that a getopt_long port keeps.
 * -h prints doc, a blank line, options and, when bug_address is set, a blank
 * line and "Report bugs to BUG_ADDRESS.".
 */
struct wbpf_tool {
	const char *name;	 /* "Try 'NAME --help'." */
	const char *version;	 /* -V prints it, one line */
	const char *doc;	 /* what it does, USAGE, EXAMPLES (argp_program_doc) */
	const char *options;	 /* OPTIONS, and notes */
	const char *bug_address; /* argp_program_bug_address, or NULL */
	bool *verbose;		 /* -v sets it */
};

/* The last entries of every tool's long options: --verbose, --help, --version. */
// clang-format off
#define WBPF_TOOL_COMMON_OPTIONS						\
	{"verbose", no_argument, NULL, 'v'},					\
	{"help", no_argument, NULL, 'h'},					\
	{"version", no_argument, NULL, 'V'},					\
	{}
// clang-format on

/*
 * Report a command-line problem: "WHAT: ARG" (or "WHAT" when arg is NULL;
 * nothing when what is NULL), then "Try 'PROG --help'.", on stderr. Returns
 * 2, the usage-error exit code, so that a parser can `return` it.
 */
int wbpf_tool_usage_error(const char *prog, const char *what, const char *arg);

/*
 * getopt_long(argc, argv, optstring, longopts, NULL) for a tool's option
 * loop, with the options every tool has handled here: -v sets
 * *tool->verbose, -h prints the help on stdout and exits 0, -V prints the
 * version and exits 0, and an unknown option or a missing argument (after
 * getopt_long's own message) exits 2 after "Try 'NAME --help'.". Returns the
 * next option of the tool's own, or -1 after the last.
 */
int wbpf_tool_getopt(const struct wbpf_tool *tool, int argc, char **argv, const char *optstring,
		     const struct option *longopts);

/*
 * The one positional argument IFACE left after getopt_long (argv[optind]): a
 * Linux interface name, 1 to 15 bytes without '/'. Returns 0 with *ifname
 * set; else the usage error (2), said as "missing IFACE", "invalid IFACE:
 * ARG" or "unrecognized positional argument: ARG".
 */
int wbpf_tool_iface_arg(const char *prog, int argc, char **argv, const char **ifname);

/*
 * The event loop of a buffer tool: poll buf (POLL_TIMEOUT_MS a time) and
 * flush stdout after each poll, so that a reader of a pipe sees every line
 * as its event comes; after_poll(ctx) (may be NULL) runs after each poll.
 * SIGINT and SIGTERM make the host end the poll with -EINTR (docs/abi.md,
 * "Stopping"): the loop returns 0, as it does once wbpf_tool_now_ns() passes
 * end_ns (0: no end). A failed poll returns its negative errno, which the
 * caller reports in the words of its original.
 */
int wbpf_tool_poll(struct bpf_buffer *buf, uint64_t end_ns, void (*after_poll)(void *ctx),
		   void *ctx);

/*
 * Sleep for the interval of an interval loop. Returns false once the host was
 * asked to stop: SIGINT/SIGTERM cut the sleep short, which wasi-libc reports
 * as a failed nanosleep() (docs/abi.md, "Stopping"); the tool then prints
 * what it gathered a last time and ends.
 */
bool wbpf_tool_sleep(long long seconds);

/*
 * A sample callback's size check: true, after "short event: SIZE bytes" on
 * stderr, when size is less than want (the callback then drops the sample).
 */
bool wbpf_tool_short_event(size_t size, size_t want);

/*
 * The lost-samples callback of bpf_buffer__open(buf, sample, lost, ctx):
 * "Lost N events on CPU #C!" on stderr. The host reports a perf
 * buffer's lost samples itself, on stderr (docs/abi.md, "Polling a buffer"),
 * and the SDK does not call this; a port keeps it for a host that would.
 */
void wbpf_tool_lost_events(void *ctx, int cpu, uint64_t lost_cnt);

/*
 * The events the BPF side could not send because its buffer ("ring buffer",
 * "perf buffer") was full, as wbpf-drops.bpf.h counts them in .bss (read
 * them with NAME_bpf__pull_globals() first): "PROG: N events dropped in
 * total (BUFFER full)" on stderr when n is not 0, or always with always.
 */
void wbpf_tool_report_drops(const char *prog, unsigned long long n, const char *buffer,
			    bool always);

/*
 * The current wall-clock time as "HH:MM:SS" in buf (at least 9 bytes), local
 * time: the SDK's localtime() (wasm-sdk/include/compat/time.h) honours a
 * POSIX TZ string the guest is given (WASMBPF_ENV_TZ=CET-1CEST), else UTC.
 * Returns buf.
 */
char *wbpf_tool_time_hms(char *buf, size_t size);

/* CLOCK_MONOTONIC in nanoseconds (0 if the clock cannot be read). */
uint64_t wbpf_tool_now_ns(void);

/*
 * The name of IP protocol number proto (IPv4's protocol field, IPv6's next
 * header): a constant string for the common ones, else "proto-N" in buf.
 */
const char *wbpf_tool_ip_proto_name(unsigned int proto, char *buf, size_t size);

/*
 * An address from an event in text into buf: the 4 bytes of addr as dotted
 * IPv4 when ipv4, else the 16 bytes as IPv6 ("?" if they cannot be written).
 * The events carry Linux's AF_* values, which are not the guest's: the
 * caller tests its event's family. Returns buf.
 */
char *wbpf_tool_addr_str(bool ipv4, const unsigned char *addr, char *buf, size_t size);

/*
 * Attach one program of a loaded skeleton, for a tracepoint that some kernels
 * or architectures lack (syscalls/sys_enter_open is absent on arm64): the
 * guest cannot look into tracefs, so it tries. Returns 0 when attached,
 * -ENOENT when the kernel has no such tracepoint (the caller goes on
 * without it), another negative errno on other failures. Give the program
 * bpf_program__set_autoattach(prog, false) before NAME_bpf__attach() so that
 * the skeleton leaves it to this function.
 */
int wbpf_tool_attach_optional(struct bpf_program *prog);

#endif /* __WBPF_TOOL_HELPERS_H */
