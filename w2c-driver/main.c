// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * wasmbpf-aot: compile a Wasm-eBPF module ahead of time into a native
 * executable.
 *
 *   read and check the module -> look up the build cache -> wasm2c -n guest
 *   -> glue.c -> cc -> link with the runtime archive -> rename into place ->
 *   store a copy in the cache
 *
 * Every failure prints one line on stderr, exits 1, and leaves neither the
 * output nor a temporary file behind.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"

static const char prog[] = "wasmbpf-aot";

/* A growable argv. */
struct args {
	char **v;
	size_t n, cap;
};

struct opts {
	const char *input;
	const char *output;
	const char *opt_level; /* "-O2" */
	bool verbose;
	bool save_temps;
	const char *keep_c;
	struct args cc;
	struct args cflags;
	struct args ldflags;
	bool strip;
	struct args dirs;
	struct args envs;
	bool allow_unknown;
	const char *wasm2c;
	bool no_cache;
};

/* Wall time of each step of a build. */
struct times {
	double w2c, cc, glue, ld;
};

static void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void msg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void args_push(struct args *a, const char *s)
{
	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		char **v = realloc(a->v, cap * sizeof(*v));

		if (!v) {
			msg("out of memory");
			abort();
		}
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n] = strdup(s);
	if (!a->v[a->n]) {
		msg("out of memory");
		abort();
	}
	a->v[++a->n] = NULL;
}

/* Split on blanks (no quoting) and append each word. */
static void args_split(struct args *a, const char *s)
{
	char *copy = strdup(s), *save = NULL, *w;

	if (!copy) {
		msg("out of memory");
		abort();
	}
	for (w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
		args_push(a, w);
	free(copy);
}

static void args_append(struct args *a, const struct args *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		args_push(a, b->v[i]);
}

static void args_free(struct args *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static void usage(FILE *f)
{
	fprintf(f,
		"wasmbpf-aot: compile a Wasm-eBPF module ahead of time into a native executable.\n"
		"\n"
		"USAGE\n"
		"  wasmbpf-aot [OPTIONS] PROG.wasm [-o PROG]\n"
		"\n"
		"The module is checked (its imports against the runtime's import table, its\n"
		"_start and memory exports), translated to C with wasm2c, compiled with cc and\n"
		"linked with the wasmbpf-aot runtime into one executable that needs nothing\n"
		"but libc at run time.\n"
		"\n"
		"EXAMPLES\n"
		"  wasmbpf-aot bootstrap.wasm                # writes ./bootstrap\n"
		"  sudo ./bootstrap -d 100                   # arguments go to the guest\n"
		"  wasmbpf-aot -O3 --strip prog.wasm -o /usr/local/bin/prog\n"
		"  wasmbpf-aot --dir /var/log::/logs:ro --env LANG=C prog.wasm\n"
		"  wasmbpf-aot -v --save-temps prog.wasm     # show commands, keep the C\n"
		"\n"
		"A build is cached under the SHA-256 of all that goes into it (the module,\n"
		"the runtime, wasm2c and the compiler, the options); building the same thing\n"
		"again copies the cached executable. The cache keeps the 64 most recently\n"
		"used executables.\n"
		"\n"
		"OPTIONS\n"
		"  -o FILE                  output executable (default: the input name without\n"
		"                           .wasm, or a.out)\n"
		"  -O0, -O1, -O2, -O3, -Os  optimization of the generated C (default -O2)\n"
		"  -v, --verbose            print each step, each command and its time\n"
		"      --save-temps         keep the temporary directory and print its path\n"
		"      --keep-c DIR         copy guest.c, guest.h and glue.c into DIR\n"
		"      --cc CC              C compiler (default: $CC, else cc)\n"
		"      --cflags FLAGS       extra compiler flags (split on spaces)\n"
		"      --ldflags FLAGS      extra linker flags (split on spaces)\n"
		"      --strip              strip the executable\n"
		"      --dir HOST[::GUEST][:ro]\n"
		"                           preopen directory HOST (as GUEST) by default;\n"
		"                           repeatable\n"
		"      --env NAME=VALUE     environment variable given to the guest by default;\n"
		"                           repeatable\n"
		"      --allow-unknown-imports\n"
		"                           accept function imports the runtime does not\n"
		"                           provide; calling one traps with \"call to\n"
		"                           unsupported import 'MODULE.NAME'\" (exit 134)\n"
		"      --wasm2c PATH        wasm2c to run (default: $WASM2C, else wasm2c)\n"
		"      --no-cache           neither use nor fill the build cache (--save-temps\n"
		"                           and --keep-c do not use it either)\n"
		"  -h, --help               show this help\n"
		"  -V, --version            show the version and wasm2c's version\n"
		"\n"
		"ENVIRONMENT\n"
		"  WASMBPF_AOT_HOME         install prefix holding lib/wasmbpf-aot/libwbpf-rt.a\n"
		"                           and include/wasmbpf-aot (default: found from the\n"
		"                           location of this program)\n"
		"  WASMBPF_AOT_CACHE        build cache directory (default:\n"
		"                           $XDG_CACHE_HOME/wasmbpf-aot, else\n"
		"                           $HOME/.cache/wasmbpf-aot); empty or \"off\" disables\n"
		"                           the cache\n"
		"  CC, WASM2C, TMPDIR       as above; TMPDIR holds the temporary directory\n"
		"\n"
		"Exit status: 0 on success, 1 on failure, 2 on a usage error.\n");
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	return 2;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The install prefix: $WASMBPF_AOT_HOME, else the parent of this program's directory. */
static int find_home(char *buf, size_t bufsz)
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
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = NULL;
	size_t n;
	int ret = 0;

	if (!in)
		return -errno;
	out = fopen(to, "wb");
	if (!out) {
		ret = -errno;
		goto cleanup;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (fwrite(buf, 1, n, out) != n) {
			ret = -EIO;
			goto cleanup;
		}
	}
	if (ferror(in))
		ret = -EIO;
cleanup:
	if (out && fclose(out) && !ret)
		ret = -EIO;
	fclose(in);
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
static int run_step(const struct opts *o, const char *what, char *const argv[], bool full_output,
		    double *secs)
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

/* The key: everything that goes into the executable (see --help). */
static int cache_key(const struct opts *o, const char *lib, const char *inc, char *hex, char *why,
		     size_t whysz)
{
	char hdr_dir[PATH_MAX + 80], path[PATH_MAX + 80 + 260];
	uint8_t d[WBPF_SHA256_LEN];
	struct dirent **names = NULL;
	struct wbpf_sha256 s;
	int i, n = 0, ret;

	wbpf_sha256_init(&s);
	wbpf_key_str(&s, "format", "wasmbpf-aot build cache 1");
	wbpf_key_str(&s, "version", WBPF_VERSION);
	ret = wbpf_key_program(&s, "driver", "/proc/self/exe");
	if (ret) {
		snprintf(why, whysz, "cannot identify this program: %s", strerror(-ret));
		goto cleanup;
	}
	ret = wbpf_key_file(&s, "module", o->input);
	if (ret) {
		snprintf(why, whysz, "cannot read %s: %s", o->input, strerror(-ret));
		goto cleanup;
	}
	ret = wbpf_key_file(&s, "runtime", lib);
	if (ret) {
		snprintf(why, whysz, "cannot read %s: %s", lib, strerror(-ret));
		goto cleanup;
	}
	/* wbpf/aot.h and the headers it includes */
	snprintf(hdr_dir, sizeof(hdr_dir), "%s/wbpf", inc);
	n = scandir(hdr_dir, &names, NULL, alphasort);
	if (n < 0) {
		ret = -errno;
		n = 0;
		snprintf(why, whysz, "cannot read %s: %s", hdr_dir, strerror(-ret));
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", hdr_dir, names[i]->d_name);
		ret = wbpf_key_file(&s, names[i]->d_name, path);
		if (ret) {
			snprintf(why, whysz, "cannot read runtime header %s: %s", names[i]->d_name,
				 strerror(-ret));
			goto cleanup;
		}
	}
	ret = wbpf_key_program(&s, "wasm2c", o->wasm2c);
	if (ret) {
		snprintf(why, whysz, "cannot find wasm2c '%s': %s", o->wasm2c, strerror(-ret));
		goto cleanup;
	}
	/* the compiler: its words (a launcher, the compiler, its flags), each
	 * program among them by identity */
	wbpf_key_list(&s, "cc", o->cc.v, o->cc.n);
	for (i = 0; i < (int)o->cc.n; i++) {
		ret = wbpf_key_program(&s, "cc-program", o->cc.v[i]);
		if (ret && i == 0) {
			snprintf(why, whysz, "cannot find the C compiler '%s': %s", o->cc.v[0],
				 strerror(-ret));
			goto cleanup;
		}
		if (ret)
			wbpf_key_str(&s, "cc-word", o->cc.v[i]);
	}
	ret = 0;
	wbpf_key_str(&s, "opt-level", o->opt_level);
	wbpf_key_list(&s, "cflags", o->cflags.v, o->cflags.n);
	wbpf_key_list(&s, "ldflags", o->ldflags.v, o->ldflags.n);
	wbpf_key_str(&s, "strip", o->strip ? "1" : "0");
	wbpf_key_list(&s, "dirs", o->dirs.v, o->dirs.n);
	wbpf_key_list(&s, "envs", o->envs.v, o->envs.n);
	wbpf_key_str(&s, "allow-unknown-imports", o->allow_unknown ? "1" : "0");
	wbpf_sha256_final(&s, d);
	wbpf_sha256_hex(d, hex);
cleanup:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

/* Whether this build uses the cache: true with its directory and key. */
static bool cache_prepare(const struct opts *o, const char *lib, const char *inc, char *dir,
			  size_t dirsz, char *hex)
{
	char why[PATH_MAX + 128];
	int ret;

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
	ret = cache_key(o, lib, inc, hex, why, sizeof(why));
	if (ret) {
		if (o->verbose)
			msg("cache not used: %s", why);
		return false;
	}
	return true;
}

/* A cached executable into tmpout: true on a hit. */
static bool cache_fetch(const struct opts *o, const char *dir, const char *hex, const char *tmpout)
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
static void cache_store(const struct opts *o, const char *dir, const char *hex, int fd)
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

/* wasm2c, the glue, cc and the link: the executable in tmpout. */
static int compile(const struct opts *o, const struct wbpf_wasm *m, struct wbpf_glue *g,
		   const char *lib, const char *inc, const char *tmpout, struct times *tm)
{
	static const char *const tmp_names[] = {"guest.c", "guest.h", "glue.c",
						"guest.o", "glue.o",  NULL};
	char err[1024], dir[PATH_MAX], guest_c[PATH_MAX + 16], guest_h[PATH_MAX + 16];
	char glue_c[PATH_MAX + 16], guest_o[PATH_MAX + 16], glue_o[PATH_MAX + 16];
	char inc_flag[PATH_MAX + 80], config_h[PATH_MAX + 128], rt_version[32];
	const char *const *w2c_cflags;
	struct wbpf_w2c w2c;
	struct args cmd = {0};
	int rt_gen;
	FILE *f = NULL;
	int ret;

	ret = wbpf_tmpdir_create(dir, sizeof(dir), tmp_names);
	if (ret) {
		msg("cannot create a temporary directory: %s", strerror(-ret));
		goto cleanup;
	}
	if (o->save_temps) {
		wbpf_tmpdir_keep();
		msg("temporary files in %s", dir);
	}
	snprintf(guest_c, sizeof(guest_c), "%s/guest.c", dir);
	snprintf(guest_h, sizeof(guest_h), "%s/guest.h", dir);
	snprintf(glue_c, sizeof(glue_c), "%s/glue.c", dir);
	snprintf(guest_o, sizeof(guest_o), "%s/guest.o", dir);
	snprintf(glue_o, sizeof(glue_o), "%s/glue.o", dir);

	/* which wasm2c: it must be the generation the runtime was built for */
	ret = wbpf_w2c__detect(&w2c, o->wasm2c, err, sizeof(err));
	if (ret) {
		msg("%s%s", ret == -ENOENT ? "wasm2c failed: " : "", err);
		goto cleanup;
	}
	snprintf(config_h, sizeof(config_h), "%s/wbpf/w2c-config.h", inc);
	rt_gen = wbpf_w2c__config_gen(config_h, rt_version, sizeof(rt_version));
	if (rt_gen < 0) {
		ret = rt_gen;
		msg("runtime header %s: %s (set WASMBPF_AOT_HOME to the install prefix)", config_h,
		    rt_gen == -EINVAL ? "no wasm2c generation in it" : strerror(-rt_gen));
		goto cleanup;
	}
	if (rt_gen != w2c.gen) {
		ret = -EINVAL;
		msg("wasm2c %s (%s) does not match the runtime, built for wasm2c %s: use that "
		    "wasm2c (--wasm2c, WASM2C) or rebuild the runtime",
		    w2c.version, o->wasm2c, rt_version);
		goto cleanup;
	}
	g->w2c = &w2c;
	if (o->verbose)
		msg("wasm2c %s, runtime built for wasm2c %s", w2c.version, rt_version);

	/* wasm2c */
	args_push(&cmd, o->wasm2c);
	args_push(&cmd, "-n");
	args_push(&cmd, "guest");
	args_push(&cmd, o->input);
	args_push(&cmd, "-o");
	args_push(&cmd, guest_c);
	ret = run_step(o, "wasm2c", cmd.v, false, &tm->w2c);
	if (ret)
		goto cleanup;
	if (o->verbose)
		msg("wasm2c: %.3f s", tm->w2c);

	/* the glue */
	ret = wbpf_glue__read_header(g, guest_h, err, sizeof(err));
	if (ret) {
		msg("%s: %s", o->input, err);
		goto cleanup;
	}
	f = fopen(glue_c, "we");
	if (!f) {
		ret = -errno;
		msg("cannot write %s: %s", glue_c, strerror(-ret));
		goto cleanup;
	}
	ret = wbpf_glue__write(g, m, f);
	if (fclose(f) && !ret)
		ret = -EIO;
	f = NULL;
	if (ret) {
		msg("cannot write %s: %s", glue_c, strerror(-ret));
		goto cleanup;
	}
	if (o->keep_c) {
		const char *const *n;

		if (mkdir(o->keep_c, 0755) && errno != EEXIST) {
			ret = -errno;
			msg("cannot create %s: %s", o->keep_c, strerror(-ret));
			goto cleanup;
		}
		for (n = tmp_names; n < tmp_names + 3; n++) {
			char from[PATH_MAX + 16], to[PATH_MAX + 16];

			snprintf(from, sizeof(from), "%s/%s", dir, *n);
			snprintf(to, sizeof(to), "%s/%s", o->keep_c, *n);
			ret = copy_file(from, to);
			if (ret) {
				msg("cannot copy %s to %s: %s", *n, o->keep_c, strerror(-ret));
				goto cleanup;
			}
		}
		if (o->verbose)
			msg("C sources copied to %s", o->keep_c);
	}

	/* compile: the guest, then the glue */
	for (int i = 0; i < 2; i++) {
		args_free(&cmd);
		args_append(&cmd, &o->cc);
		for (w2c_cflags = wbpf_w2c__cflags(&w2c); *w2c_cflags; w2c_cflags++)
			args_push(&cmd, *w2c_cflags);
		for (w2c_cflags = wbpf_w2c__defines(&w2c); *w2c_cflags; w2c_cflags++)
			args_push(&cmd, *w2c_cflags);
		args_push(&cmd, o->opt_level);
		snprintf(inc_flag, sizeof(inc_flag), "-I%s", inc);
		args_push(&cmd, inc_flag);
		args_append(&cmd, &o->cflags);
		args_push(&cmd, "-c");
		args_push(&cmd, i == 0 ? guest_c : glue_c);
		args_push(&cmd, "-o");
		args_push(&cmd, i == 0 ? guest_o : glue_o);
		ret = run_step(o, "cc", cmd.v, true, i == 0 ? &tm->cc : &tm->glue);
		if (ret)
			goto cleanup;
		if (o->verbose)
			msg("cc %s: %.3f s", i == 0 ? "guest.c" : "glue.c",
			    i == 0 ? tm->cc : tm->glue);
	}

	/* link: static libbpf/libelf/libz so the program needs only libc (where
	 * the distribution's archives allow it) */
	args_free(&cmd);
	args_append(&cmd, &o->cc);
	args_push(&cmd, guest_o);
	args_push(&cmd, glue_o);
	args_push(&cmd, lib);
	/* static libbpf (and libelf, zlib where their archives link): the build's probe */
	args_split(&cmd, WBPF_BPF_LINK);
	args_push(&cmd, "-lm");
	if (o->strip)
		args_push(&cmd, "-s");
	args_append(&cmd, &o->ldflags);
	args_push(&cmd, "-o");
	args_push(&cmd, tmpout);
	ret = run_step(o, "link", cmd.v, true, &tm->ld);
	if (ret)
		goto cleanup;
	if (o->verbose)
		msg("link: %.3f s", tm->ld);
cleanup:
	args_free(&cmd);
	return ret;
}

static int build(struct opts *o)
{
	char err[1024], home[PATH_MAX], lib[PATH_MAX + 64], inc[PATH_MAX + 64], tmpout[PATH_MAX];
	char aot_h[PATH_MAX + 80], cache_dir[PATH_MAX], hex[2 * WBPF_SHA256_LEN + 1];
	struct wbpf_wasm m = {0};
	struct wbpf_glue g = {0};
	struct stat st_in, st_out;
	struct times tm = {0};
	double t0 = now(), t;
	bool use_cache, hit = false;
	int fd = -1, fd_err = 0, ret;

	/* 1. read and check the module: a bad one never reaches the cache */
	if (o->verbose)
		msg("reading %s", o->input);
	ret = wbpf_wasm__parse_file(o->input, &m, err, sizeof(err));
	if (ret) {
		msg("%s: %s", o->input, err);
		goto cleanup;
	}
	g.dirs = o->dirs.v;
	g.envs = o->envs.v;
	ret = wbpf_glue__check(&g, &m, o->allow_unknown, err, sizeof(err));
	if (ret) {
		msg("%s: %s", o->input, err);
		goto cleanup;
	}
	if (o->verbose)
		msg("%u imports from %u modules, %u unsupported (trapping stubs), %u functions",
		    m.nimports, g.nimport_modules, g.nstubs, m.nfunc_imports + m.nfuncs);

	/* 2. the runtime */
	ret = find_home(home, sizeof(home));
	if (ret) {
		msg("cannot find the runtime: %s (set WASMBPF_AOT_HOME)", strerror(-ret));
		goto cleanup;
	}
	snprintf(lib, sizeof(lib), "%s/lib/wasmbpf-aot/libwbpf-rt.a", home);
	snprintf(inc, sizeof(inc), "%s/include/wasmbpf-aot", home);
	snprintf(aot_h, sizeof(aot_h), "%s/wbpf/aot.h", inc);
	if (access(lib, R_OK)) {
		ret = -errno;
		msg("runtime archive %s: %s (set WASMBPF_AOT_HOME to the install prefix)", lib,
		    strerror(-ret));
		goto cleanup;
	}
	if (access(aot_h, R_OK)) {
		ret = -errno;
		msg("runtime header %s: %s (set WASMBPF_AOT_HOME to the install prefix)", aot_h,
		    strerror(-ret));
		goto cleanup;
	}

	/* 3. the output: a temporary file next to it, renamed into place at the end */
	if (!stat(o->output, &st_out)) {
		if (S_ISDIR(st_out.st_mode)) {
			ret = -EISDIR;
			msg("cannot write output '%s': Is a directory", o->output);
			goto cleanup;
		}
		if (!stat(o->input, &st_in) && st_in.st_dev == st_out.st_dev &&
		    st_in.st_ino == st_out.st_ino) {
			ret = -EINVAL;
			msg("output '%s' is the input file", o->output);
			goto cleanup;
		}
	}
	ret = wbpf_tmpout_create(o->output, tmpout, sizeof(tmpout));
	if (ret) {
		msg("cannot create output '%s': %s", o->output, strerror(-ret));
		goto cleanup;
	}

	/* 4. the cache, else wasm2c, the glue, cc and the link */
	use_cache = cache_prepare(o, lib, inc, cache_dir, sizeof(cache_dir), hex);
	if (use_cache)
		hit = cache_fetch(o, cache_dir, hex, tmpout);
	if (!hit) {
		ret = compile(o, &m, &g, lib, inc, tmpout, &tm);
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
	if (rename(tmpout, o->output)) {
		ret = -errno;
		msg("cannot write output '%s': %s", o->output, strerror(-ret));
		goto cleanup;
	}
	wbpf_tmpout_release();
	t = now() - t0;
	if (o->verbose && hit)
		msg("wrote %s in %.3f s (from the cache)", o->output, t);
	else if (o->verbose)
		msg("wrote %s in %.3f s (wasm2c %.3f s, cc %.3f s, glue %.3f s, link %.3f s)",
		    o->output, t, tm.w2c, tm.cc, tm.glue, tm.ld);

	/* 6. a copy for the cache; failing to store does not fail the build */
	if (fd >= 0)
		cache_store(o, cache_dir, hex, fd);
	else if (use_cache && !hit && o->verbose)
		msg("cannot store in the cache: %s: %s", tmpout, strerror(fd_err));
cleanup:
	if (fd >= 0)
		close(fd);
	wbpf_glue__free(&g);
	wbpf_wasm__free(&m);
	return ret;
}

static int print_version(const struct opts *o)
{
	struct wbpf_cmd_result res;
	char *argv[] = {(char *)o->wasm2c, "--version", NULL};
	char line[256];
	int ret;

	printf("wasmbpf-aot %s\n", WBPF_VERSION);
	printf("links %s\n", WBPF_BPF_LINK);
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
	return 0;
}

enum {
	OPT_SAVE_TEMPS = 256,
	OPT_KEEP_C,
	OPT_CC,
	OPT_CFLAGS,
	OPT_LDFLAGS,
	OPT_STRIP,
	OPT_DIR,
	OPT_ENV,
	OPT_ALLOW_UNKNOWN,
	OPT_WASM2C,
	OPT_NO_CACHE,
	OPT_VERSION,
};

static const struct option long_opts[] = {
	{"output", required_argument, NULL, 'o'},
	{"verbose", no_argument, NULL, 'v'},
	{"save-temps", no_argument, NULL, OPT_SAVE_TEMPS},
	{"keep-c", required_argument, NULL, OPT_KEEP_C},
	{"cc", required_argument, NULL, OPT_CC},
	{"cflags", required_argument, NULL, OPT_CFLAGS},
	{"ldflags", required_argument, NULL, OPT_LDFLAGS},
	{"strip", no_argument, NULL, OPT_STRIP},
	{"dir", required_argument, NULL, OPT_DIR},
	{"env", required_argument, NULL, OPT_ENV},
	{"allow-unknown-imports", no_argument, NULL, OPT_ALLOW_UNKNOWN},
	{"wasm2c", required_argument, NULL, OPT_WASM2C},
	{"no-cache", no_argument, NULL, OPT_NO_CACHE},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

static char *default_output(const char *input)
{
	size_t n = strlen(input);

	if (n > 5 && !strcmp(input + n - 5, ".wasm") && input[n - 6] != '/')
		return strndup(input, n - 5);
	return strdup("a.out");
}

int main(int argc, char **argv)
{
	static char opt_level[8] = "-O2";
	struct opts o = {0};
	char *output = NULL;
	bool version = false;
	const char *env;
	int c, ret = 1;
	long level;

	o.opt_level = opt_level;
	o.wasm2c = (env = getenv("WASM2C")) && env[0] ? env : "wasm2c";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:O:vhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!optarg[0]) {
				ret = usage_error("-o needs a file name");
				goto cleanup;
			}
			o.output = optarg;
			break;
		case 'O':
			if (!strcmp(optarg, "s")) {
				strcpy(opt_level, "-Os");
			} else if (!wbpf_parse_long(optarg, 0, 3, &level)) {
				snprintf(opt_level, sizeof(opt_level), "-O%ld", level);
			} else {
				ret = usage_error(
					"invalid optimization level '-O%s' (use -O0..-O3 or -Os)",
					optarg);
				goto cleanup;
			}
			break;
		case 'v':
			o.verbose = true;
			break;
		case OPT_SAVE_TEMPS:
			o.save_temps = true;
			break;
		case OPT_KEEP_C:
			o.keep_c = optarg;
			break;
		case OPT_CC:
			args_free(&o.cc);
			args_split(&o.cc, optarg);
			break;
		case OPT_CFLAGS:
			args_split(&o.cflags, optarg);
			break;
		case OPT_LDFLAGS:
			args_split(&o.ldflags, optarg);
			break;
		case OPT_STRIP:
			o.strip = true;
			break;
		case OPT_DIR:
			if (!optarg[0] || optarg[0] == ':') {
				ret = usage_error("invalid --dir '%s' (use HOST[::GUEST][:ro])",
						  optarg);
				goto cleanup;
			}
			args_push(&o.dirs, optarg);
			break;
		case OPT_ENV:
			if (!strchr(optarg, '=') || optarg[0] == '=') {
				ret = usage_error("invalid --env '%s' (use NAME=VALUE)", optarg);
				goto cleanup;
			}
			args_push(&o.envs, optarg);
			break;
		case OPT_ALLOW_UNKNOWN:
			o.allow_unknown = true;
			break;
		case OPT_WASM2C:
			o.wasm2c = optarg;
			break;
		case OPT_NO_CACHE:
			o.no_cache = true;
			break;
		case 'h':
			usage(stdout);
			ret = 0;
			goto cleanup;
		case 'V':
		case OPT_VERSION:
			version = true;
			break;
		case ':':
			ret = usage_error("option '%s' needs an argument", argv[optind - 1]);
			goto cleanup;
		default:
			if (optopt && optopt < 256)
				ret = usage_error("unknown option '-%c'", optopt);
			else
				ret = usage_error("unknown option '%s'", argv[optind - 1]);
			goto cleanup;
		}
	}
	if (version) {
		ret = print_version(&o);
		goto cleanup;
	}
	if (optind >= argc) {
		ret = usage_error("no input file");
		goto cleanup;
	}
	if (argc - optind > 1) {
		ret = usage_error("more than one input file ('%s', '%s')", argv[optind],
				  argv[optind + 1]);
		goto cleanup;
	}
	o.input = argv[optind];
	if (!o.cc.n)
		args_split(&o.cc, (env = getenv("CC")) && env[0] ? env : "cc");
	if (!o.cc.n) {
		ret = usage_error("empty --cc");
		goto cleanup;
	}
	if (!o.output) {
		output = default_output(o.input);
		if (!output) {
			msg("out of memory");
			goto cleanup;
		}
		o.output = output;
	}

	wbpf_cleanup_init();
	ret = build(&o) ? 1 : 0;
	wbpf_cleanup();
cleanup:
	free(output);
	args_free(&o.cc);
	args_free(&o.cflags);
	args_free(&o.ldflags);
	args_free(&o.dirs);
	args_free(&o.envs);
	return ret;
}
