// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Everything generated from imports.def, and the build's questions about the
 * installed wasm2c:
 *
 *   gen-binding --handlers-h              wbpf-handlers.h: the typed prototype of
 *                                         every handler
 *   gen-binding --table                   imports-table.c: wbpf_imports[], each
 *                                         row with its generic entry (args[] in)
 *   gen-binding --stubs                   a stub of every handler (unit tier)
 *   gen-binding --markdown                docs/imports.md
 *   gen-binding [--wasm2c W]              the AOT binding (C) on stdout: one
 *                                         function per row, with the exact name
 *                                         and C signature that the installed
 *                                         wasm2c expects of an import, calling
 *                                         the row's handler
 *   gen-binding [--wasm2c W] --binding-h  aot-binding.h: those functions' prototypes
 *   gen-binding [--wasm2c W] --config-h   wbpf/w2c-config.h
 *   gen-binding [--wasm2c W] --make       make variables: W2C_VERSION, W2C_RT_DIR,
 *                                         W2C_RT_SRCS, W2C_RT_CFLAGS
 *
 * --wasm2c (else $WASM2C, else wasm2c on PATH) names the wasm2c to ask; the
 * modes that do not depend on it ignore it.
 *
 * The wasm2c names come from the wasm2c version layer (w2c-driver/w2c.c). The
 * table is checked first, whatever is asked: a row whose names do not match
 * its parameters stops the build with one line naming it.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w2c.h"

#define MAX_PARAMS 16
#define NAME_MAX_LEN 64

struct row {
	const char *module, *name, *params, *results, *handler, *names;
	/* names split: argv[i] is the name of parameter i */
	char argv[MAX_PARAMS][NAME_MAX_LEN];
	bool first; /* the first row of its handler (handlers serve several rows) */
};

static struct row rows[] = {
#define WBPF_IMPORT(mod_, name_, params_, results_, handler_, names_)                              \
	{.module = mod_,                                                                           \
	 .name = name_,                                                                            \
	 .params = params_,                                                                        \
	 .results = results_,                                                                      \
	 .handler = #handler_,                                                                     \
	 .names = names_},
#include "wbpf/imports.def"
};

#define ROWS_CNT (sizeof(rows) / sizeof(rows[0]))

static const char *ctype(char t)
{
	return t == 'I' ? "uint64_t" : "uint32_t";
}

static const char *result_ctype(const struct row *r)
{
	return r->results[0] ? ctype(r->results[0]) : "void";
}

static const char *wtype(char t)
{
	return t == 'I' ? "i64" : "i32";
}

__attribute__((format(printf, 2, 3))) static int bad_row(const struct row *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gen-binding: imports.def: '%s' '%s': ", r->module, r->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Split r->names into r->argv and check it against the signature. */
static int split_names(struct row *r)
{
	size_t n = strlen(r->params), i = 0, j;
	const char *p = r->names;

	if (strspn(r->params, "iI") != n || n > MAX_PARAMS)
		return bad_row(r, "params \"%s\" is not at most %d letters i and I", r->params,
			       MAX_PARAMS);
	if (strlen(r->results) > 1 || strspn(r->results, "iI") != strlen(r->results))
		return bad_row(r, "results \"%s\" is not \"\", \"i\" or \"I\"", r->results);
	while (*p) {
		size_t len = strcspn(p, " ");

		if (i == n)
			return bad_row(r, "more names (\"%s\") than params (\"%s\")", r->names,
				       r->params);
		if (!len || len >= NAME_MAX_LEN || !(isalpha((unsigned char)p[0]) || p[0] == '_'))
			return bad_row(r, "names \"%s\": not a C identifier at \"%s\"", r->names,
				       p);
		for (j = 0; j < len; j++)
			if (!isalnum((unsigned char)p[j]) && p[j] != '_')
				return bad_row(r, "names \"%s\": not a C identifier at \"%s\"",
					       r->names, p);
		memcpy(r->argv[i], p, len);
		r->argv[i][len] = '\0';
		if (!strcmp(r->argv[i], "g"))
			return bad_row(r, "a parameter may not be called 'g' (the guest)");
		for (j = 0; j < i; j++)
			if (!strcmp(r->argv[j], r->argv[i]))
				return bad_row(r, "parameter name '%s' twice", r->argv[i]);
		i++;
		p += len;
		if (*p == ' ')
			p++;
	}
	if (i != n)
		return bad_row(r, "%zu names (\"%s\") for %zu params (\"%s\")", i, r->names, n,
			       r->params);
	return 0;
}

/* Every row well formed; rows sharing a handler agree on its prototype. */
static int check_rows(void)
{
	size_t i, j;

	for (i = 0; i < ROWS_CNT; i++) {
		struct row *r = &rows[i];

		if (split_names(r))
			return -1;
		r->first = true;
		for (j = 0; j < i; j++) {
			if (strcmp(rows[j].handler, r->handler))
				continue;
			r->first = false;
			if (strcmp(rows[j].params, r->params) ||
			    strcmp(rows[j].results, r->results) || strcmp(rows[j].names, r->names))
				return bad_row(r,
					       "handler %s also serves '%s' '%s' with another "
					       "signature",
					       r->handler, rows[j].module, rows[j].name);
		}
	}
	return 0;
}

/* "RESULT FN(struct wbpf_guest *g, TYPE name, ...)" */
static void print_prototype(const struct row *r, const char *fn)
{
	size_t j;

	printf("%s %s(struct wbpf_guest *g", result_ctype(r), fn);
	for (j = 0; r->params[j]; j++)
		printf(", %s %s", ctype(r->params[j]), r->argv[j]);
	printf(")");
}

/* "(i32 fd, i64 offset) -> i32" */
static void print_type(const struct row *r)
{
	size_t j;

	printf("(");
	for (j = 0; r->params[j]; j++)
		printf("%s%s %s", j ? ", " : "", wtype(r->params[j]), r->argv[j]);
	printf(") -> %s", r->results[0] ? wtype(r->results[0]) : "nil");
}

static void print_banner(const char *what)
{
	printf("/* Generated by runtime/tools/gen-binding.c from imports.def: %s; do not edit. "
	       "*/\n",
	       what);
}

/* wbpf-handlers.h: the prototypes each handler's definition must match. */
static int print_handlers_h(const struct wbpf_w2c *w)
{
	(void)w;
	size_t i;

	print_banner("the prototype of every import handler");
	printf("#ifndef WBPF_HANDLERS_H\n#define WBPF_HANDLERS_H\n\n");
	printf("#include <stdint.h>\n\n#include \"wbpf/guest.h\"\n\n");
	for (i = 0; i < ROWS_CNT; i++) {
		const struct row *r = &rows[i];

		if (!r->first)
			continue;
		printf("/* '%s' '%s' ", r->module, r->name);
		print_type(r);
		printf(" */\n");
		print_prototype(r, r->handler);
		printf(";\n");
	}
	printf("\n#endif /* WBPF_HANDLERS_H */\n");
	return 0;
}

/* "handler(g, a, b)", each argument as cast(args[i]) when from_array */
static void print_call(const struct row *r, bool from_array)
{
	size_t j;

	printf("%s(g", r->handler);
	for (j = 0; r->params[j]; j++) {
		if (from_array)
			printf(", (%s)args[%zu]", ctype(r->params[j]), j);
		else
			printf(", %s", r->argv[j]);
	}
	printf(")");
}

/* imports-table.c: the table as data, with a generic entry per handler. */
static int print_table(const struct wbpf_w2c *w)
{
	(void)w;
	size_t i;

	print_banner("the import table");
	printf("#include <stdint.h>\n\n#include \"wbpf/guest.h\"\n#include "
	       "\"wbpf-handlers.h\"\n\n");
	for (i = 0; i < ROWS_CNT; i++) {
		const struct row *r = &rows[i];

		if (!r->first)
			continue;
		printf("static uint64_t call_%s(struct wbpf_guest *g, const uint64_t *args)\n{\n",
		       r->handler);
		if (!r->params[0])
			printf("\t(void)args;\n");
		printf("\twbpf_guest_refresh(g);\n\t%s", r->results[0] ? "return " : "");
		print_call(r, true);
		printf(";%s\n}\n\n", r->results[0] ? "" : "\n\treturn 0;");
	}
	printf("const struct wbpf_import wbpf_imports[] = {\n");
	for (i = 0; i < ROWS_CNT; i++) {
		const struct row *r = &rows[i];

		printf("\t{\"%s\", \"%s\", \"%s\", \"%s\", \"%s\", \"%s\", call_%s},\n", r->module,
		       r->name, r->params, r->results, r->names, r->handler, r->handler);
	}
	printf("};\n\nconst size_t wbpf_imports_cnt = %zu;\n", ROWS_CNT);
	return 0;
}

/* Every handler, reporting ENOSYS, for unit tests that link the table alone. */
static int print_stubs(const struct wbpf_w2c *w)
{
	(void)w;
	size_t i;

	print_banner("a stub of every handler, for the unit tier");
	printf("#include <stdint.h>\n\n#include \"wbpf/guest.h\"\n#include "
	       "\"wbpf-handlers.h\"\n\n");
	for (i = 0; i < ROWS_CNT; i++) {
		const struct row *r = &rows[i];

		if (!r->first)
			continue;
		print_prototype(r, r->handler);
		printf("\n{\n%s}\n\n", r->results[0] ? "\treturn 52; /* ENOSYS */\n" : "");
	}
	return 0;
}

/* docs/imports.md: the support table, one row an import. */
static int print_markdown(const struct wbpf_w2c *w)
{
	(void)w;
	size_t i;

	printf("<!-- Generated by `make docs` from runtime/include/wbpf/imports.def; do not edit. "
	       "-->\n");
	printf("# Host imports\n\n");
	printf("Every import a module may use; `wasmbpf-aot` refuses any other, and any of "
	       "these\n");
	printf("with another type. Functions that cannot work here return an error code\n");
	printf("(see README.md, \"WASI support\").\n\n");
	printf("| module | name | wasm type | handler |\n| --- | --- | --- | --- |\n");
	for (i = 0; i < ROWS_CNT; i++) {
		printf("| `%s` | `%s` | `", rows[i].module, rows[i].name);
		print_type(&rows[i]);
		printf("` | `%s` |\n", rows[i].handler);
	}
	return 0;
}

/* The build's view of the installed wasm2c, as make variables. */
static void print_make(const struct wbpf_w2c *w)
{
	const char *const *p;

	printf("# Generated by gen-binding --make; do not edit.\n");
	printf("W2C_VERSION := %s\n", w->version);
	printf("W2C_RT_DIR := %s\n", w->rt_dir);
	printf("W2C_RT_SRCS :=");
	for (p = w->rt_srcs; *p; p++)
		printf(" %s", *p);
	printf("\nW2C_RT_CFLAGS :=");
	for (p = wbpf_w2c__defines(w); *p; p++)
		printf(" %s", *p);
	printf("\n");
}

/*
 * The AOT binding (header: the prototypes only). wasm2c passes the import
 * module's instance pointer first, which is the guest (see wbpf/aot.h); the
 * rest are the wasm arguments, passed on to the typed handler unchanged
 * once the memory view is taken.
 */
static int print_binding(const struct wbpf_w2c *w, bool header)
{
	size_t i;

	print_banner(header ? "the prototypes of the AOT binding" : "the AOT binding");
	printf("/* for wasm2c %s */\n", w->version);
	if (header)
		printf("#ifndef WBPF_AOT_BINDING_H\n#define WBPF_AOT_BINDING_H\n\n");
	printf("#include <stdint.h>\n\n#include \"wbpf/guest.h\"\n");
	if (!header)
		printf("#include \"wbpf/aot.h\"\n#include \"wbpf-handlers.h\"\n"
		       "#include \"aot-binding.h\"\n");
	printf("\n");
	for (i = 0; i < ROWS_CNT; i++) {
		const struct row *r = &rows[i];
		char *fn = wbpf_w2c__import_fn(w, r->module, strlen(r->module), r->name,
					       strlen(r->name));

		if (!fn) {
			fprintf(stderr, "gen-binding: out of memory\n");
			return 1;
		}
		printf("/* import: '%s' '%s' */\n", r->module, r->name);
		print_prototype(r, fn);
		free(fn);
		if (header) {
			printf(";\n");
			continue;
		}
		printf("\n{\n\twbpf_aot_enter(g);\n\t%s", r->results[0] ? "return " : "");
		print_call(r, false);
		printf(";\n}\n\n");
	}
	if (header)
		printf("\n#endif /* WBPF_AOT_BINDING_H */\n");
	return 0;
}

static int run_config_h(const struct wbpf_w2c *w)
{
	wbpf_w2c__write_config_h(w, stdout);
	return 0;
}

static int run_make(const struct wbpf_w2c *w)
{
	if (!w->rt_dir[0]) {
		fprintf(stderr,
			"gen-binding: no wasm2c %s runtime sources found (wasm-rt-impl.c and what "
			"it includes; set WASM2C_RUNTIME to their directory)\n",
			w->version);
		return 1;
	}
	print_make(w);
	return 0;
}

static int run_binding_h(const struct wbpf_w2c *w)
{
	return print_binding(w, true);
}

static int run_binding(const struct wbpf_w2c *w)
{
	return print_binding(w, false);
}

/* What gen-binding can write; the ones that ask the installed wasm2c set needs_w2c. */
static const struct mode {
	const char *flag; /* NULL: the default */
	bool needs_w2c;
	int (*run)(const struct wbpf_w2c *w);
} modes[] = {
	{"--handlers-h", false, print_handlers_h},
	{"--table", false, print_table},
	{"--stubs", false, print_stubs},
	{"--markdown", false, print_markdown},
	{"--binding-h", true, run_binding_h},
	{"--config-h", true, run_config_h},
	{"--make", true, run_make},
	{NULL, true, run_binding},
};

/* gen-binding [--wasm2c W] [MODE] */
int main(int argc, char **argv)
{
	const char *wasm2c = getenv("WASM2C"), *flag = NULL;
	const struct mode *m;
	struct wbpf_w2c w = {};
	char err[512];
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--wasm2c") && a + 1 < argc) {
			wasm2c = argv[++a];
		} else if (!flag && argv[a][0] == '-' && strcmp(argv[a], "--wasm2c")) {
			flag = argv[a];
		} else {
			fprintf(stderr, "gen-binding: unknown argument '%s'\n", argv[a]);
			return 2;
		}
	}
	for (m = modes; m->flag; m++)
		if (flag && !strcmp(flag, m->flag))
			break;
	if (flag && !m->flag) {
		fprintf(stderr, "gen-binding: unknown argument '%s'\n", flag);
		return 2;
	}
	if (check_rows())
		return 1;
	if (m->needs_w2c) {
		if (!wasm2c || !wasm2c[0])
			wasm2c = "wasm2c";
		if (wbpf_w2c__detect(&w, wasm2c, err, sizeof(err))) {
			fprintf(stderr, "gen-binding: %s\n", err);
			return 1;
		}
	}
	return m->run(&w);
}
