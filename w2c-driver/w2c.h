/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The wasm2c version layer: everything that depends on which wabt wasm2c
 * writes the C. Two generations are supported:
 *
 *   WBPF_W2C_GEN_32  wabt 1.0.32 exactly: Z_ names (Z + hex escapes), instance
 *                    struct Z_guest_instance_t, Z_guest_init_module(), func
 *                    types as ints from wasm_rt_register_func_type(), runtime
 *                    source wasm-rt-impl.c in /usr/share/wabt/wasm2c.
 *   WBPF_W2C_GEN_33  wabt 1.0.33 and later: w2c_ / wasm2c_ names (0xHH
 *                    escapes, doubled underscores in module names), instance
 *                    struct w2c_guest, no init function, func types as 256-bit
 *                    hashes from wasm2c_guest_get_func_type(), runtime sources
 *                    wasm-rt-*.c (with .inc helpers) in /usr/src/wasm2c.
 *
 * The driver (glue.c, build.c), the binding generator (gen-binding) and the
 * build (through `gen-binding --make`) ask this module; none of them knows the
 * version. The engine side is runtime/include/wbpf/w2c.h, configured by the
 * wbpf/w2c-config.h this module writes.
 */
#ifndef WBPF_W2C_H
#define WBPF_W2C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define WBPF_W2C_GEN_32 32
#define WBPF_W2C_GEN_33 33

/* The module name wasm2c is given (`wasm2c -n guest`). */
#define WBPF_W2C_MODULE "guest"

struct wbpf_w2c {
	int gen;	   /* WBPF_W2C_GEN_* */
	char version[32];  /* "1.0.36", as wasm2c --version prints it */
	char rt_dir[4096]; /* the directory of the wasm2c runtime sources, or "" */
	const char *rt_srcs[8]; /* the runtime's C files there, NULL-terminated */
};

/*
 * The generation of a wasm2c version string ("1.0.32", "1.0.36", "1.0.36
 * (git~...)"). 0 and w->gen set, or -EINVAL with a one-line reason in err
 * naming the version found.
 */
int wbpf_w2c__from_version(struct wbpf_w2c *w, const char *version, char *err, size_t errsz);

/*
 * Run `WASM2C --version` and set w from it; then look for the runtime sources
 * of that generation ($WASM2C_RUNTIME, else the generation's usual places):
 * the first directory holding the generation's C files and every file they
 * include sets w->rt_dir and w->rt_srcs; rt_dir stays "" when there is none
 * (only the build needs them). 0, -ENOENT when wasm2c cannot be run, or
 * -EINVAL; a one-line reason in err.
 */
int wbpf_w2c__detect(struct wbpf_w2c *w, const char *wasm2c, char *err, size_t errsz);

/* The generation a runtime was built for, from its installed wbpf/w2c-config.h:
 * WBPF_W2C_GEN_* or -errno (-ENOENT, -EINVAL when it has no generation line). */
int wbpf_w2c__config_gen(const char *config_h, char *version, size_t versionsz);

/*
 * The generated C in several files, compiled at once (`wasm2c --num-outputs`,
 * 1.0.33 and later): the most files this generation can write (1: one file),
 * and for a build in n of them (n <= that) the C file of part i (guest.c when
 * n is 1, else guest_I.c), the header they share besides guest.h ("" when n is
 * 1; "guest-impl.h"), and the words wasm2c is given for it (none when n is 1).
 */
#define WBPF_W2C_MAX_OUTPUTS 8
unsigned int wbpf_w2c__max_outputs(const struct wbpf_w2c *w);
void wbpf_w2c__c_file(const struct wbpf_w2c *w, unsigned int n, unsigned int i, char *buf,
		      size_t bufsz);
const char *wbpf_w2c__impl_header(const struct wbpf_w2c *w, unsigned int n);
/* "--num-outputs=N" in buf, or "" when n is 1 */
void wbpf_w2c__outputs_arg(const struct wbpf_w2c *w, unsigned int n, char *buf, size_t bufsz);

/* Flags for the generated C (followed by wbpf_w2c__defines). */
const char *const *wbpf_w2c__cflags(const struct wbpf_w2c *w);
/* -D flags the runtime (wasm-rt sources and ours) and the generated C must share. */
const char *const *wbpf_w2c__defines(const struct wbpf_w2c *w);

/* wasm2c's mangling of a module name / of a field name of this generation.
 * Returns a malloc'd string or NULL. */
char *wbpf_w2c__mangle_module(const struct wbpf_w2c *w, const char *s, size_t len);
char *wbpf_w2c__mangle_name(const struct wbpf_w2c *w, const char *s, size_t len);

/* The C function wasm2c calls for import MODULE.NAME, malloc'd or NULL. */
char *wbpf_w2c__import_fn(const struct wbpf_w2c *w, const char *mod, size_t modlen,
			  const char *name, size_t namelen);
/* The C type of the instance pointer passed to that function ("struct ..."). */
char *wbpf_w2c__import_instance_type(const struct wbpf_w2c *w, const char *mod, size_t modlen);
/* The C function of the guest's export NAME. */
char *wbpf_w2c__export_fn(const struct wbpf_w2c *w, const char *name);

/* What the glue needs from the generated header. */
struct wbpf_w2c_header {
	int instantiate_args;  /* import-module arguments of the instantiate function */
	char table_field[256]; /* "w2c_T0": the instance's funcref table, "" if none */
};

/* Read the generated header at path. -EINVAL with a reason in err when it does
 * not look as this generation writes it. */
int wbpf_w2c__read_header(const struct wbpf_w2c *w, const char *path, struct wbpf_w2c_header *h,
			  char *err, size_t errsz);

/*
 * Write the version-dependent part of the glue: the static instance,
 * instantiate(), start(), memory(), table(), go_callback(), func_type_iii_i()
 * and the initializers of struct wbpf_aot_module's engine members (ending in
 * "\n"; the caller writes the rest of the struct).
 */
void wbpf_w2c__write_glue(const struct wbpf_w2c *w, const struct wbpf_w2c_header *h,
			  bool has_go_callback, FILE *f);
void wbpf_w2c__write_glue_members(const struct wbpf_w2c *w, const struct wbpf_w2c_header *h,
				  bool has_go_callback, FILE *f);

/*
 * The memory-base pass (membase.c; docs/abi.md, "Generated code"): the C text
 * src of guest.c, with each guest function's loads and stores taken from a
 * local copy of the memory's data pointer, reloaded after every call but of
 * the functions named in pure_fns (npure exact C names of guest functions
 * that never grow the memory nor call out: the libc routines of libcfn.h). A
 * function of a shape it does not know is left as it is; a function that
 * never returns is kept out of line. A malloc'd text (*outlen bytes,
 * NUL-terminated) with what was done in *st, or NULL when out of memory.
 */
struct wbpf_w2c_mb_stats {
	unsigned int funcs;	  /* function definitions */
	unsigned int based;	  /* the base kept in a local */
	unsigned int no_access;	  /* left: no load or store */
	unsigned int left_text;	  /* left: a comment, string, #line, setjmp, ... */
	unsigned int left_call;	  /* left: a call that is not a statement of its own */
	unsigned int left_memory; /* left: an access to another memory, or of another shape */
	unsigned int noinline;	  /* never return: kept out of line */
};

char *wbpf_w2c__mem_base(const struct wbpf_w2c *w, const char *src, size_t len,
			 const char *const *pure_fns, size_t npure, size_t *outlen,
			 struct wbpf_w2c_mb_stats *st);

/* wbpf/w2c-config.h, which configures runtime/include/wbpf/w2c.h. */
void wbpf_w2c__write_config_h(const struct wbpf_w2c *w, FILE *f);

#endif /* WBPF_W2C_H */
