// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The build pipeline of wasmbpf-aot: read and check the module, find the
 * runtime and the wasm2c that matches it, plan every command, then take the
 * executable from the cache or run wasm2c, write the glue, compile and link.
 * The output appears by rename() or not at all.
 *
 * The commands are planned before anything runs, once with placeholders for
 * the temporary directory and the output (what the cache key hashes) and
 * once for real. The temporary directory reaches the executable only through
 * __FILE__, which -ffile-prefix-map turns into ".": the same module and
 * options give the same bytes in any directory, for any user, cached or not.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"
#include "libcfn.h"

#define msg wbpf_msg

/* The OCI name of this machine's architecture (another target's is its
 * Debian name, which OCI shares). */
#if defined(__x86_64__)
#define OCI_ARCH "amd64"
#elif defined(__aarch64__)
#define OCI_ARCH "arm64"
#else
#define OCI_ARCH "unknown"
#endif

/* Wall time of each step of a build. */
struct times {
	double w2c, cc, ld;
};

/*
 * The commands of a build: wasm2c, cc of each part of the generated C and of
 * the glue (run at once), the link. With n parts (struct build's nout):
 */
#define CMD_W2C 0
#define CMD_CC_GUEST(i) (1 + (i)) /* part i of the generated C */
#define CMD_CC_GLUE(n) (1 + (n))
#define CMD_LINK(n) (2 + (n))
#define NCMDS(n) (3 + (n))
#define MAX_CMDS NCMDS(WBPF_W2C_MAX_OUTPUTS)

/* One build. */
struct build {
	const struct wbpf_opts *o;
	char lib[PATH_MAX + 64]; /* the runtime archive */
	char inc[PATH_MAX + 64]; /* the runtime's include directory */
	char link[1024];	 /* what the link adds after the archive */
	char static_link[1024];	 /* the same with --static ("": not available) */
	struct wbpf_w2c w2c;
	char rt_version[32]; /* the wasm2c version the runtime was built for */
	unsigned int nout;   /* files the generated C is in (--num-outputs) */
	/* the names of the temporary directory: the C sources (what --keep-c
	 * copies) first, then nsrcs; then the objects and the executable */
	char names[2 * WBPF_W2C_MAX_OUTPUTS + 7][32];
	size_t nsrcs;
	struct wbpf_wasm m;
	uint8_t *mod; /* the module's bytes */
	size_t modlen;
	struct wbpf_libcfns fns; /* its libc routines (libcfn.h) */
	uint8_t *renamed; /* the module with them named, or NULL */
	size_t renamedlen;
	struct wbpf_glue g;
	char *glue_opts; /* the options' part of glue.c */
	size_t glue_opts_len;
	struct wbpf_args cmds[MAX_CMDS];
	struct times tm;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int wbpf_find_home(char *buf, size_t bufsz)
{
	const char *env = getenv("WASMBPF_AOT_HOME");
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env && env[0]) {
		if ((size_t)snprintf(buf, bufsz, "%s", env) >= bufsz)
			return -ENAMETOOLONG;
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	exe[n] = '\0';
	slash = strrchr(exe, '/'); /* .../bin/wasmbpf-aot -> .../bin */
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	slash = strrchr(exe, '/'); /* .../bin -> ... */
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	if ((size_t)snprintf(buf, bufsz, "%s", exe[0] ? exe : "/") >= bufsz)
		return -ENAMETOOLONG;
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	int in, out = -1, ret;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ret = out < 0 ? -errno : wbpf_copy_fd(in, out);
	if (out >= 0 && close(out) && !ret)
		ret = -errno;
	close(in);
	return ret;
}

/* The driver's passes over dir/name, a file of wasm2c's C, in place: the
 * memory base (membase.c), then the libc routines' wrappers (libcfn.c). */
static int rewrite_c(const struct build *b, const char *dir, const char *name)
{
	char path[PATH_MAX + 16];
	char *src = NULL, *out = NULL, *out2;
	/* the libc routines never grow the memory nor call out (libcfn.h) */
	char pure[WBPF_LIBCFN_MAX][80];
	const char *pure_names[WBPF_LIBCFN_MAX];
	struct wbpf_w2c_mb_stats st;
	size_t len = 0, outlen;
	unsigned int nfuncs, i;
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f || fseek(f, 0, SEEK_END) || (long)(len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		ret = -errno;
		goto out;
	}
	src = malloc(len + 1);
	if (!src) {
		ret = -ENOMEM;
		goto out;
	}
	if (fread(src, 1, len, f) != len) {
		ret = -EIO;
		goto out;
	}
	src[len] = '\0';
	fclose(f);
	f = NULL;
	for (i = 0; i < b->fns.n; i++) {
		wbpf_libcfn__c_name(&b->w2c, &b->fns, i, pure[i], sizeof(pure[i]));
		pure_names[i] = pure[i];
	}
	out = wbpf_w2c__mem_base(&b->w2c, src, len, pure_names, b->fns.n, &outlen, &st);
	if (!out) {
		ret = -ENOMEM;
		goto out;
	}
	if (b->o->verbose) {
		msg("%s: memory base kept in a local in %u of %u functions (left: %u without "
		    "loads or stores, %u of a text, %u of a call, %u of an access the pass does "
		    "not read)",
		    name, st.based, st.funcs, st.no_access, st.left_text, st.left_call,
		    st.left_memory);
		if (st.noinline)
			msg("%s: %u functions that never return kept out of line", name,
			    st.noinline);
	}
	if (b->fns.n) {
		out2 = wbpf_libcfn__wrap(&b->w2c, out, outlen, &b->fns, &outlen, &nfuncs);
		free(out);
		out = out2;
		if (!out) {
			ret = -ENOMEM;
			goto out;
		}
		if (b->o->verbose && nfuncs)
			msg("%s: native fast paths for %u libc routines", name, nfuncs);
	}
	f = fopen(path, "we");
	if (!f || fwrite(out, 1, outlen, f) != outlen)
		ret = -EIO;
	if (f && fclose(f) && !ret)
		ret = -EIO;
	f = NULL;
out:
	if (f)
		fclose(f);
	free(out);
	free(src);
	if (ret)
		msg("cannot rewrite %s: %s", path, strerror(-ret));
	return ret;
}

/* The module wasm2c reads: dir/guest.wasm when the libc routines are named
 * in it, else the input; its path into module. */
static int write_module(struct build *b, const char *dir, char *module, size_t modulesz)
{
	FILE *f;
	int ret = 0;

	snprintf(module, modulesz, "%s", b->o->input);
	if (!b->renamed)
		return 0;
	snprintf(module, modulesz, "%s/guest.wasm", dir);
	f = fopen(module, "we");
	if (!f || fwrite(b->renamed, 1, b->renamedlen, f) != b->renamedlen)
		ret = -EIO;
	if (f && fclose(f) && !ret)
		ret = -EIO;
	if (ret)
		msg("cannot write %s: %s", module, strerror(-ret));
	return ret;
}

/* The contents of from written into the existing file to (a device or a
 * pipe: opened for writing, never created, truncated or replaced). */
static int copy_into(const char *from, const char *to)
{
	int in, out = -1, ret;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CLOEXEC);
	ret = out < 0 ? -errno : wbpf_copy_fd(in, out);
	if (out >= 0 && close(out) && !ret)
		ret = -errno;
	close(in);
	return ret;
}

/* The first max lines of s on stderr, then how many were left out. */
static void print_lines(const char *s, size_t max)
{
	size_t n = 0;

	for (; *s && n < max; n++) {
		size_t len = strcspn(s, "\n");

		fprintf(stderr, "%.*s\n", (int)len, s);
		s += len + (s[len] == '\n');
	}
	for (n = 0; *s; s++)
		n += *s == '\n';
	if (n)
		fprintf(stderr, "[%zu more lines; -v shows them all]\n", n);
}

/* The line of a tool's output that says what went wrong: the first one that
 * names an error (compilers and linkers start with context lines), else the
 * first line. */
static char *best_line(const char *s, char *buf, size_t bufsz)
{
	static const char *const keys[] = {"error:", "undefined reference", "cannot find"};
	const char *p = NULL, *q;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		q = strstr(s, keys[i]);
		if (q && (!p || q < p))
			p = q;
	}
	if (!p)
		return wbpf_first_line(s, buf, bufsz);
	while (p > s && p[-1] != '\n')
		p--;
	return wbpf_first_line(p, buf, bufsz);
}

/* Run a command; on failure print "what failed: first line" and, with -v or
 * for the C compiler, its whole output. */
static int run_step(const struct wbpf_opts *o, const char *what, char *const argv[],
		    bool full_output, double *secs)
{
	struct wbpf_cmd_result res;
	char line[512];
	int ret;

	ret = wbpf_run(argv, false, o->verbose, &res);
	if (ret) {
		msg("%s: cannot run %s: %s", o->input, argv[0], strerror(-ret));
		goto cleanup;
	}
	*secs = res.secs;
	if (res.status) {
		best_line(res.err, line, sizeof(line));
		if (line[0])
			msg("%s: %s failed: %s", o->input, what, line);
		else
			msg("%s: %s failed with exit status %d", o->input, what, res.status);
		if ((full_output || o->verbose) && strchr(res.err, '\n') &&
		    strchr(res.err, '\n')[1])
			print_lines(res.err, o->verbose ? SIZE_MAX : 20);
		ret = -EIO;
	} else if (o->verbose && res.err[0]) {
		fputs(res.err, stderr);
	}
cleanup:
	wbpf_cmd_result__free(&res);
	return ret;
}

static void push_path(struct wbpf_args *a, const char *dir, const char *name)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	wbpf_args__push(a, path);
}

/*
 * The commands of a build whose temporary directory is dir, reading module and
 * linking into out. Everything an option changes in the executable is in these
 * words or in the options' part of the glue; nothing else is (cache.c).
 */
static void plan(struct build *b, const char *dir, const char *module, struct wbpf_args *cmds)
{
	const struct wbpf_opts *o = b->o;
	const char *const *w;
	char flag[PATH_MAX + 96], c[32];
	unsigned int n = b->nout, i;

	for (i = 0; i < MAX_CMDS; i++)
		wbpf_args__free(&cmds[i]);

	wbpf_args__push(&cmds[CMD_W2C], o->wasm2c);
	wbpf_args__push(&cmds[CMD_W2C], "-n");
	wbpf_args__push(&cmds[CMD_W2C], WBPF_W2C_MODULE);
	wbpf_w2c__outputs_arg(&b->w2c, n, flag, sizeof(flag));
	if (flag[0])
		wbpf_args__push(&cmds[CMD_W2C], flag);
	wbpf_args__push(&cmds[CMD_W2C], module);
	wbpf_args__push(&cmds[CMD_W2C], "-o");
	push_path(&cmds[CMD_W2C], dir, "guest.c");

	for (i = CMD_CC_GUEST(0); i <= CMD_CC_GLUE(n); i++) {
		struct wbpf_args *a = &cmds[i];

		wbpf_args__append(a, &o->cc);
		for (w = wbpf_w2c__cflags(&b->w2c); *w; w++)
			wbpf_args__push(a, *w);
		for (w = wbpf_w2c__defines(&b->w2c); *w; w++)
			wbpf_args__push(a, *w);
		wbpf_args__push(a, o->opt_level);
		/* __FILE__ (wasm2c's asserts) names the sources as ./guest.c */
		snprintf(flag, sizeof(flag), "-ffile-prefix-map=%s=.", dir);
		wbpf_args__push(a, flag);
		snprintf(flag, sizeof(flag), "-I%s", b->inc);
		wbpf_args__push(a, flag);
		wbpf_args__append(a, &o->cflags);
		wbpf_args__push(a, "-c");
		if (i == CMD_CC_GLUE(n))
			snprintf(c, sizeof(c), "glue.c");
		else
			wbpf_w2c__c_file(&b->w2c, n, i - CMD_CC_GUEST(0), c, sizeof(c));
		push_path(a, dir, c);
		wbpf_args__push(a, "-o");
		c[strlen(c) - 1] = 'o';
		push_path(a, dir, c);
	}

	/* libbpf (and libelf, zlib where their archives link) statically, as
	 * the build's probe found: the program needs only libc; with --static,
	 * not even that */
	wbpf_args__append(&cmds[CMD_LINK(n)], &o->cc);
	for (i = 0; i < n; i++) {
		wbpf_w2c__c_file(&b->w2c, n, i, c, sizeof(c));
		c[strlen(c) - 1] = 'o';
		push_path(&cmds[CMD_LINK(n)], dir, c);
	}
	push_path(&cmds[CMD_LINK(n)], dir, "glue.o");
	wbpf_args__push(&cmds[CMD_LINK(n)], b->lib);
	/* libbpf's request for the kernel's BTF goes to the runtime
	 * (runtime/bpf/kernel-btf.c) */
	wbpf_args__split(&cmds[CMD_LINK(n)], WBPF_RT_LDFLAGS);
	wbpf_args__split(&cmds[CMD_LINK(n)], o->static_link ? b->static_link : b->link);
	wbpf_args__push(&cmds[CMD_LINK(n)], "-lm");
	if (o->strip)
		wbpf_args__push(&cmds[CMD_LINK(n)], "-s");
	wbpf_args__append(&cmds[CMD_LINK(n)], &o->ldflags);
	wbpf_args__push(&cmds[CMD_LINK(n)], "-o");
	push_path(&cmds[CMD_LINK(n)], dir, "prog");
}

/* How many files the generated C is written in, and the names of the
 * temporary directory that follow from it. */
static void plan_outputs(struct build *b)
{
	unsigned int n = b->o->num_outputs, max = wbpf_w2c__max_outputs(&b->w2c), i;
	size_t k = 0;

	if (n > max)
		n = max; /* wasm2c 1.0.32 writes one file */
	b->nout = n;
	for (i = 0; i < n; i++)
		wbpf_w2c__c_file(&b->w2c, n, i, b->names[k++], sizeof(b->names[0]));
	snprintf(b->names[k++], sizeof(b->names[0]), "%s.h", WBPF_W2C_MODULE);
	if (wbpf_w2c__impl_header(&b->w2c, n)[0])
		snprintf(b->names[k++], sizeof(b->names[0]), "%s",
			 wbpf_w2c__impl_header(&b->w2c, n));
	snprintf(b->names[k++], sizeof(b->names[0]), "glue.c");
	b->nsrcs = k;
	for (i = 0; i < n; i++) {
		wbpf_w2c__c_file(&b->w2c, n, i, b->names[k], sizeof(b->names[0]));
		b->names[k][strlen(b->names[k]) - 1] = 'o';
		k++;
	}
	snprintf(b->names[k++], sizeof(b->names[0]), "glue.o");
	snprintf(b->names[k++], sizeof(b->names[0]), "prog");
	snprintf(b->names[k++], sizeof(b->names[0]), "guest.wasm");
	b->names[k][0] = '\0';
}

/* The commands compile() runs at once: the CPUs this process may use. */
static size_t cpus(void)
{
	cpu_set_t set;
	long n;

	if (!sched_getaffinity(0, sizeof(set), &set) && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (size_t)n : 1;
}

/* Another machine's runtime archive and link lines, and its compiler: one
 * line naming the packages when either is missing. */
static int find_cross(struct build *b, const char *home)
{
	const struct wbpf_opts *o = b->o;
	const struct wbpf_target *t = o->target;
	char hint[256], path[PATH_MAX];
	int ret;

	ret = wbpf_target__runtime(t, home, b->lib, sizeof(b->lib), b->link, b->static_link,
				   sizeof(b->link));
	wbpf_target__hint(t, hint, sizeof(hint));
	if (ret == -ENOENT || ret == -EACCES) {
		msg("target %s: runtime for %s not installed in %s/lib/wasmbpf-aot (build it with "
		    "the cross toolchain: %s; make cross)",
		    t->arch, t->triplet, home, hint);
		return ret;
	}
	if (ret) {
		msg("target %s: runtime for %s in %s/lib/wasmbpf-aot/%s: %s", t->arch, t->triplet,
		    home, t->triplet, ret == -EINVAL ? "link-flags lacks a line" : strerror(-ret));
		return ret;
	}
	if (wbpf_find_program(o->cc.v[0], path, sizeof(path))) {
		msg("target %s: C compiler '%s' not found (the cross toolchain: %s)", t->arch,
		    o->cc.v[0], hint);
		return -ENOENT;
	}
	if (o->verbose)
		msg("target %s: %s, %s", t->triplet, o->cc.v[0], b->lib);
	return 0;
}

/* The runtime: archive and headers under the install prefix (the archive and
 * link lines of the target), and a wasm2c of the generation it was built for. */
static int find_runtime(struct build *b)
{
	const struct wbpf_opts *o = b->o;
	char home[PATH_MAX], path[PATH_MAX + 128], err[1024];
	int gen, ret;

	ret = wbpf_find_home(home, sizeof(home));
	if (ret) {
		msg("cannot find the runtime: %s (set WASMBPF_AOT_HOME)", strerror(-ret));
		return ret;
	}
	snprintf(b->inc, sizeof(b->inc), "%s/include/wasmbpf-aot", home);
	if (!o->target->native) {
		ret = find_cross(b, home);
		if (ret)
			return ret;
	} else {
		ret = wbpf_target__runtime(o->target, home, b->lib, sizeof(b->lib), b->link,
					   b->static_link, sizeof(b->link));
		if (ret) {
			msg("cannot find the runtime: %s (set WASMBPF_AOT_HOME)", strerror(-ret));
			return ret;
		}
	}
	if (access(b->lib, R_OK)) {
		ret = -errno;
		msg("runtime archive %s: %s (set WASMBPF_AOT_HOME to the install prefix)", b->lib,
		    strerror(-ret));
		return ret;
	}
	snprintf(path, sizeof(path), "%s/wbpf/aot.h", b->inc);
	if (access(path, R_OK)) {
		ret = -errno;
		msg("runtime header %s: %s (set WASMBPF_AOT_HOME to the install prefix)", path,
		    strerror(-ret));
		return ret;
	}

	ret = wbpf_w2c__detect(&b->w2c, o->wasm2c, err, sizeof(err));
	if (ret) {
		msg("%s%s", ret == -ENOENT ? "wasm2c failed: " : "", err);
		return ret;
	}
	snprintf(path, sizeof(path), "%s/wbpf/w2c-config.h", b->inc);
	gen = wbpf_w2c__config_gen(path, b->rt_version, sizeof(b->rt_version));
	if (gen < 0) {
		msg("runtime header %s: %s (set WASMBPF_AOT_HOME to the install prefix)", path,
		    gen == -EINVAL ? "no wasm2c generation in it" : strerror(-gen));
		return gen;
	}
	if (gen != b->w2c.gen) {
		msg("wasm2c %s (%s) does not match the runtime, built for wasm2c %s: use that "
		    "wasm2c (--wasm2c, WASM2C) or rebuild the runtime",
		    b->w2c.version, o->wasm2c, b->rt_version);
		return -EINVAL;
	}
	b->g.w2c = &b->w2c;
	if (o->verbose)
		msg("wasm2c %s, runtime built for wasm2c %s", b->w2c.version, b->rt_version);
	return 0;
}

/* The options' part of the glue, in memory (it is part of the cache key). */
static int write_glue_options(struct build *b)
{
	FILE *f;
	int ret;

	f = open_memstream(&b->glue_opts, &b->glue_opts_len);
	if (!f)
		return -errno;
	ret = wbpf_glue__write_options(&b->g, &b->m, f);
	if (!ret && b->fns.n) {
		unsigned int i;

		/* what the C passes add to guest.c, for the cache key */
		fputs("/* guest libc routines with native fast paths:", f);
		for (i = 0; i < b->fns.n; i++)
			fprintf(f, " %s", wbpf_libcfn__kind_str(b->fns.fn[i].kind));
		fputs(" */\n", f);
	}
	if (fclose(f) && !ret)
		ret = -EIO;
	return ret;
}

/* ---------------------------------------------------------------- cache */

/* Whether this build uses the cache: true with its directory and key. */
static bool cache_prepare(struct build *b, char *dir, size_t dirsz, char *hex)
{
	const struct wbpf_opts *o = b->o;
	struct wbpf_args cmds[MAX_CMDS] = {0};
	char *const *argvs[MAX_CMDS];
	struct wbpf_cache_input in;
	char why[PATH_MAX + 128];
	int i, ret;

	if (o->no_cache || o->save_temps || o->keep_c) {
		const char *opt = "--keep-c";

		if (o->no_cache)
			opt = "--no-cache";
		else if (o->save_temps)
			opt = "--save-temps";
		if (o->verbose)
			msg("cache not used (%s)", opt);
		return false;
	}
	ret = wbpf_cache_dir(dir, dirsz, why, sizeof(why));
	if (ret) {
		if (o->verbose)
			msg("cache not used: %s", why);
		return false;
	}

	plan(b, "@TMPDIR@", "@MODULE@", cmds);
	for (i = 0; i < (int)NCMDS(b->nout); i++)
		argvs[i] = cmds[i].v;
	snprintf(why, sizeof(why), "%s/wbpf", b->inc);
	in = (struct wbpf_cache_input){
		.module = o->input,
		.runtime = b->lib,
		.header_dir = why,
		.glue = b->glue_opts,
		.glue_len = b->glue_opts_len,
		.cmds = argvs,
		.ncmds = NCMDS(b->nout),
	};
	ret = wbpf_cache_key(&in, hex, why, sizeof(why));
	for (i = 0; i < MAX_CMDS; i++)
		wbpf_args__free(&cmds[i]);
	if (ret) {
		if (o->verbose)
			msg("cache not used: %s", why);
		return false;
	}
	return true;
}

/* A cached executable into tmpout: true on a hit. */
static bool cache_fetch(const struct wbpf_opts *o, const char *dir, const char *hex,
			const char *tmpout)
{
	int in, out = -1, ret;

	in = wbpf_cache_open(dir, hex);
	if (in < 0) {
		if (o->verbose)
			msg("cache miss %.12s%s%s", hex, in == -ENOENT ? "" : ": ",
			    in == -ENOENT ? "" : strerror(-in));
		return false;
	}
	out = open(tmpout, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ret = out < 0 ? -errno : wbpf_copy_fd(in, out);
	if (out >= 0 && close(out) && !ret)
		ret = -errno;
	close(in);
	if (ret) {
		if (o->verbose)
			msg("cache entry %.12s unusable, building: %s", hex, strerror(-ret));
		return false;
	}
	if (o->verbose)
		msg("cache hit %.12s", hex);
	return true;
}

/* Store the executable open as fd; then bound the cache. Never fatal. */
static void cache_store(const struct wbpf_opts *o, const char *dir, const char *hex, int fd)
{
	int ret;

	ret = wbpf_cache_store(dir, hex, fd);
	if (ret) {
		if (o->verbose)
			msg("cannot store in the cache %s: %s", dir, strerror(-ret));
		return;
	}
	if (o->verbose)
		msg("stored in the cache as %s/%.12s...", dir, hex);
	ret = wbpf_cache_prune(dir, WBPF_CACHE_MAX);
	if (ret < 0 && o->verbose)
		msg("cannot prune the cache %s: %s", dir, strerror(-ret));
	else if (ret > 0 && o->verbose)
		msg("removed %d old cache entr%s", ret, ret == 1 ? "y" : "ies");
}

/* ---------------------------------------------------------------- compile */

/* --keep-c: the C sources into o->keep_c. */
static int keep_sources(const struct build *b, const char *dir)
{
	const struct wbpf_opts *o = b->o;
	size_t i;
	int ret;

	if (mkdir(o->keep_c, 0755) && errno != EEXIST) {
		ret = -errno;
		msg("cannot create %s: %s", o->keep_c, strerror(-ret));
		return ret;
	}
	for (i = 0; i < b->nsrcs; i++) {
		char from[PATH_MAX + 40], to[PATH_MAX + 40];

		snprintf(from, sizeof(from), "%s/%s", dir, b->names[i]);
		snprintf(to, sizeof(to), "%s/%s", o->keep_c, b->names[i]);
		ret = copy_file(from, to);
		if (ret) {
			msg("cannot copy %s to %s: %s", b->names[i], o->keep_c, strerror(-ret));
			return ret;
		}
	}
	if (o->verbose)
		msg("C sources copied to %s", o->keep_c);
	return 0;
}

/* cc of the generated C's parts and of the glue, as many at once as there
 * are CPUs to run them: the first failure is reported as run_step() does. */
static int compile_c(struct build *b)
{
	const struct wbpf_opts *o = b->o;
	struct wbpf_cmd_result res[WBPF_W2C_MAX_OUTPUTS + 1];
	char *const *argvs[WBPF_W2C_MAX_OUTPUTS + 1];
	size_t n = b->nout + 1, jobs = cpus(), i;
	double t0 = now();
	char line[512];
	int ret;

	for (i = 0; i < n; i++)
		argvs[i] = b->cmds[CMD_CC_GUEST(i)].v;
	if (jobs > n)
		jobs = n;
	ret = wbpf_run_many(argvs, n, jobs, o->verbose, res);
	b->tm.cc = now() - t0;
	for (i = 0; i < n && !ret; i++) {
		if (!res[i].status) {
			if (o->verbose && res[i].err[0])
				fputs(res[i].err, stderr);
			continue;
		}
		best_line(res[i].err, line, sizeof(line));
		if (line[0])
			msg("%s: cc failed: %s", o->input, line);
		else
			msg("%s: cc failed with exit status %d", o->input, res[i].status);
		if (strchr(res[i].err, '\n') && strchr(res[i].err, '\n')[1])
			print_lines(res[i].err, o->verbose ? SIZE_MAX : 20);
		ret = -EIO;
	}
	if (ret && ret != -EIO)
		msg("%s: cannot run %s: %s", o->input, argvs[0][0], strerror(-ret));
	for (i = 0; i < n; i++)
		wbpf_cmd_result__free(&res[i]);
	if (!ret && o->verbose)
		msg("cc: %.3f s (%zu file%s, %zu at once)", b->tm.cc, n, n == 1 ? "" : "s", jobs);
	return ret;
}

/* wasm2c, the glue, cc and the link: the executable into tmpout. */
static int compile(struct build *b, const char *tmpout)
{
	const struct wbpf_opts *o = b->o;
	char err[1024], dir[PATH_MAX], path[PATH_MAX + 16];
	const char *names[sizeof(b->names) / sizeof(b->names[0])];
	size_t i;
	FILE *f = NULL;
	int ret;

	for (i = 0; b->names[i][0]; i++)
		names[i] = b->names[i];
	names[i] = NULL;
	ret = wbpf_tmpdir_create(dir, sizeof(dir), names);
	if (ret) {
		msg("cannot create a temporary directory: %s", strerror(-ret));
		return ret;
	}
	if (o->save_temps) {
		wbpf_tmpdir_keep();
		msg("temporary files in %s", dir);
	}
	ret = write_module(b, dir, path, sizeof(path));
	if (ret)
		return ret;
	plan(b, dir, path, b->cmds);

	ret = run_step(o, "wasm2c", b->cmds[CMD_W2C].v, false, &b->tm.w2c);
	if (ret)
		return ret;
	if (o->verbose)
		msg("wasm2c: %.3f s", b->tm.w2c);
	for (i = 0; i < b->nout; i++) {
		ret = rewrite_c(b, dir, b->names[i]); /* the C files come first */
		if (ret)
			return ret;
	}

	/* the glue: the options' part, then what follows wasm2c's header */
	snprintf(path, sizeof(path), "%s/guest.h", dir);
	ret = wbpf_glue__read_header(&b->g, path, err, sizeof(err));
	if (ret) {
		msg("%s: %s", o->input, err);
		return ret;
	}
	snprintf(path, sizeof(path), "%s/glue.c", dir);
	f = fopen(path, "we");
	if (!f) {
		ret = -errno;
		msg("cannot write %s: %s", path, strerror(-ret));
		return ret;
	}
	if (fwrite(b->glue_opts, 1, b->glue_opts_len, f) != b->glue_opts_len)
		ret = -EIO;
	if (!ret)
		ret = wbpf_glue__write(&b->g, f);
	if (fclose(f) && !ret)
		ret = -EIO;
	if (ret) {
		msg("cannot write %s: %s", path, strerror(-ret));
		return ret;
	}
	if (o->keep_c) {
		ret = keep_sources(b, dir);
		if (ret)
			return ret;
	}

	ret = compile_c(b);
	if (ret)
		return ret;
	ret = run_step(o, "link", b->cmds[CMD_LINK(b->nout)].v, true, &b->tm.ld);
	if (ret)
		return ret;
	if (o->verbose)
		msg("link: %.3f s", b->tm.ld);

	snprintf(path, sizeof(path), "%s/prog", dir);
	ret = copy_file(path, tmpout);
	if (ret)
		msg("cannot copy the executable to %s: %s", tmpout, strerror(-ret));
	return ret;
}

/* ---------------------------------------------------------------- build */

/* The output must not be a directory or the input itself. *special is set
 * when it exists and is not a regular file (a device such as /dev/null, a
 * pipe): the executable is then written into it, never renamed over it. */
static int check_output(const struct wbpf_opts *o, bool *special)
{
	struct stat st_in, st_out;

	*special = false;
	if (stat(o->output, &st_out))
		return 0;
	*special = !S_ISREG(st_out.st_mode) && !S_ISDIR(st_out.st_mode);
	if (S_ISDIR(st_out.st_mode)) {
		msg("cannot write output '%s': Is a directory", o->output);
		return -EISDIR;
	}
	if (!stat(o->input, &st_in) && st_in.st_dev == st_out.st_dev &&
	    st_in.st_ino == st_out.st_ino) {
		msg("output '%s' is the input file", o->output);
		return -EINVAL;
	}
	return 0;
}

int wbpf_build(const struct wbpf_opts *o)
{
	char err[1024], tmpout[PATH_MAX], cache_dir[PATH_MAX], hex[2 * WBPF_SHA256_LEN + 1];
	struct build *b;
	double t0 = now(), t;
	bool use_cache, hit = false, special;
	int fd = -1, fd_err = 0, i, ret;

	b = calloc(1, sizeof(*b));
	if (!b) {
		msg("out of memory");
		return -ENOMEM;
	}
	b->o = o;

	/* 1. read and check the module: a bad one never reaches the cache */
	if (o->verbose)
		msg("reading %s", o->input);
	ret = wbpf_wasm__load_file(o->input, &b->m, &b->mod, &b->modlen, err, sizeof(err));
	if (ret) {
		msg("%s: %s", o->input, err);
		goto cleanup;
	}
	b->g.dirs = o->dirs.v;
	b->g.envs = o->envs.v;
	b->g.btf = o->btf;
	ret = wbpf_check_module(&b->g.chk, &b->m, o->allow_unknown, err, sizeof(err));
	if (ret) {
		msg("%s: %s", o->input, err);
		goto cleanup;
	}
	if (o->verbose)
		msg("%u imports from %u modules, %u unsupported (trapping stubs), %u functions",
		    b->m.nimports, b->g.chk.nimport_modules, b->g.chk.nstubs,
		    b->m.nfunc_imports + b->m.nfuncs);
	if (!o->no_libc_fast_paths) {
		wbpf_libcfn__find(b->mod, b->modlen, &b->m, &b->fns);
		b->renamed = wbpf_libcfn__rename(b->mod, b->modlen, &b->m, &b->fns, &b->renamedlen);
	}
	if (o->verbose) {
		char list[256] = "";
		size_t k = 0;

		for (i = 0; i < (int)b->fns.n && k < sizeof(list); i++)
			k += snprintf(list + k, sizeof(list) - k, " %s",
				      wbpf_libcfn__kind_str(b->fns.fn[i].kind));
		msg("guest libc routines recognised:%s", b->fns.n ? list : " none");
	}

	/* 2. the runtime and its wasm2c; what the options put in the glue */
	ret = find_runtime(b);
	if (ret)
		goto cleanup;
	plan_outputs(b);
	if (o->static_link && !b->static_link[0]) {
		if (o->target->native)
			msg("--static: this wasmbpf-aot was built where libbpf, libelf and zlib do "
			    "not link statically (see wasmbpf-aot --version)");
		else
			msg("--static: the runtime for %s was built where libbpf, libelf and zlib "
			    "do not link statically for it (see wasmbpf-aot --version)",
			    o->target->triplet);
		ret = -ENOTSUP;
		goto cleanup;
	}
	ret = write_glue_options(b);
	if (ret) {
		msg("cannot write the glue: %s", strerror(-ret));
		goto cleanup;
	}

	/* 3. the output: a temporary file next to it, renamed into place at the end */
	ret = check_output(o, &special);
	if (ret)
		goto cleanup;
	if (special) {
		/* built under TMPDIR, then copied into the device or pipe */
		const char *base = getenv("TMPDIR");

		snprintf(err, sizeof(err), "%s/wasmbpf-aot-out", base && base[0] ? base : "/tmp");
		ret = wbpf_tmpout_create(err, tmpout, sizeof(tmpout));
	} else {
		ret = wbpf_tmpout_create(o->output, tmpout, sizeof(tmpout));
	}
	if (ret) {
		msg("cannot create output '%s': %s", o->output, strerror(-ret));
		goto cleanup;
	}

	/* 4. the cache, else wasm2c, the glue, cc and the link */
	use_cache = cache_prepare(b, cache_dir, sizeof(cache_dir), hex);
	if (use_cache)
		hit = cache_fetch(o, cache_dir, hex, tmpout);
	if (!hit) {
		ret = compile(b, tmpout);
		if (ret)
			goto cleanup;
	}

	/* 5. into place */
	if (chmod(tmpout, 0755)) {
		ret = -errno;
		msg("cannot chmod %s: %s", tmpout, strerror(-ret));
		goto cleanup;
	}
	if (use_cache && !hit) {
		fd = open(tmpout, O_RDONLY | O_CLOEXEC); /* what the cache gets */
		fd_err = fd < 0 ? errno : 0;
	}
	if (special) {
		ret = copy_into(tmpout, o->output);
		if (ret) {
			msg("cannot write output '%s': %s", o->output, strerror(-ret));
			goto cleanup;
		}
	} else if (rename(tmpout, o->output)) {
		ret = -errno;
		msg("cannot write output '%s': %s", o->output, strerror(-ret));
		goto cleanup;
	} else {
		wbpf_tmpout_release();
	}
	t = now() - t0;
	if (o->verbose && hit)
		msg("wrote %s in %.3f s (from the cache)", o->output, t);
	else if (o->verbose)
		msg("wrote %s in %.3f s (wasm2c %.3f s, cc %.3f s, link %.3f s)", o->output, t,
		    b->tm.w2c, b->tm.cc, b->tm.ld);

	/* 6. a copy for the cache; failing to store does not fail the build */
	if (fd >= 0)
		cache_store(o, cache_dir, hex, fd);
	else if (use_cache && !hit && o->verbose)
		msg("cannot store in the cache: %s: %s", tmpout, strerror(fd_err));

	/* 7. the container image around it */
	if (o->oci_archive) {
		const char *name = strrchr(o->output, '/') ? strrchr(o->output, '/') + 1 : o->output;
		const char *arch = o->target->native ? OCI_ARCH : o->target->deb_arch;

		ret = wbpf_oci_write(o->oci_archive, o->output, name, arch, err, sizeof(err));
		if (ret) {
			msg("%s", err);
			goto cleanup;
		}
		if (o->verbose)
			msg("wrote %s (OCI image for %s, entrypoint /%s)", o->oci_archive, arch,
			    name);
	}
cleanup:
	if (fd >= 0)
		close(fd);
	for (i = 0; i < MAX_CMDS; i++)
		wbpf_args__free(&b->cmds[i]);
	free(b->glue_opts);
	wbpf_glue__free(&b->g);
	wbpf_wasm__free(&b->m);
	free(b->mod);
	free(b->renamed);
	free(b);
	return ret;
}

/* --version: the other machines whose runtime is installed, and their link lines. */
static void print_targets(void)
{
	char home[PATH_MAX], lib[PATH_MAX + 64], link[1024], static_link[1024];
	const struct wbpf_target *t;
	size_t i;

	if (wbpf_find_home(home, sizeof(home)))
		return;
	for (i = 0; (t = wbpf_target__at(i)); i++) {
		if (t->native || wbpf_target__runtime(t, home, lib, sizeof(lib), link, static_link,
						      sizeof(link)))
			continue;
		printf("target %s links %s\n", t->triplet, link);
		printf("target %s links with --static %s\n", t->triplet,
		       static_link[0] ? static_link : "(not available)");
	}
}

int wbpf_print_version(const struct wbpf_opts *o)
{
	struct wbpf_cmd_result res;
	char *argv[] = {(char *)o->wasm2c, "--version", NULL};
	char line[256];
	int ret;

	printf("wasmbpf-aot %s\n", WBPF_VERSION);
	printf("links %s\n", WBPF_BPF_LINK);
	if (WBPF_BPF_STATIC_LINK[0])
		printf("links with --static %s\n", WBPF_BPF_STATIC_LINK);
	else
		printf("links with --static: not available (no static libbpf, libelf or zlib "
		       "archive that links)\n");
	fflush(stdout);
	ret = wbpf_run(argv, true, false, &res);
	if (ret || res.status) {
		msg("cannot run %s --version: %s", o->wasm2c,
		    ret ? strerror(-ret) : wbpf_first_line(res.err, line, sizeof(line)));
		if (!ret)
			wbpf_cmd_result__free(&res);
		return 1;
	}
	printf("wasm2c %s\n", wbpf_first_line(res.out, line, sizeof(line)));
	wbpf_cmd_result__free(&res);
	print_targets();
	return 0;
}
