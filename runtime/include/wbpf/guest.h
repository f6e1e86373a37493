/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The runtime's whole view of a running guest, whatever engine runs it.
 *
 * An engine (the wasm2c binding in runtime/aot, the interpreter binding in
 * runtime/interp) provides two things through struct wbpf_engine_ops: the
 * guest's linear memory (base and size) and a type-checked call of a guest
 * function. Nothing else in the runtime knows which engine runs.
 *
 * The memory view: g->mem is the linear memory as the guest left it when it
 * last called the host or returned to it. Only guest code grows (and so may
 * move) its memory, so the view is taken once where host code starts to run
 * on the guest's behalf and stays valid until guest code runs again: every
 * import refreshes it on entry (the AOT binding inline, the generic entries
 * of wbpf_imports through ops->mem), and wbpf_guest_call_table_iii_i() and
 * wbpf_guest_call_go_callback() refresh it when the guest returns.
 *
 * Host handlers take the wasm arguments typed and named as their row of
 * imports.def says (the prototypes are generated: gen-binding --handlers-h),
 * turn every guest range into a host pointer with wbpf_guest_range() or
 * wbpf_guest_str() and pass only checked pointers to the core. A host pointer
 * into guest memory is valid only until the next call into the guest (which
 * may grow memory): re-derive it after.
 */
#ifndef WBPF_GUEST_H
#define WBPF_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct wbpf_guest;
struct wbpf_wasi;
struct wbpf_bpf;

struct wbpf_engine_ops {
	/* Current linear memory: returns its base and stores its size in bytes. */
	uint8_t *(*mem)(struct wbpf_guest *g, uint64_t *size);
	/*
	 * Call the function at index idx of the guest's function table with
	 * (a, b, c), after checking idx is in range and the entry's type is
	 * exactly (i32, i32, i32) -> i32. Returns 0 and stores the result in
	 * *ret, -ERANGE for an index out of range or a null entry, -EINVAL for
	 * an entry of another type. A trap in the callee does not return: it
	 * ends the program with the trap's message (wbpf_guest_trap()).
	 */
	int (*call_table_iii_i)(struct wbpf_guest *g, uint32_t idx, uint32_t a, uint32_t b,
				uint32_t c, int32_t *ret);
	/*
	 * Call the guest's export "go-callback" (TinyGo), type
	 * (i32, i32, i32) -> i32. -ENOENT when the module has no such export.
	 */
	int (*call_go_callback)(struct wbpf_guest *g, uint32_t a, uint32_t b, uint32_t c,
				int32_t *ret);
	/*
	 * Abandon the guest with a trap: unwind to the engine's entry point,
	 * which then reports "PROG: wasm trap: WHAT" and exits (see
	 * wbpf_trap_exit()). Never returns.
	 */
	__attribute__((noreturn)) void (*trap)(struct wbpf_guest *g, const char *what);
};

/* A view of the guest's linear memory. */
struct wbpf_mem {
	uint8_t *base;
	uint64_t size; /* bytes */
};

/* One running guest. Engines fill ops/engine; the runtime owns the rest. */
struct wbpf_guest {
	struct wbpf_mem mem; /* the memory view (above) */
	const struct wbpf_engine_ops *ops;
	void *engine;		/* engine-private instance */
	const char *prog;	/* program name for messages: basename of argv[0] */
	/* the compile-time default of the custom BTF for CO-RE (wasmbpf-aot --btf), or
	 * NULL; WASMBPF_BTF overrides it (docs/abi.md, "BTF") */
	const char *btf_default;
	struct wbpf_wasi *wasi; /* WASI state: args, environ, fds, preopens */
	struct wbpf_bpf *bpf;	/* wasm_bpf state, created on first use */
};

/* Take the memory view anew from the engine. */
static inline void wbpf_guest_refresh(struct wbpf_guest *g)
{
	g->mem.base = g->ops->mem(g, &g->mem.size);
}

/*
 * The generic entry of an import: args holds the wasm arguments in order,
 * each zero-extended to 64 bits; the return value is the result (i32 results
 * in the low half, 0 for none). Each refreshes the memory view and calls the
 * import's typed handler, whose prototype is generated from imports.def
 * (gen-binding --handlers-h).
 */
typedef uint64_t (*wbpf_handler_t)(struct wbpf_guest *g, const uint64_t *args);

/* One row of the import table (imports.def). */
struct wbpf_import {
	const char *module;
	const char *name;
	const char *params;  /* 'i' = i32, 'I' = i64 */
	const char *results; /* "" or one letter */
	const char *names;   /* the parameters' names, space-separated */
	const char *handler; /* the typed handler's name */
	wbpf_handler_t call;
};

/* The import table, built from imports.def; wbpf_imports_cnt rows. */
extern const struct wbpf_import wbpf_imports[];
extern const size_t wbpf_imports_cnt;

/*
 * Overflow-safe check that [off, off + len) lies inside [0, mem_size).
 * The one range rule of the runtime; tested in tests/unit.
 */
static inline bool wbpf_range_ok(uint64_t mem_size, uint64_t off, uint64_t len)
{
	return off <= mem_size && len <= mem_size - off;
}

/*
 * Host pointer for range [off, off + len) of the memory view m, or NULL when
 * any byte of it lies outside. len 0 at off == size is valid (empty range).
 */
static inline void *wbpf_mem_range(const struct wbpf_mem *m, uint64_t off, uint64_t len)
{
	if (!wbpf_range_ok(m->size, off, len))
		return NULL;
	return m->base + off;
}

/* wbpf_mem_range() on the guest's memory view. */
static inline void *wbpf_guest_range(struct wbpf_guest *g, uint64_t off, uint64_t len)
{
	return wbpf_mem_range(&g->mem, off, len);
}

/*
 * Check the NUL-terminated string at guest offset off: the NUL must lie inside
 * memory. Returns the host pointer, or NULL (then the caller returns EFAULT).
 * If len is not NULL it receives strlen.
 */
const char *wbpf_guest_str(struct wbpf_guest *g, uint64_t off, size_t *len);

/*
 * ops->call_table_iii_i() and ops->call_go_callback(), then a fresh memory
 * view (the guest may have grown its memory): the only ways host code calls
 * guest code. Host pointers taken before are stale after them.
 */
int wbpf_guest_call_table_iii_i(struct wbpf_guest *g, uint32_t idx, uint32_t a, uint32_t b,
				uint32_t c, int32_t *ret);
int wbpf_guest_call_go_callback(struct wbpf_guest *g, uint32_t a, uint32_t b, uint32_t c,
				int32_t *ret);

/* Program-ending paths (runtime/common/guest.c). */

/* Exit codes that belong to the runtime, not to the guest. */
#define WBPF_EXIT_TRAP 134    /* a wasm trap; one line "PROG: wasm trap: WHAT" */
#define WBPF_EXIT_RUNTIME 125 /* the runtime could not start the guest */

/* Register a cleanup run (once, last registered first) on every way out:
 * return from _start, proc_exit, trap, forced stop. */
void wbpf_atexit(void (*fn)(struct wbpf_guest *g));

/* Run the cleanups and exit with code & 0xff. Never returns. */
__attribute__((noreturn)) void wbpf_guest_exit(struct wbpf_guest *g, uint32_t code);

/* Trap from host code (a handler that finds the guest broke a rule that
 * docs/abi.md makes a trap): g->ops->trap(g, what). Never returns. */
__attribute__((noreturn)) void wbpf_guest_trap(struct wbpf_guest *g, const char *what);

/* The traps of the Wasm code itself, which both engines name alike
 * (docs/abi.md, "Traps and exit codes"). */
enum wbpf_trap {
	WBPF_TRAP_OOB,			/* memory or table index out of bounds */
	WBPF_TRAP_INT_OVERFLOW,		/* e.g. INT_MIN / -1 */
	WBPF_TRAP_DIV_BY_ZERO,
	WBPF_TRAP_INVALID_CONVERSION,	/* float to integer out of range or NaN */
	WBPF_TRAP_UNREACHABLE,
	WBPF_TRAP_CALL_INDIRECT,	/* bad index, null or mismatched signature */
	WBPF_TRAP_UNCAUGHT_EXCEPTION,
	WBPF_TRAP_EXHAUSTION,		/* call or value stack */
	WBPF_TRAP_UNKNOWN,
};

/* The words of a trap in "PROG: wasm trap: WHAT". */
const char *wbpf_trap_name(enum wbpf_trap t);

/* Called by an engine once it has unwound a trap: prints
 * "PROG: wasm trap: WHAT" on stderr, runs the cleanups, exits WBPF_EXIT_TRAP. */
__attribute__((noreturn)) void wbpf_trap_exit(struct wbpf_guest *g, const char *what);

/*
 * SIGINT/SIGTERM: the first one sets the stop request; blocking calls of the
 * guest (poll_oneoff, fd_read on a terminal or pipe, wasm_bpf_buffer_poll)
 * then return EINTR so that a libbpf-style loop ends and main returns. If the
 * guest is still running after the grace period, or a second signal comes,
 * the process ends with 128 + signal number.
 */
bool wbpf_stop_requested(void);
void wbpf_signals_init(struct wbpf_guest *g);

#ifdef __cplusplus
}
#endif

#endif /* WBPF_GUEST_H */
