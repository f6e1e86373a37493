/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The module checks of both engines (check.c): wasmbpf-aot before it
 * translates a module, wasmbpf-run before it instantiates one. C, usable from
 * the interpreter's C++.
 */
#ifndef WBPF_CHECK_H
#define WBPF_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasm-reader.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the checks learned about a module. */
struct wbpf_check {
	/* indices into wasm->imports of the unsupported function imports that
	 * become trapping stubs (allow_unknown), duplicates removed */
	uint32_t *stubs;
	uint32_t nstubs;
	uint32_t nimport_modules; /* distinct import module names */
	bool has_go_callback;	  /* exports "go-callback" (checked: (i32, i32, i32) -> i32) */
	bool loads_bpf_object;	  /* imports wasm_bpf's wasm_load_bpf_object */
};

/*
 * Check every import against the runtime's import table (imports.def) and the
 * exports the engines need (_start, memory, go-callback's type). 0, or -EINVAL
 * with a one-line reason in err (no program name or file prefix). With
 * allow_unknown, unsupported function imports are listed in c->stubs instead.
 * Free with wbpf_check__free() whatever the result.
 */
int wbpf_check_module(struct wbpf_check *c, const struct wbpf_wasm *m, bool allow_unknown,
		      char *err, size_t errsz);
void wbpf_check__free(struct wbpf_check *c);

#ifdef __cplusplus
}
#endif

#endif /* WBPF_CHECK_H */
