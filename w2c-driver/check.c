// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The module checks: every import against the runtime's import table, by
 * name and exact type, and the exports the engines need. Shared by
 * wasmbpf-aot and wasmbpf-run, so both refuse a module with the same words.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* The runtime's import table: only the strings (the handlers live in the
 * runtime archive, which defines the Z_* import functions). */
struct known_import {
	const char *module;
	const char *name;
	const char *params;
	const char *results;
};

static const struct known_import known_imports[] = {
#define WBPF_IMPORT(mod, name, params, results, handler, names) {mod, name, params, results},
#include "wbpf/imports.def"
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool name_is(const struct wbpf_wasm_name *n, const char *s)
{
	size_t len = strlen(s);

	return n->len == len && !memcmp(n->str, s, len);
}

static bool names_equal(const struct wbpf_wasm_name *a, const struct wbpf_wasm_name *b)
{
	return a->len == b->len && !memcmp(a->str, b->str, a->len);
}

/* Does a wasm type list match an imports.def signature string? */
static bool sig_matches(const uint8_t *types, uint32_t n, const char *sig)
{
	uint32_t i;

	if (strlen(sig) != n)
		return false;
	for (i = 0; i < n; i++) {
		uint8_t want = sig[i] == 'I' ? WBPF_WASM_I64 : WBPF_WASM_I32;

		if (types[i] != want)
			return false;
	}
	return true;
}

static void sig_type_str(const struct known_import *k, char *buf, size_t bufsz)
{
	uint8_t params[16], results[4];
	struct wbpf_wasm_type t = {0};
	size_t i;

	t.params = params;
	t.results = results;
	for (i = 0; k->params[i] && i < ARRAY_SIZE(params); i++)
		params[t.nparams++] = k->params[i] == 'I' ? WBPF_WASM_I64 : WBPF_WASM_I32;
	for (i = 0; k->results[i] && i < ARRAY_SIZE(results); i++)
		results[t.nresults++] = k->results[i] == 'I' ? WBPF_WASM_I64 : WBPF_WASM_I32;
	wbpf_wasm_type_str(&t, buf, bufsz);
}

static bool type_equal(const struct wbpf_wasm_type *a, const struct wbpf_wasm_type *b)
{
	return a->nparams == b->nparams && a->nresults == b->nresults &&
	       !memcmp(a->params, b->params, a->nparams) &&
	       !memcmp(a->results, b->results, a->nresults);
}

/* A stub can be written for plain number types and at most one result. */
static bool stub_possible(const struct wbpf_wasm_type *t)
{
	uint32_t i;

	if (t->nresults > 1)
		return false;
	for (i = 0; i < t->nparams + t->nresults; i++) {
		uint8_t v = i < t->nparams ? t->params[i] : t->results[i - t->nparams];

		if (v != WBPF_WASM_I32 && v != WBPF_WASM_I64 && v != WBPF_WASM_F32 &&
		    v != WBPF_WASM_F64)
			return false;
	}
	return true;
}

static int check_import(struct wbpf_check *g, const struct wbpf_wasm *m, uint32_t idx,
			bool allow_unknown, char *err, size_t errsz)
{
	const struct wbpf_wasm_import *im = &m->imports[idx];
	const struct wbpf_wasm_type *t;
	char mod[256], name[256], have[256], want[256];
	uint32_t i;

	wbpf_wasm_name_str(&im->module, mod, sizeof(mod));
	wbpf_wasm_name_str(&im->name, name, sizeof(name));

	if (im->kind == WBPF_WASM_KIND_MEMORY)
		return fail(
			err, errsz,
			"unsupported import '%s.%s' (a memory: the module must define and export "
			"its own memory)",
			mod, name);
	if (im->kind != WBPF_WASM_KIND_FUNC)
		return fail(
			err, errsz,
			"unsupported import '%s.%s' (a %s: only function imports are supported)",
			mod, name, wbpf_wasm_kind_str(im->kind));

	t = &m->types[im->type_idx];
	for (i = 0; i < ARRAY_SIZE(known_imports); i++) {
		const struct known_import *k = &known_imports[i];

		if (!name_is(&im->module, k->module) || !name_is(&im->name, k->name))
			continue;
		if (sig_matches(t->params, t->nparams, k->params) &&
		    sig_matches(t->results, t->nresults, k->results)) {
			if (!strcmp(k->name, "wasm_load_bpf_object"))
				g->loads_bpf_object = true;
			return 0;
		}
		sig_type_str(k, want, sizeof(want));
		return fail(err, errsz, "import '%s.%s' has type %s, expected %s", mod, name,
			    wbpf_wasm_type_str(t, have, sizeof(have)), want);
	}

	if (!allow_unknown)
		return fail(err, errsz, "unsupported import '%s.%s'", mod, name);
	if (!stub_possible(t))
		return fail(
			err, errsz,
			"unsupported import '%s.%s' of type %s cannot be replaced by a trapping "
			"stub",
			mod, name, wbpf_wasm_type_str(t, have, sizeof(have)));

	/* the same import twice: one stub, and wasm2c needs one prototype */
	for (i = 0; i < g->nstubs; i++) {
		const struct wbpf_wasm_import *o = &m->imports[g->stubs[i]];

		if (!names_equal(&o->module, &im->module) || !names_equal(&o->name, &im->name))
			continue;
		if (!type_equal(&m->types[o->type_idx], t))
			return fail(err, errsz,
				    "import '%s.%s' is declared with two different types", mod,
				    name);
		return 0;
	}
	g->stubs[g->nstubs++] = idx;
	return 0;
}

static int check_export(const struct wbpf_wasm *m, const char *name, enum wbpf_wasm_kind kind,
			const char *want_type, bool required, bool *found, char *err, size_t errsz)
{
	const struct wbpf_wasm_export *ex = wbpf_wasm__find_export(m, name);
	const struct wbpf_wasm_type *t;
	char have[256];

	*found = ex != NULL;
	if (!ex) {
		if (!required)
			return 0;
		if (kind == WBPF_WASM_KIND_MEMORY)
			return fail(err, errsz,
				    "missing export '%s' (the module must export its memory)",
				    name);
		return fail(err, errsz, "missing export '%s' (not a WASI command module?)", name);
	}
	if (ex->kind != kind)
		return fail(err, errsz, "export '%s' is a %s, expected a %s", name,
			    wbpf_wasm_kind_str(ex->kind), wbpf_wasm_kind_str(kind));
	if (kind != WBPF_WASM_KIND_FUNC)
		return 0;
	t = wbpf_wasm__func_type(m, ex->index);
	if (!t)
		return fail(err, errsz, "export '%s' refers to a missing function", name);
	wbpf_wasm_type_str(t, have, sizeof(have));
	if (strcmp(have, want_type))
		return fail(err, errsz, "export '%s' has type %s, expected %s", name, have,
			    want_type);
	return 0;
}

int wbpf_check_module(struct wbpf_check *g, const struct wbpf_wasm *m, bool allow_unknown, char *err,
		     size_t errsz)
{
	bool found;
	uint32_t i, j;
	int ret;

	g->stubs = calloc((size_t)m->nimports + 1, sizeof(*g->stubs));
	if (!g->stubs)
		return fail(err, errsz, "out of memory");

	for (i = 0; i < m->nimports; i++) {
		ret = check_import(g, m, i, allow_unknown, err, errsz);
		if (ret)
			return ret;
		for (j = 0; j < i; j++)
			if (names_equal(&m->imports[j].module, &m->imports[i].module))
				break;
		if (j == i)
			g->nimport_modules++;
	}

	ret = check_export(m, "_start", WBPF_WASM_KIND_FUNC, "() -> ()", true, &found, err, errsz);
	if (!ret)
		ret = check_export(m, "memory", WBPF_WASM_KIND_MEMORY, NULL, true, &found, err,
				   errsz);
	if (!ret)
		ret = check_export(m, "go-callback", WBPF_WASM_KIND_FUNC, "(i32, i32, i32) -> i32",
				   false, &g->has_go_callback, err, errsz);
	return ret;
}

void wbpf_check__free(struct wbpf_check *g)
{
	if (!g)
		return;
	free(g->stubs);
	g->stubs = NULL;
	g->nstubs = 0;
}
