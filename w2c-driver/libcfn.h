/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The guest libc's memory and string routines, recognised by their bodies and
 * given native fast paths (libcfn.c; docs/abi.md, "Generated code").
 *
 * wasi-libc's memcpy, memset, strlen and memchr are C loops compiled to wasm;
 * a tool's user space spends much of its time in them (formatting lines,
 * copying keys and events). The driver looks for function bodies that are,
 * byte for byte, one of the builds it knows (the table in libcfn.c), names
 * them in the module's name section so that their C is easy to find, and after
 * wasm2c puts a wrapper in front of each: when every byte the call touches is
 * inside the memory (and, for memcpy, the ranges do not overlap), the wrapper
 * does the work with the host libc; otherwise it calls the original code, so
 * that every result and every trap stays the module's own.
 */
#ifndef WBPF_LIBCFN_H
#define WBPF_LIBCFN_H

#include <stddef.h>
#include <stdint.h>

#include "w2c.h"
#include "wasm-reader.h"

enum wbpf_libcfn_kind {
	WBPF_LIBC_MEMCPY,
	WBPF_LIBC_MEMSET,
	WBPF_LIBC_STRLEN,
	WBPF_LIBC_MEMCHR,
	WBPF_LIBC_NKINDS,
};

#define WBPF_LIBCFN_MAX 16

struct wbpf_libcfns {
	struct {
		uint32_t func; /* index in the function space (imports first) */
		enum wbpf_libcfn_kind kind;
	} fn[WBPF_LIBCFN_MAX];
	unsigned int n;
};

/* "memcpy", ... */
const char *wbpf_libcfn__kind_str(enum wbpf_libcfn_kind kind);

/*
 * The routines among the defined functions of the module buf[0, len), which
 * parsed into m: a body and a type equal to a known build's. Never fails: a
 * code section it cannot read (or that m places past len) yields no routines.
 */
void wbpf_libcfn__find(const uint8_t *buf, size_t len, const struct wbpf_wasm *m,
		       struct wbpf_libcfns *out);

/* The name the module gives routine i (wbpf_libcfn__rename): "wbpfrtmemcpy57". */
void wbpf_libcfn__name(const struct wbpf_libcfns *fns, unsigned int i, char *buf, size_t bufsz);

/* The C name wasm2c gives that function (w2c_NAME, w2c_guest_NAME): the exact
 * name the passes over the generated C look for. */
void wbpf_libcfn__c_name(const struct wbpf_w2c *w, const struct wbpf_libcfns *fns, unsigned int i,
			 char *buf, size_t bufsz);

/*
 * The module with each routine of fns named wbpf_libcfn__name() in its name
 * section (added at the end when it has none): malloc'd, *outlen bytes. A
 * routine whose name some function or export already has is dropped from fns.
 * NULL (and fns->n set to 0) when the name section cannot be read as one, or
 * out of memory: the module is then compiled as it is.
 */
uint8_t *wbpf_libcfn__rename(const uint8_t *buf, size_t len, const struct wbpf_wasm *m,
			     struct wbpf_libcfns *fns, size_t *outlen);

/*
 * The C pass, after wasm2c and the memory-base pass: the definition of each
 * routine of fns in src is renamed NAME_wasm and followed by a wrapper NAME
 * with the fast path. A malloc'd text (*outlen bytes, NUL-terminated) and the
 * count of wrappers in *nwrapped; NULL when out of memory. A routine whose
 * definition is not found or not of the expected shape keeps its C as it is.
 */
char *wbpf_libcfn__wrap(const struct wbpf_w2c *w, const char *src, size_t len,
			const struct wbpf_libcfns *fns, size_t *outlen, unsigned int *nwrapped);

#endif /* WBPF_LIBCFN_H */
