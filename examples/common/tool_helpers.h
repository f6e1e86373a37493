/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tool_helpers.h: what every example tool's guest side needs, header-only
 * (examples/examples.mk puts this folder on the guest include path; the
 * guest build compiles only NAME.c, so there is nothing to link).
 *
 *   wbpf_tool_usage_error()     the usage-error lines and exit code 2
 *   wbpf_tool_time_hms()        the wall clock as HH:MM:SS for TIME columns
 *   wbpf_tool_now_ns()          a monotonic clock for -d DURATION and TIME(s)
 *   wbpf_tool_attach_optional() attach a program whose tracepoint may be absent
 *
 * Numbers on command lines are parsed with wbpf_parse_number() of
 * libbpf-wasm.h.
 */
#ifndef __WBPF_TOOL_HELPERS_H
#define __WBPF_TOOL_HELPERS_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "libbpf-wasm.h"

/*
 * Report a command-line problem: "WHAT: ARG" (or "WHAT" when arg is NULL;
 * nothing when what is NULL), then "Try 'PROG --help'.", on stderr. Returns
 * 2, the usage-error exit code, so that a parser can `return` it.
 */
static inline int wbpf_tool_usage_error(const char *prog, const char *what, const char *arg)
{
	if (what && arg)
		fprintf(stderr, "%s: %s\n", what, arg);
	else if (what)
		fprintf(stderr, "%s\n", what);
	fprintf(stderr, "Try '%s --help'.\n", prog);
	return 2;
}

/*
 * The current wall-clock time as "HH:MM:SS" in buf (at least 9 bytes), local
 * time: the SDK's localtime() (wasm-sdk/include/compat/time.h) honours a
 * POSIX TZ string the guest is given (WASMBPF_ENV_TZ=CET-1CEST), else UTC.
 * Returns buf.
 */
static inline char *wbpf_tool_time_hms(char *buf, size_t size)
{
	struct tm *tm;
	time_t t;

	time(&t);
	tm = localtime(&t);
	if (!tm || !strftime(buf, size, "%H:%M:%S", tm))
		snprintf(buf, size, "??:??:??");
	return buf;
}

/* CLOCK_MONOTONIC in nanoseconds (0 if the clock cannot be read). */
static inline uint64_t wbpf_tool_now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Attach one program of a loaded skeleton, for a tracepoint that some kernels
 * or architectures lack (syscalls/sys_enter_open is absent on arm64): the
 * guest cannot look into tracefs, so it tries. Returns 0 when attached,
 * -ENOENT when the kernel has no such tracepoint (the caller goes on
 * without it), another negative errno on other failures. Give the program
 * bpf_program__set_autoattach(prog, false) before NAME_bpf__attach() so that
 * the skeleton leaves it to this function.
 */
static inline int wbpf_tool_attach_optional(struct bpf_program *prog)
{
	int err;

	if (!prog || !prog->obj_ptr)
		return -EINVAL;
	err = wbpf_host_errno(wasm_attach_bpf_program(
		prog->obj_ptr, prog->name, prog->attach_target[0] ? prog->attach_target : NULL));
	return err < 0 ? err : 0;
}

#endif /* __WBPF_TOOL_HELPERS_H */
