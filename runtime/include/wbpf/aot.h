/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The wasm2c binding: what the per-module glue (written by wasmbpf-aot) hands
 * to the runtime's main().
 *
 * The glue is generated C that includes the wasm2c header of the module
 * (compiled with `wasm2c -n guest`) and fills one struct wbpf_aot_module; the
 * names it uses are those of the wasm2c generation the runtime is built for
 * (w2c-driver/w2c.c writes them), e.g. for wabt 1.0.33 and later:
 *
 *	static w2c_guest instance;
 *	static void instantiate(struct wbpf_guest *g)
 *	{
 *		// one argument per imported module, in wasm2c's order
 *		wasm2c_guest_instantiate(&instance, (void *)g, (void *)g);
 *	}
 *	...
 *	int main(int argc, char **argv) { return wbpf_aot_main(argc, argv, &module); }
 *
 * Every import module instance pointer that wasm2c passes to an import is the
 * struct wbpf_guest itself; the import functions of the runtime archive
 * (generated from imports.def) cast it back.
 */
#ifndef WBPF_AOT_H
#define WBPF_AOT_H

#include <stdint.h>
#include <wasm-rt.h>

#include "guest.h"
#include "w2c.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wbpf_aot_module {
	/* the module's one-time initialization, NULL when wasm2c has none */
	void (*init_module)(void);
	/* the module's (static) instance; memory() and table() may be asked of
	 * it before instantiate() runs, and the answers stay valid after */
	void *instance;
	/* instantiate that instance, every import instance = g; runs the
	 * module's start function, if any, which may call imports */
	void (*instantiate)(struct wbpf_guest *g);
	/* the export _start */
	void (*start)(void *inst);
	/* the export memory */
	wasm_rt_memory_t *(*memory)(void *inst);
	/* the module's funcref table (exported or not); NULL if it has none */
	wasm_rt_funcref_table_t *(*table)(void *inst);
	/* the export "go-callback" when the module has it, else NULL */
	uint32_t (*go_callback)(void *inst, uint32_t a, uint32_t b, uint32_t c);
	/* wasm2c's identity of the type (i32, i32, i32) -> i32, after init_module */
	wbpf_w2c_func_type (*func_type_iii_i)(void);
	/* defaults granted at compile time (wasmbpf-aot --dir/--env); NULL-terminated
	 * lists, or NULL. dirs: "HOST[::GUEST][:ro]"; envs: "NAME=VALUE". */
	const char *const *dirs;
	const char *const *envs;
	/* the default custom BTF for CO-RE (wasmbpf-aot --btf), a path as given
	 * (relative: to the working directory at run time), or NULL; the
	 * variable WASMBPF_BTF overrides it (docs/abi.md, "BTF") */
	const char *btf;
	/* the module imports wasm_load_bpf_object: the runtime starts the object
	 * checker before anything else (docs/abi.md, "Loading an object") */
	bool loads_bpf_object;
};

/*
 * Run the module as a WASI command: set up WASI from argc/argv, the compile-time
 * defaults and the WASMBPF_* variables of the host environment, instantiate,
 * call _start, and exit with the guest's status. Never returns.
 */
__attribute__((noreturn)) int wbpf_aot_main(int argc, char **argv,
					    const struct wbpf_aot_module *m);

/*
 * Trap from host code on behalf of the guest (an import stub of an unsupported
 * import, a trap the runtime detects): prints "PROG: wasm trap: WHAT" and exits
 * WBPF_EXIT_TRAP after the cleanups. Used by generated glue.
 */
__attribute__((noreturn)) void wbpf_aot_trap(const char *what);

/*
 * The runtime's own, not the glue's: the guest's memory (set by
 * wbpf_aot_main() before the module is instantiated), and what every import
 * function of the runtime's binding does first: take the memory view of g
 * (wbpf/guest.h) straight from it, with no call.
 */
extern wasm_rt_memory_t *wbpf_aot_memory;

static inline void wbpf_aot_enter(struct wbpf_guest *g)
{
	g->mem.base = wbpf_aot_memory->data;
	g->mem.size = wbpf_w2c_mem_size(wbpf_aot_memory);
}

#ifdef __cplusplus
}
#endif

#endif /* WBPF_AOT_H */
