/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internal interfaces of wasmbpf-aot, the driver:
 *   cli.c    the command line: options into a struct wbpf_opts
 *   build.c  the pipeline: check, plan the commands, cache or build, install
 *   cache.c  the build cache and its key
 *   check.c  module checks (shared with wasmbpf-run: check.h)
 *   glue.c   the generated glue
 *   w2c.c    everything that depends on the wasm2c version
 *   proc.c   argument vectors, subprocesses, temporary files, messages
 *   target.c the machines executables are built for (--target)
 */
#ifndef WBPF_DRIVER_H
#define WBPF_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "check.h"
#include "number.h" /* wbpf_parse_long(), the runtime's */
#include "sha256.h"
#include "w2c.h"
#include "wasm-reader.h"

#ifndef WBPF_VERSION
#define WBPF_VERSION "0.1.0"
#endif
/* How executables link libbpf and what it needs (the build's probe): by
 * default libbpf statically, libc shared; with --static all of it statically
 * ("" where this system's archives cannot do that). */
#ifndef WBPF_BPF_LINK
#define WBPF_BPF_LINK "-Wl,-Bstatic -lbpf -lelf -lz -Wl,-Bdynamic"
#endif
/* What the runtime needs on the link line (the Makefile's RT_LDFLAGS). */
#ifndef WBPF_RT_LDFLAGS
#define WBPF_RT_LDFLAGS "-Wl,--wrap=btf__load_vmlinux_btf -Wl,-u,__wrap_btf__load_vmlinux_btf"
#endif
#ifndef WBPF_BPF_STATIC_LINK
#define WBPF_BPF_STATIC_LINK "-static -lbpf -lelf -lz"
#endif

/* ---------------------------------------------------------------- options */

/* Files the generated C is written in by default (--num-outputs; README,
 * "Supported distributions", has the measurements behind it). */
#define WBPF_NUM_OUTPUTS 1

/* A growable, NULL-terminated argv of malloc'ed words. */
struct wbpf_args {
	char **v;
	size_t n, cap;
};

/* Everything the command line says (cli.c); the build reads nothing else. */
struct wbpf_opts {
	const char *input;
	const char *output;
	const char *opt_level; /* "-O2" */
	bool verbose;
	bool save_temps;
	const char *keep_c;
	struct wbpf_args cc; /* the C compiler: its words */
	struct wbpf_args cflags;
	struct wbpf_args ldflags;
	bool strip;
	bool static_link; /* --static */
	const char *oci_archive; /* --oci-archive FILE */
	struct wbpf_args dirs; /* checked "HOST[::GUEST][:ro]" grants */
	struct wbpf_args envs; /* "NAME=VALUE" */
	const char *btf; /* --btf FILE, as given, or NULL */
	bool allow_unknown;
	const char *wasm2c;
	bool no_cache;
	bool no_libc_fast_paths; /* --no-libc-fast-paths (libcfn.h) */
	unsigned int num_outputs; /* --num-outputs: files of generated C (1..WBPF_W2C_MAX_OUTPUTS) */
	const struct wbpf_target *target; /* --target, else this machine (never NULL) */
};

/* Build o->input into o->output (build.c). 0 or -errno; the reason is printed. */
int wbpf_build(const struct wbpf_opts *o);
/* The install prefix: $WASMBPF_AOT_HOME, else the parent of this program's
 * directory. 0 or -errno. */
int wbpf_find_home(char *buf, size_t bufsz);
/* --version: this program, its link line, and wasm2c's version. Exit status. */
int wbpf_print_version(const struct wbpf_opts *o);

/* ---------------------------------------------------------------- glue.c */

/* What the glue needs: the checks' findings, the wasm2c generation and header. */
struct wbpf_glue {
	struct wbpf_check chk;
	/* the wasm2c generation in use, and what its generated header says */
	const struct wbpf_w2c *w2c;
	struct wbpf_w2c_header hdr;
	/* compile-time grants, NULL-terminated lists (may be NULL) */
	char **dirs;
	char **envs;
	/* the default custom BTF (--btf), as given, or NULL */
	const char *btf;
};

/*
 * Read what the glue needs from wasm2c's generated header (the number of
 * import-module arguments of the instantiate function, the funcref table field
 * of the instance struct) through g->w2c. -EINVAL with a reason in err if the
 * header does not look as expected.
 */
int wbpf_glue__read_header(struct wbpf_glue *g, const char *path, char *err, size_t errsz);

/*
 * The glue C is written in two parts. The first holds everything the options
 * decide (trapping stubs, compile-time grants and environment) and needs only
 * g->w2c, so it exists before wasm2c runs and is part of the cache key; the
 * second, written after wbpf_glue__read_header(), follows wasm2c's header.
 * Options reach the executable only through the command lines and the first
 * part, both hashed into the cache key (cache.c). Each returns 0 or -EIO.
 */
int wbpf_glue__write_options(const struct wbpf_glue *g, const struct wbpf_wasm *m, FILE *f);
int wbpf_glue__write(const struct wbpf_glue *g, FILE *f);

void wbpf_glue__free(struct wbpf_glue *g);

/* Write s[0, len) as a C string literal (with the quotes) to f. */
void wbpf_c_string(FILE *f, const char *s, size_t len);

/* ---------------------------------------------------------------- proc.c */

/* "wasmbpf-aot: " and the message on stderr, with a newline. */
void wbpf_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Append a copy of s; out of memory aborts (the driver is a short-lived tool). */
void wbpf_args__push(struct wbpf_args *a, const char *s);
/* Split s on blanks (no quoting) and append each word. */
void wbpf_args__split(struct wbpf_args *a, const char *s);
void wbpf_args__append(struct wbpf_args *a, const struct wbpf_args *b);
void wbpf_args__free(struct wbpf_args *a);

/* Output of a finished command. */
struct wbpf_cmd_result {
	int status;  /* exit code, 128 + signal, or -errno if it could not run */
	char *out;   /* captured stdout (when asked for), NUL-terminated, or NULL */
	char *err;   /* captured stderr, NUL-terminated, never NULL after success */
	double secs; /* wall time */
};

/*
 * Run argv[0] with execvp (no shell), capture stderr (and stdout when
 * capture_out), wait for it. Returns 0 when the command ran (whatever its exit
 * status) or -errno when it could not be started. With verbose, prints the
 * command line on stderr first. SIGINT/SIGTERM while waiting are forwarded to
 * the child by the cleanup handler.
 */
int wbpf_run(char *const argv[], bool capture_out, bool verbose, struct wbpf_cmd_result *res);
void wbpf_cmd_result__free(struct wbpf_cmd_result *res);

#define WBPF_MAX_JOBS 16 /* commands wbpf_run_many() runs at once, at most */

/*
 * Run the n commands argvs[i] (stderr captured, stdout not), up to max_jobs at
 * a time, in order of i; res[i] is command i's result. 0 when every command
 * ran (whatever their exit statuses: res[i].status), or -errno when one could
 * not be started (none is started after it; res[i].status is -1 for those
 * that did not run, and their err NULL).
 */
int wbpf_run_many(char *const *const argvs[], size_t n, size_t max_jobs, bool verbose,
		  struct wbpf_cmd_result *res);

/* First non-empty line of s, without its newline, in buf. */
char *wbpf_first_line(const char *s, char *buf, size_t bufsz);

/*
 * Temporary files, removed on every way out (including SIGINT, SIGTERM,
 * SIGHUP) unless kept: one directory with known file names, and one file next
 * to the output that becomes the output by rename().
 */
void wbpf_cleanup_init(void);
/* mkdtemp under $TMPDIR or /tmp; the names it may hold are registered. */
int wbpf_tmpdir_create(char *dir, size_t dirsz, const char *const *names);
/* mkstemp next to out; the file is registered for removal. */
int wbpf_tmpout_create(const char *out, char *path, size_t pathsz);
/* The output is in place: stop removing it. */
void wbpf_tmpout_release(void);
/* mkostemp(path) (path ends in XXXXXX), removed on the way out until
 * released. Returns the fd or -errno. One such file at a time. */
int wbpf_tmpfile_create(char *path);
void wbpf_tmpfile_release(void);
/* Keep the temp directory on exit (--save-temps). */
void wbpf_tmpdir_keep(void);
/* Remove what is registered (also called by the signal handler). */
void wbpf_cleanup(void);

/* ---------------------------------------------------------------- cache.c */

#define WBPF_CACHE_MAX 64 /* entries kept */

/*
 * Cache key items, each length-prefixed (8 bytes, little endian) so that
 * adjacent items cannot run together: a tag, then the value.
 */
void wbpf_key_bytes(struct wbpf_sha256 *s, const void *p, size_t len);
void wbpf_key_str(struct wbpf_sha256 *s, const char *tag, const char *v);
void wbpf_key_list(struct wbpf_sha256 *s, const char *tag, char *const *v, size_t n);
/* The contents of a regular file. 0 or -errno (-EIO if it shrank meanwhile). */
int wbpf_key_file(struct wbpf_sha256 *s, const char *tag, const char *path);
/* A program's identity: its path resolved like execvp does, made real, with
 * its size and mtime. 0 or -ENOENT/-errno. */
int wbpf_key_program(struct wbpf_sha256 *s, const char *tag, const char *name);
/* Resolve name like execvp (through PATH unless it holds a '/') and realpath it. */
int wbpf_find_program(const char *name, char *buf, size_t bufsz);

/*
 * What a build's key covers. The commands are those the build runs, with its
 * temporary directory and output written as fixed placeholders, so that any
 * option that changes a command changes the key; the options that change the
 * glue are in its first part (wbpf_glue__write_options()).
 */
struct wbpf_cache_input {
	const char *module;	/* the module file: its contents */
	const char *runtime;	/* the runtime archive: its contents */
	const char *header_dir; /* the runtime's headers: every file's contents */
	const char *glue;	/* the options' part of the glue */
	size_t glue_len;
	char *const *const *cmds; /* each command's argv */
	size_t ncmds;
};

/* SHA-256 of all of that, the driver and the programs run, as 64 hex digits
 * in hex. 0, or -errno with the reason in why. */
int wbpf_cache_key(const struct wbpf_cache_input *in, char *hex, char *why, size_t whysz);

/*
 * The cache directory: $WASMBPF_AOT_CACHE, else $XDG_CACHE_HOME/wasmbpf-aot,
 * else $HOME/.cache/wasmbpf-aot; created 0700. Returns 0 with the path in buf,
 * 1 when disabled (empty or "off"), -errno when unusable; why says why.
 */
int wbpf_cache_dir(char *buf, size_t bufsz, char *why, size_t whysz);
/* Open the entry named hex and touch its mtime: fd, or -errno (-ENOENT: a miss). */
int wbpf_cache_open(const char *dir, const char *hex);
/* Store the contents of fd as dir/hex (a temporary name, then rename). */
int wbpf_cache_store(const char *dir, const char *hex, int fd);
/* Remove the oldest entries (by mtime) beyond max. Returns how many or -errno. */
int wbpf_cache_prune(const char *dir, size_t max);
/* Copy all of in (from offset 0) to out's position. 0 or -errno. */
int wbpf_copy_fd(int in, int out);

/* ---------------------------------------------------------------- oci.c */

/*
 * Write an OCI image archive (image layout in a tar) at archive, holding the
 * executable exe as /name, its entrypoint, for OCI architecture arch
 * ("amd64", "arm64"). Deterministic. The archive appears by rename() or not
 * at all. 0, or -errno with a one-line reason in err.
 */
int wbpf_oci_write(const char *archive, const char *exe, const char *name, const char *arch,
		   char *err, size_t errsz);

/* ---------------------------------------------------------------- target.c */

/* A machine to build for (--target). */
struct wbpf_target {
	const char *arch;     /* "aarch64" */
	const char *triplet;  /* "aarch64-linux-gnu": the cross compiler's prefix */
	const char *deb_arch; /* "arm64": Debian's name, for package names */
	const char *gcc_pkg;  /* "gcc-aarch64-linux-gnu": Debian's cross compiler */
	bool native;          /* the machine this driver was built for */
};

/* The machine this driver was built for (never NULL). */
const struct wbpf_target *wbpf_target__native(void);
/* The i-th machine the driver knows (from 0), NULL past the last. */
const struct wbpf_target *wbpf_target__at(size_t i);
/* A --target name: ARCH (x86_64, aarch64), the Debian architecture (amd64,
 * arm64) or the triplet (aarch64-linux-gnu, also with vendor pc or unknown).
 * NULL if unknown. */
const struct wbpf_target *wbpf_target__find(const char *name);
/* "apt-get install ..." of the packages the target's toolchain needs, in buf. */
void wbpf_target__hint(const struct wbpf_target *t, char *buf, size_t bufsz);
/*
 * The target's runtime under the install prefix home: the archive's path in
 * lib, and what the link adds after it in link and, with --static, in
 * static_link ("" where that does not link), each linksz bytes. For the native
 * target the build's probe (the archive's presence is the caller's check);
 * for another, its lib/wasmbpf-aot/TRIPLET/link-flags, written by the build:
 * -ENOENT (or -errno) when it or the archive is missing, -EINVAL when the file
 * lacks a line.
 */
int wbpf_target__runtime(const struct wbpf_target *t, const char *home, char *lib, size_t libsz,
			 char *link, char *static_link, size_t linksz);

#endif /* WBPF_DRIVER_H */
