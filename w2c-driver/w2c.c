// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The wasm2c version layer (see w2c.h): names, the generated header's shape,
 * the instance and import API, the runtime sources and flags of each wasm2c
 * generation. Host code only; linked into wasmbpf-aot and gen-binding.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "w2c.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---------------------------------------------------------------- version */

int wbpf_w2c__from_version(struct wbpf_w2c *w, const char *version, char *err, size_t errsz)
{
	unsigned int major, minor, patch;
	size_t n = strcspn(version, " \t\n");
	char shown[32];

	if (n >= sizeof(shown))
		n = sizeof(shown) - 1;
	memcpy(shown, version, n);
	shown[n] = '\0';
	if (sscanf(version, "%u.%u.%u", &major, &minor, &patch) != 3)
		return fail(err, errsz, "cannot read wasm2c's version from '%s'", shown);
	snprintf(w->version, sizeof(w->version), "%s", shown);
	if (major == 1 && minor == 0 && patch == 32)
		w->gen = WBPF_W2C_GEN_32;
	else if (major > 1 || (major == 1 && minor > 0) || (major == 1 && patch >= 33))
		w->gen = WBPF_W2C_GEN_33;
	else
		return fail(err, errsz,
			    "unsupported wasm2c version %s (need 1.0.32 exactly, or 1.0.33 or later)",
			    shown);
	return 0;
}

/* Every `#include "X"` of dir/file names a file that is there. */
static bool includes_present(const char *dir, const char *file)
{
	char path[4096 + 256], line[512];
	bool ok = true;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (ok && fgets(line, sizeof(line), f)) {
		char *s = line, *end;

		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, "#include \"", 10))
			continue;
		s += 10;
		end = strchr(s, '"');
		if (!end)
			continue;
		*end = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, s);
		ok = !access(path, R_OK);
	}
	fclose(f);
	return ok;
}

static bool rt_dir_usable(struct wbpf_w2c *w, const char *dir)
{
	static const char *const gen32[] = {"wasm-rt-impl.c"};
	/* 1.0.33 split the runtime; later releases added files to it */
	static const char *const gen33[] = {"wasm-rt-impl.c", "wasm-rt-mem-impl.c",
					    "wasm-rt-exceptions-impl.c"};
	const char *const *want = w->gen == WBPF_W2C_GEN_32 ? gen32 : gen33;
	size_t nwant = w->gen == WBPF_W2C_GEN_32 ? ARRAY_SIZE(gen32) : ARRAY_SIZE(gen33);
	char path[4096 + 64];
	size_t i, n = 0;

	snprintf(path, sizeof(path), "%s/wasm-rt.h", dir);
	if (access(path, R_OK))
		return false;
	for (i = 0; i < nwant; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, want[i]);
		if (access(path, R_OK)) {
			if (i == 0)
				return false;
			continue; /* a later addition this release does not have */
		}
		if (!includes_present(dir, want[i]))
			return false;
		w->rt_srcs[n++] = want[i];
	}
	w->rt_srcs[n] = NULL;
	snprintf(w->rt_dir, sizeof(w->rt_dir), "%s", dir);
	return true;
}

static void find_rt_dir(struct wbpf_w2c *w)
{
	/* Debian 12's wabt has the whole 1.0.32 runtime in both places; Debian 13's
	 * only in /usr/src/wasm2c (the other copy lacks the .inc files) */
	static const char *const dirs32[] = {"/usr/share/wabt/wasm2c", "/usr/src/wasm2c"};
	static const char *const dirs33[] = {"/usr/src/wasm2c", "/usr/share/wabt/wasm2c",
					     "/usr/local/src/wasm2c"};
	const char *env = getenv("WASM2C_RUNTIME");
	const char *const *dirs = w->gen == WBPF_W2C_GEN_32 ? dirs32 : dirs33;
	size_t i, n = w->gen == WBPF_W2C_GEN_32 ? ARRAY_SIZE(dirs32) : ARRAY_SIZE(dirs33);

	w->rt_dir[0] = '\0';
	w->rt_srcs[0] = NULL;
	if (env && env[0]) {
		rt_dir_usable(w, env);
		return;
	}
	for (i = 0; i < n; i++)
		if (rt_dir_usable(w, dirs[i]))
			return;
}

int wbpf_w2c__detect(struct wbpf_w2c *w, const char *wasm2c, char *err, size_t errsz)
{
	char out[256];
	int pfd[2], status;
	ssize_t len = 0, r;
	pid_t pid;

	memset(w, 0, sizeof(*w));
	if (pipe2(pfd, O_CLOEXEC))
		return fail(err, errsz, "cannot run %s --version: %s", wasm2c, strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return fail(err, errsz, "cannot run %s --version: %s", wasm2c, strerror(errno));
	}
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		execlp(wasm2c, wasm2c, "--version", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while (len < (ssize_t)sizeof(out) - 1 &&
	       ((r = read(pfd[0], out + len, sizeof(out) - 1 - len)) > 0 ||
		(r < 0 && errno == EINTR)))
		len += r > 0 ? r : 0;
	out[len] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
		fail(err, errsz, "cannot run '%s'", wasm2c);
		return -ENOENT;
	}
	if (WEXITSTATUS(status))
		return fail(err, errsz, "'%s --version' failed (exit %d)", wasm2c,
			    WEXITSTATUS(status));
	if (wbpf_w2c__from_version(w, out, err, errsz))
		return -EINVAL;
	find_rt_dir(w);
	return 0;
}

int wbpf_w2c__config_gen(const char *config_h, char *version, size_t versionsz)
{
	char line[256];
	int gen = -EINVAL;
	FILE *f = fopen(config_h, "re");

	if (!f)
		return -errno;
	if (version && versionsz)
		version[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		int v;
		char s[32];

		if (sscanf(line, "#define WBPF_W2C_GEN %d", &v) == 1)
			gen = v;
		else if (version && sscanf(line, "#define WBPF_W2C_VERSION \"%31[^\"]\"", s) == 1)
			snprintf(version, versionsz, "%s", s);
	}
	fclose(f);
	return gen;
}

/*
 * Macros that configure wasm-rt.h: the runtime and the generated code must be
 * compiled with the same ones, or they disagree on the layout and behaviour of
 * memories. None so far in either generation.
 */
static const char *const no_defines[] = {NULL};

const char *const *wbpf_w2c__defines(const struct wbpf_w2c *w)
{
	return no_defines;
}

const char *const *wbpf_w2c__cflags(const struct wbpf_w2c *w)
{
	/* exact float semantics, and calls never turned into jumps (1.0.32 counts
	 * stack depth); the generated code is not ours to warn about */
	static const char *const flags[] = {
		"-std=gnu11", "-fno-optimize-sibling-calls", "-frounding-math", "-fsignaling-nans",
		"-w",	      NULL,
	};

	return flags;
}

unsigned int wbpf_w2c__max_outputs(const struct wbpf_w2c *w)
{
	return w->gen == WBPF_W2C_GEN_32 ? 1 : WBPF_W2C_MAX_OUTPUTS;
}

/* `-o guest.c --num-outputs=N` writes guest_0.c ... guest_{N-1}.c, guest.h and
 * guest-impl.h (what the parts share: types, imports, static helpers) */
void wbpf_w2c__c_file(const struct wbpf_w2c *w, unsigned int n, unsigned int i, char *buf,
		      size_t bufsz)
{
	if (n <= 1)
		snprintf(buf, bufsz, "%s.c", WBPF_W2C_MODULE);
	else
		snprintf(buf, bufsz, "%s_%u.c", WBPF_W2C_MODULE, i);
}

const char *wbpf_w2c__impl_header(const struct wbpf_w2c *w, unsigned int n)
{
	return n <= 1 ? "" : WBPF_W2C_MODULE "-impl.h";
}

void wbpf_w2c__outputs_arg(const struct wbpf_w2c *w, unsigned int n, char *buf, size_t bufsz)
{
	if (n <= 1)
		buf[0] = '\0';
	else
		snprintf(buf, bufsz, "--num-outputs=%u", n);
}

/* ---------------------------------------------------------------- names */

static bool c_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* 1.0.32: [A-Za-z0-9_] except 'Z' as is, any other byte Z + two hex digits. */
static char *mangle32(const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(len * 3 + 1), *p = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c_alnum(c) && c != 'Z') || c == '_') {
			*p++ = (char)c;
		} else {
			*p++ = 'Z';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return out;
}

/*
 * 1.0.33 and later: alphanumerics as is; a byte is escaped as 0xHH when it is
 * not alphanumeric or '_', when it is a hex digit A-F right after "0x", or an
 * '_' first, last or after another '_'; module names double every other '_'.
 */
static char *mangle33(const char *s, size_t len, bool module)
{
	char *out = malloc(len * 4 + 1), *p = out;
	enum { ANY, ZERO, ZERO_X } state = ANY;
	bool last_underscore = false;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool escape;

		if (state == ZERO_X && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')))
			escape = true;
		else if (c == '_')
			escape = i == 0 || i + 1 == len || last_underscore;
		else
			escape = !c_alnum(c);
		state = c == '0' ? ZERO : state == ZERO && c == 'x' ? ZERO_X : ANY;
		if (escape) {
			p += sprintf(p, "0x%02X", c);
			last_underscore = false;
			state = ANY;
		} else {
			*p++ = (char)c;
			if (c == '_' && module)
				*p++ = '_';
			last_underscore = c == '_';
		}
	}
	*p = '\0';
	return out;
}

char *wbpf_w2c__mangle_module(const struct wbpf_w2c *w, const char *s, size_t len)
{
	return w->gen == WBPF_W2C_GEN_32 ? mangle32(s, len) : mangle33(s, len, true);
}

char *wbpf_w2c__mangle_name(const struct wbpf_w2c *w, const char *s, size_t len)
{
	return w->gen == WBPF_W2C_GEN_32 ? mangle32(s, len) : mangle33(s, len, false);
}

/* PREFIX + a + SEP + b, malloc'd; NULL when a or b is NULL (and frees them). */
static char *join(const char *prefix, char *a, const char *sep, char *b)
{
	char *out = NULL;

	if (a && b && asprintf(&out, "%s%s%s%s", prefix, a, sep, b) < 0)
		out = NULL;
	free(a);
	free(b);
	return out;
}

char *wbpf_w2c__import_fn(const struct wbpf_w2c *w, const char *mod, size_t modlen,
			  const char *name, size_t namelen)
{
	/* Z_modZ_name; w2c_mod_name */
	return join(w->gen == WBPF_W2C_GEN_32 ? "Z_" : "w2c_",
		    wbpf_w2c__mangle_module(w, mod, modlen),
		    w->gen == WBPF_W2C_GEN_32 ? "Z_" : "_", wbpf_w2c__mangle_name(w, name, namelen));
}

char *wbpf_w2c__import_instance_type(const struct wbpf_w2c *w, const char *mod, size_t modlen)
{
	/* struct Z_mod_instance_t; struct w2c_mod */
	return join(w->gen == WBPF_W2C_GEN_32 ? "struct Z_" : "struct w2c_",
		    wbpf_w2c__mangle_module(w, mod, modlen), "",
		    strdup(w->gen == WBPF_W2C_GEN_32 ? "_instance_t" : ""));
}

char *wbpf_w2c__export_fn(const struct wbpf_w2c *w, const char *name)
{
	return wbpf_w2c__import_fn(w, WBPF_W2C_MODULE, strlen(WBPF_W2C_MODULE), name,
				   strlen(name));
}

/* ---------------------------------------------------------------- header */

/*
 * We rely on two declarations of the header (1.0.32; 1.0.33 and later):
 *   void Z_guest_instantiate(Z_guest_instance_t*, struct Z_a_instance_t*, ...);
 *   void wasm2c_guest_instantiate(w2c_guest*, struct w2c_a*, ...);
 *   typedef struct Z_guest_instance_t { ... wasm_rt_funcref_table_t w2c_T0; ... }
 *   typedef struct w2c_guest { ... wasm_rt_funcref_table_t w2c_T0; ... }
 */
int wbpf_w2c__read_header(const struct wbpf_w2c *w, const char *path, struct wbpf_w2c_header *h,
			  char *err, size_t errsz)
{
	static const char table_decl[] = "wasm_rt_funcref_table_t w2c_";
	const char *inst_fn = w->gen == WBPF_W2C_GEN_32 ? "void Z_" WBPF_W2C_MODULE "_instantiate("
							 : "void wasm2c_" WBPF_W2C_MODULE
							   "_instantiate(";
	const char *inst_struct = w->gen == WBPF_W2C_GEN_32
					  ? "typedef struct Z_" WBPF_W2C_MODULE "_instance_t {"
					  : "typedef struct w2c_" WBPF_W2C_MODULE " {";
	char line[4096];
	bool in_struct = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return fail(err, errsz, "cannot read wasm2c header %s: %s", path, strerror(errno));
	h->table_field[0] = '\0';
	h->instantiate_args = -1;
	while (fgets(line, sizeof(line), f)) {
		char *s = line;

		while (*s == ' ')
			s++;
		if (!strncmp(s, inst_fn, strlen(inst_fn))) {
			int n = 0;

			for (s += strlen(inst_fn); *s && *s != ')'; s++)
				n += *s == ',';
			if (*s != ')')
				break;
			h->instantiate_args = n; /* commas = arguments after the instance */
		} else if (!strncmp(s, inst_struct, strlen(inst_struct))) {
			in_struct = true;
		} else if (in_struct && s[0] == '}') {
			in_struct = false;
		} else if (in_struct && !h->table_field[0] &&
			   !strncmp(s, table_decl, sizeof(table_decl) - 1)) {
			size_t n = strcspn(s + sizeof("wasm_rt_funcref_table_t ") - 1, ";\n");

			if (n >= sizeof(h->table_field))
				n = sizeof(h->table_field) - 1;
			memcpy(h->table_field, s + sizeof("wasm_rt_funcref_table_t ") - 1, n);
			h->table_field[n] = '\0';
		}
	}
	fclose(f);

	if (h->instantiate_args < 0)
		return fail(err, errsz, "unexpected wasm2c %s output: no %.*s in %s", w->version,
			    (int)(strlen(inst_fn) - 6), inst_fn + 5, path);
	return 0;
}

/* ---------------------------------------------------------------- glue */

void wbpf_w2c__write_glue(const struct wbpf_w2c *w, const struct wbpf_w2c_header *h,
			  bool has_go_callback, FILE *f)
{
	bool g32 = w->gen == WBPF_W2C_GEN_32;
	const char *inst_t = g32 ? "Z_" WBPF_W2C_MODULE "_instance_t" : "w2c_" WBPF_W2C_MODULE;
	char *start = wbpf_w2c__export_fn(w, "_start");
	char *memory = wbpf_w2c__export_fn(w, "memory");
	char *go = wbpf_w2c__export_fn(w, "go-callback");
	int n;

	/*
	 * The instance is static, so the engine knows its memory before
	 * instantiate() runs the module's start function (which may call imports).
	 */
	fprintf(f, "static %s instance;\n\n", inst_t);
	fprintf(f, "static void instantiate(struct wbpf_guest *g)\n"
		   "{\n"
		   "\t/* every import module instance is the guest itself */\n"
		   "\t%s_instantiate(&instance",
		g32 ? "Z_" WBPF_W2C_MODULE : "wasm2c_" WBPF_W2C_MODULE);
	for (n = 0; n < h->instantiate_args; n++)
		fprintf(f, ", (void *)g");
	fprintf(f, ");\n}\n\n");
	fprintf(f, "static void start(void *inst)\n{\n\t%s(inst);\n}\n\n", start);
	fprintf(f, "static wasm_rt_memory_t *memory(void *inst)\n{\n\treturn %s(inst);\n}\n\n",
		memory);
	if (h->table_field[0])
		fprintf(f,
			"static wasm_rt_funcref_table_t *table(void *inst)\n"
			"{\n"
			"\treturn &((%s *)inst)->%s;\n"
			"}\n\n",
			inst_t, h->table_field);
	if (has_go_callback)
		fprintf(f,
			"static uint32_t go_callback(void *inst, uint32_t a, uint32_t b, "
			"uint32_t c)\n"
			"{\n"
			"\treturn %s(inst, a, b, c);\n"
			"}\n\n",
			go);
	/* the type sample callbacks must have: (i32, i32, i32) -> i32 */
	fprintf(f,
		"static wbpf_w2c_func_type func_type_iii_i(void)\n"
		"{\n"
		"\treturn %s(3, 1, WASM_RT_I32, WASM_RT_I32, WASM_RT_I32, WASM_RT_I32);\n"
		"}\n\n",
		g32 ? "wasm_rt_register_func_type" : "wasm2c_" WBPF_W2C_MODULE "_get_func_type");
	free(start);
	free(memory);
	free(go);
}

void wbpf_w2c__write_glue_members(const struct wbpf_w2c *w, const struct wbpf_w2c_header *h,
				  bool has_go_callback, FILE *f)
{
	fprintf(f,
		"\t.init_module = %s,\n"
		"\t.instance = &instance,\n"
		"\t.instantiate = instantiate,\n"
		"\t.start = start,\n"
		"\t.memory = memory,\n"
		"\t.table = %s,\n"
		"\t.go_callback = %s,\n"
		"\t.func_type_iii_i = func_type_iii_i,\n",
		w->gen == WBPF_W2C_GEN_32 ? "Z_" WBPF_W2C_MODULE "_init_module" : "NULL",
		h->table_field[0] ? "table" : "NULL", has_go_callback ? "go_callback" : "NULL");
}

void wbpf_w2c__write_config_h(const struct wbpf_w2c *w, FILE *f)
{
	fprintf(f,
		"/* Generated by gen-binding --config-h (w2c-driver/w2c.c); do not edit. */\n"
		"#ifndef WBPF_W2C_CONFIG_H\n"
		"#define WBPF_W2C_CONFIG_H\n"
		"/* the wasm2c this runtime was built for: 32 is wabt 1.0.32, 33 is 1.0.33 or later */\n"
		"#define WBPF_W2C_GEN %d\n"
		"#define WBPF_W2C_VERSION \"%s\"\n"
		"#endif\n",
		w->gen, w->version);
}
