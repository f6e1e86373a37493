/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * wbpf-print.h: libbpf_set_print() for Wasm-eBPF guests (included by
 * libbpf-wasm.h and by the SDK's compat headers).
 *
 * A guest has no libbpf of its own: libbpf runs in the host, whose log
 * (warnings, the verifier's log, and everything with WASMBPF_DEBUG=1) goes
 * to the program's stderr whatever the guest sets. The callback set here
 * receives the guest SDK's own messages (for example why getpid() or
 * localtime() cannot give the real answer); without one they go to stderr,
 * LIBBPF_WARN and LIBBPF_INFO only, as libbpf's default does. The setting is
 * per translation unit (the SDK is header-only).
 */
#ifndef __WBPF_PRINT_H
#define __WBPF_PRINT_H

#include <stdarg.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef __WBPF_LIBBPF_PRINT_LEVEL
#define __WBPF_LIBBPF_PRINT_LEVEL
enum libbpf_print_level {
	LIBBPF_WARN,
	LIBBPF_INFO,
	LIBBPF_DEBUG,
};

typedef int (*libbpf_print_fn_t)(enum libbpf_print_level level, const char *, va_list ap);
#endif

static inline libbpf_print_fn_t *__wbpf_print_fn(void)
{
	static libbpf_print_fn_t fn;

	return &fn;
}

/* 1 once libbpf_set_print() was called: then NULL means "print nothing" */
static inline int *__wbpf_print_set(void)
{
	static int set;

	return &set;
}

/* Set the callback for the SDK's messages (NULL: none at all); returns the old one. */
static inline libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn)
{
	libbpf_print_fn_t old = *__wbpf_print_fn();

	*__wbpf_print_fn() = fn;
	*__wbpf_print_set() = 1;
	return old;
}

static inline int __wbpf_pr_call(libbpf_print_fn_t fn, enum libbpf_print_level level,
				 const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fn(level, fmt, ap);
	va_end(ap);
	return ret;
}

/* One SDK message, "libbpf-wasm: " first, through the callback or to stderr. */
static inline void __attribute__((format(printf, 2, 3)))
__wbpf_pr(enum libbpf_print_level level, const char *fmt, ...)
{
	libbpf_print_fn_t fn = *__wbpf_print_fn();
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "libbpf-wasm: ");
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (fn)
		__wbpf_pr_call(fn, level, "%s", buf);
	else if (!*__wbpf_print_set() && level != LIBBPF_DEBUG)
		fputs(buf, stderr);
}

#ifdef __cplusplus
}
#endif

#endif /* __WBPF_PRINT_H */
