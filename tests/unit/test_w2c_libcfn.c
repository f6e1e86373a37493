/* UNIT-LINK: w2c-driver/libcfn.c w2c-driver/sha256.c w2c-driver/text.c w2c-driver/wasm-reader.c */
// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The guest libc routines' passes (w2c-driver/libcfn.c) on hand-built input:
 * the name section gets the routines' names (added when missing, merged into
 * an existing one with its other subsections kept byte for byte); a name an
 * export or another function has drops the routine; a name section that does
 * not read as one leaves the module alone. The C pass renames a definition of
 * the shapes wabt 1.0.32 and 1.0.36 write and puts the wrapper after it, and
 * leaves every other shape as it is. (That real wasi-libc bodies are found is
 * the driver tier's: tests/driver/libcfn.sh.)
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "libcfn.h"
#include "w2c.h"
#include "wasm-build.h"
#include "wasm-reader.h"

/*
 * A module of four functions of type (i32, i32, i32) -> i32, each returning
 * its first parameter; export names the export of function 0 ("main" if
 * NULL); names, if not NULL, is the content of a name section after the
 * "name" (its subsections).
 */
static struct bytes module(const char *export, const struct bytes *names)
{
	struct bytes m = {0}, sec;
	int i;

	put_header(&m);
	sec.n = 0;
	put(&sec, "\x01\x60\x03\x7f\x7f\x7f\x01\x7f", 8);
	put_section(&m, 1, &sec);
	sec.n = 0;
	put(&sec, "\x04\x00\x00\x00\x00", 5);
	put_section(&m, 3, &sec);
	sec.n = 0;
	put_leb(&sec, 1);
	put_name(&sec, export ? export : "main");
	put(&sec, "\x00\x00", 2);
	put_section(&m, 7, &sec);
	sec.n = 0;
	put_leb(&sec, 4);
	for (i = 0; i < 4; i++)
		put(&sec, "\x04\x00\x20\x00\x0b", 5); /* no locals; local.get 0; end */
	put_section(&m, 10, &sec);
	if (names) {
		sec.n = 0;
		put_name(&sec, "name");
		put(&sec, names->b, names->n);
		put_section(&m, 0, &sec);
	}
	return m;
}

/* a name map subsection (id 1 or 2's inner shape): count, then index and name */
static void put_name_map(struct bytes *s, int count, const uint32_t *idx, const char *const *name)
{
	int i;

	put_leb(s, count);
	for (i = 0; i < count; i++) {
		put_leb(s, idx[i]);
		put_name(s, name[i]);
	}
}

static struct wbpf_libcfns two_routines(void)
{
	struct wbpf_libcfns fns = {0};

	fns.fn[0].func = 1;
	fns.fn[0].kind = WBPF_LIBC_MEMCPY;
	fns.fn[1].func = 3;
	fns.fn[1].kind = WBPF_LIBC_MEMCHR;
	fns.n = 2;
	return fns;
}

/* Rename in m; NULL when the pass left it alone. Checks the result parses. */
static uint8_t *rename_in(const struct bytes *m, struct wbpf_libcfns *fns, size_t *outlen)
{
	struct wbpf_wasm w, w2;
	char err[256];
	uint8_t *out;

	if (wbpf_wasm__parse(m->b, m->n, &w, err, sizeof(err))) {
		fprintf(stderr, "test module does not parse: %s\n", err);
		CHECK(0);
		return NULL;
	}
	out = wbpf_libcfn__rename(m->b, m->n, &w, fns, outlen);
	if (out) {
		CHECK_EQ(wbpf_wasm__parse(out, *outlen, &w2, err, sizeof(err)), 0);
		wbpf_wasm__free(&w2);
	}
	wbpf_wasm__free(&w);
	return out;
}

/* The name section the pass writes for names (a whole section, from its id). */
static struct bytes name_section(const struct bytes *subsections)
{
	struct bytes s = {0}, body = {0};

	put_name(&body, "name");
	put(&body, subsections->b, subsections->n);
	put_section(&s, 0, &body);
	return s;
}

static void test_rename_adds_name_section(void)
{
	static const uint32_t idx[] = {1, 3};
	static const char *const name[] = {"wbpfrtmemcpy1", "wbpfrtmemchr3"};
	struct bytes m = module(NULL, NULL), fn = {0}, sub = {0}, want;
	struct wbpf_libcfns fns = two_routines();
	size_t len = 0;
	uint8_t *out = rename_in(&m, &fns, &len);

	put_name_map(&fn, 2, idx, name);
	put_section(&sub, 1, &fn);
	want = name_section(&sub);
	CHECK(out != NULL);
	CHECK_EQ(fns.n, 2);
	CHECK_EQ(len, m.n + want.n);
	if (out && len == m.n + want.n) {
		CHECK(!memcmp(out, m.b, m.n));
		CHECK(!memcmp(out + m.n, want.b, want.n));
	}
	free(out);
}

static void test_rename_merges_names(void)
{
	static const uint32_t old_idx[] = {0, 1, 2};
	static const char *const old_name[] = {"main", "memcpy", "helper"};
	static const uint32_t new_idx[] = {0, 1, 2, 3};
	static const char *const new_name[] = {"main", "wbpfrtmemcpy1", "helper", "wbpfrtmemchr3"};
	struct bytes mod = {0}, fn = {0}, locals = {0}, old = {0}, sub = {0}, m, want, ws;
	struct wbpf_libcfns fns = two_routines();
	size_t len = 0;
	uint8_t *out;

	/* a module name, function names, and local names (kept as they are) */
	put_name(&mod, "guest");
	put_name_map(&fn, 3, old_idx, old_name);
	put(&locals, "\x01\x01\x01\x00\x01p", 6);
	put_section(&old, 0, &mod);
	put_section(&old, 1, &fn);
	put_section(&old, 2, &locals);
	m = module(NULL, &old);

	fn.n = 0;
	put_name_map(&fn, 4, new_idx, new_name);
	put_section(&sub, 0, &mod);
	put_section(&sub, 1, &fn);
	put_section(&sub, 2, &locals);
	want = name_section(&sub);
	ws = module(NULL, NULL);

	out = rename_in(&m, &fns, &len);
	CHECK(out != NULL);
	CHECK_EQ(len, ws.n + want.n);
	if (out && len == ws.n + want.n) {
		CHECK(!memcmp(out, ws.b, ws.n));
		CHECK(!memcmp(out + ws.n, want.b, want.n));
	}
	free(out);
}

/* A name section with local names only: the function names go before them. */
static void test_rename_inserts_before_later_subsections(void)
{
	static const uint32_t idx[] = {1, 3};
	static const char *const name[] = {"wbpfrtmemcpy1", "wbpfrtmemchr3"};
	struct bytes locals = {0}, old = {0}, fn = {0}, sub = {0}, m, want, ws;
	struct wbpf_libcfns fns = two_routines();
	size_t len = 0;
	uint8_t *out;

	put(&locals, "\x01\x01\x01\x00\x01p", 6);
	put_section(&old, 2, &locals);
	m = module(NULL, &old);
	put_name_map(&fn, 2, idx, name);
	put_section(&sub, 1, &fn);
	put_section(&sub, 2, &locals);
	want = name_section(&sub);
	ws = module(NULL, NULL);
	out = rename_in(&m, &fns, &len);
	CHECK(out != NULL);
	CHECK_EQ(len, ws.n + want.n);
	if (out && len == ws.n + want.n)
		CHECK(!memcmp(out + ws.n, want.b, want.n));
	free(out);
}

static void test_rename_drops_taken_names(void)
{
	static const uint32_t idx[] = {2};
	static const char *const name[] = {"wbpfrtmemchr3"};
	struct bytes fn = {0}, old = {0}, m;
	struct wbpf_libcfns fns = two_routines();
	size_t len = 0;
	uint8_t *out;

	/* an export with memcpy's new name: memcpy dropped, memchr kept */
	m = module("wbpfrtmemcpy1", NULL);
	out = rename_in(&m, &fns, &len);
	CHECK(out != NULL);
	CHECK_EQ(fns.n, 1);
	CHECK_EQ(fns.fn[0].func, 3);
	free(out);

	/* an export with memchr's new name and "_wasm" (the C pass's name): dropped */
	m = module("wbpfrtmemchr3_wasm", NULL);
	fns = two_routines();
	out = rename_in(&m, &fns, &len);
	CHECK(out != NULL);
	CHECK_EQ(fns.n, 1);
	CHECK_EQ(fns.fn[0].func, 1);
	free(out);
	/* a longer name is no clash */
	m = module("wbpfrtmemchr3_wasm2", NULL);
	fns = two_routines();
	out = rename_in(&m, &fns, &len);
	CHECK_EQ(fns.n, 2);
	free(out);

	/* and another function with memchr's: nothing left, the module as it is */
	put_name_map(&fn, 1, idx, name);
	put_section(&old, 1, &fn);
	m = module("wbpfrtmemcpy1", &old);
	fns = two_routines();
	out = rename_in(&m, &fns, &len);
	CHECK(out == NULL);
	CHECK_EQ(fns.n, 0);
	free(out);
}

static void test_rename_leaves_bad_name_sections(void)
{
	static const uint32_t idx[] = {2, 1};
	static const char *const name[] = {"b", "a"};
	struct bytes fn = {0}, old = {0}, m, twice;
	struct wbpf_libcfns fns = two_routines();
	size_t len = 0;
	uint8_t *out;

	/* function names out of order */
	put_name_map(&fn, 2, idx, name);
	put_section(&old, 1, &fn);
	m = module(NULL, &old);
	out = rename_in(&m, &fns, &len);
	CHECK(out == NULL);
	CHECK_EQ(fns.n, 0);

	/* a subsection longer than the section */
	old.n = 0;
	put(&old, "\x01\x40\x00", 3);
	m = module(NULL, &old);
	fns = two_routines();
	out = rename_in(&m, &fns, &len);
	CHECK(out == NULL);
	CHECK_EQ(fns.n, 0);

	/* two name sections */
	old.n = 0;
	m = module(NULL, &old);
	twice = name_section(&old);
	put(&m, twice.b, twice.n);
	fns = two_routines();
	out = rename_in(&m, &fns, &len);
	CHECK(out == NULL);
	CHECK_EQ(fns.n, 0);

	/* nothing to rename */
	m = module(NULL, NULL);
	fns.n = 0;
	CHECK(rename_in(&m, &fns, &len) == NULL);
}

/* A module of functions whose bodies are nothing known: none found. */
static void test_find_nothing_unknown(void)
{
	struct bytes m = module(NULL, NULL);
	struct wbpf_libcfns fns = two_routines();
	struct wbpf_wasm w;
	char err[256];

	CHECK_EQ(wbpf_wasm__parse(m.b, m.n, &w, err, sizeof(err)), 0);
	wbpf_libcfn__find(m.b, m.n, &w, &fns);
	CHECK_EQ(fns.n, 0);
	/* truncated input: still nothing, and no read past it (ASan) */
	wbpf_libcfn__find(m.b, m.n - 3, &w, &fns);
	CHECK_EQ(fns.n, 0);
	wbpf_wasm__free(&w);
}

/* ---------------------------------------------------------------- the C pass */

static struct wbpf_w2c gen(int g)
{
	struct wbpf_w2c w;

	memset(&w, 0, sizeof(w));
	w.gen = g;
	return w;
}

static char *wrap(int g, const char *src, const struct wbpf_libcfns *fns, unsigned int *n)
{
	struct wbpf_w2c w = gen(g);
	size_t outlen = 0;
	char *out = wbpf_libcfn__wrap(&w, src, strlen(src), fns, &outlen, n);

	CHECK(out != NULL);
	if (out)
		CHECK_EQ(outlen, strlen(out));
	return out;
}

static struct wbpf_libcfns routines(uint32_t f0, enum wbpf_libcfn_kind k0, uint32_t f1,
				    enum wbpf_libcfn_kind k1)
{
	struct wbpf_libcfns fns = {0};

	fns.fn[0].func = f0;
	fns.fn[0].kind = k0;
	fns.fn[1].func = f1;
	fns.fn[1].kind = k1;
	fns.n = 2;
	return fns;
}

/* 1.0.32: static definitions, Z_ instance type, w2c_ names */
static const char gen32_src[] =
	"static u32 w2c_wbpfrtmemcpy5(Z_guest_instance_t*, u32, u32, u32);\n"
	"static u32 w2c_wbpfrtstrlen9(Z_guest_instance_t*, u32);\n"
	"\n"
	"static u32 w2c_wbpfrtmemcpy5(Z_guest_instance_t* instance, u32 w2c_p0, u32 w2c_p1, "
	"u32 w2c_p2) {\n"
	"  u8* wbpf_mb = instance->w2c_memory.data;\n"
	"  u32 w2c_i0;\n"
	"  w2c_i0 = wbpf_mb_i32_load(wbpf_mb, &instance->w2c_memory, (u64)(w2c_p1));\n"
	"  return w2c_p0;\n"
	"}\n"
	"\n"
	"static u32 w2c_wbpfrtstrlen9(Z_guest_instance_t* instance, u32 w2c_p0) {\n"
	"  u32 w2c_i0;\n"
	"  w2c_i0 = i32_load8_u(&instance->w2c_memory, (u64)(w2c_p0));\n"
	"  return w2c_i0;\n"
	"}\n";

static void test_wrap_gen32(void)
{
	struct wbpf_libcfns fns = routines(5, WBPF_LIBC_MEMCPY, 9, WBPF_LIBC_STRLEN);
	unsigned int n = 0;
	char *out = wrap(WBPF_W2C_GEN_32, gen32_src, &fns, &n);

	CHECK_EQ(n, 2);
	if (!out)
		return;
	/* the declarations as they were */
	CHECK(!strncmp(out, gen32_src, strchr(gen32_src, '\n') - gen32_src + 1));
	CHECK(strstr(out, "static u32 w2c_wbpfrtstrlen9(Z_guest_instance_t*, u32);\n"));
	/* the definitions renamed, out of line, their bodies kept */
	CHECK(strstr(out, "\nstatic u32 w2c_wbpfrtmemcpy5_wasm(Z_guest_instance_t*, u32, u32, u32) "
			  "__attribute__((noinline));\n"));
	CHECK(strstr(out, "\nstatic u32 w2c_wbpfrtstrlen9_wasm(Z_guest_instance_t*, u32) "
			  "__attribute__((noinline));\n"));
	CHECK(strstr(out, "\nstatic u32 w2c_wbpfrtmemcpy5_wasm(Z_guest_instance_t* instance, "
			  "u32 w2c_p0, u32 w2c_p1, u32 w2c_p2) {\n"
			  "  u8* wbpf_mb = instance->w2c_memory.data;\n"));
	CHECK(strstr(out, "\nstatic u32 w2c_wbpfrtstrlen9_wasm(Z_guest_instance_t* instance, "
			  "u32 w2c_p0) {\n"));
	/* the wrappers, on the memory the body uses, falling back on the original */
	CHECK(strstr(out, "\nstatic inline u32 w2c_wbpfrtmemcpy5(Z_guest_instance_t* instance, "
			  "u32 a, u32 b, u32 n) {\n"));
	CHECK(strstr(out, "\nstatic inline u32 w2c_wbpfrtstrlen9(Z_guest_instance_t* instance, "
			  "u32 a) {\n"));
	CHECK(strstr(out, "  wasm_rt_memory_t* m = &instance->w2c_memory;\n"));
	CHECK(strstr(out, "      memcpy(d, s, n);\n"));
	/* the 16-byte search, once, before the strlen wrapper, after the memcpy one */
	CHECK_EQ(check_count(out, "static inline u32 wbpf_lc_find16("), 1);
	CHECK(strstr(out, "static inline u32 wbpf_lc_find16(") >
	      strstr(out, "u32 w2c_wbpfrtmemcpy5(Z_guest_instance_t* instance, u32 a,"));
	CHECK(strstr(out, "static inline u32 wbpf_lc_find16(") <
	      strstr(out, "u32 w2c_wbpfrtstrlen9(Z_guest_instance_t* instance, u32 a)"));
	CHECK(strstr(out, "      u32 i = wbpf_lc_find16(p, 0);\n"));
	CHECK(strstr(out, "  return w2c_wbpfrtmemcpy5_wasm(instance, a, b, n);\n}\n"));
	CHECK(strstr(out, "  return w2c_wbpfrtstrlen9_wasm(instance, a);\n}\n"));
	free(out);
}

/* 1.0.33 and later, as 1.0.36 writes them: non-static definitions, w2c_MODULE instance type, var_
 * names */
static const char gen36_src[] =
	"static u32 w2c_guest_wbpfrtmemchr12(w2c_guest*, u32, u32, u32);\n"
	"u32 w2c_guest_wbpfrtmemchr12(w2c_guest* instance, u32 var_p0, u32 var_p1, u32 var_p2) {\n"
	"  u32 var_i0;\n"
	"  var_i0 = i32_load8_u(&instance->w2c_memory, (u64)(var_p0));\n"
	"  return var_i0;\n"
	"}\n";

static void test_wrap_gen33(void)
{
	struct wbpf_libcfns fns = routines(12, WBPF_LIBC_MEMCHR, 13, WBPF_LIBC_MEMSET);
	unsigned int n = 0;
	char *out = wrap(WBPF_W2C_GEN_33, gen36_src, &fns, &n);

	CHECK_EQ(n, 1);
	if (!out)
		return;
	CHECK(strstr(out, "\nstatic u32 w2c_guest_wbpfrtmemchr12_wasm(w2c_guest* instance, "
			  "u32 var_p0, u32 var_p1, u32 var_p2) {\n"));
	/* static by its declaration: inline */
	CHECK(strstr(out, "\ninline u32 w2c_guest_wbpfrtmemchr12(w2c_guest* instance, u32 a, "
			  "u32 b, u32 n) {\n"));
	CHECK(strstr(out, "  return w2c_guest_wbpfrtmemchr12_wasm(instance, a, b, n);\n}\n"));
	CHECK(strstr(out, "      u32 i = wbpf_lc_find16(p, (u8)b);\n"));
	free(out);

	/* in one of several files (--num-outputs), declared in the shared header:
	 * of external linkage, so not inline */
	out = wrap(WBPF_W2C_GEN_33, strchr(gen36_src, '\n') + 1, &fns, &n);
	CHECK_EQ(n, 1);
	if (!out)
		return;
	CHECK(strstr(out, "\nu32 w2c_guest_wbpfrtmemchr12(w2c_guest* instance, u32 a, u32 b, "
			  "u32 n) {\n"));
	CHECK(!strstr(out, "inline u32 w2c_guest_wbpfrtmemchr12("));
	free(out);
}

/* Shapes the pass does not know: the text as it was, byte for byte. */
static void test_wrap_leaves_other_shapes(void)
{
	static const char *const srcs[] = {
		/* a parameter fewer than memcpy has */
		"static u32 w2c_wbpfrtmemcpy5(Z_guest_instance_t* instance, u32 w2c_p0, "
		"u32 w2c_p1) {\n  return w2c_p0;\n}\n",
		/* two memories */
		"static u32 w2c_wbpfrtmemcpy5(Z_guest_instance_t* instance, u32 w2c_p0, "
		"u32 w2c_p1, u32 w2c_p2) {\n"
		"  i32_store(&instance->w2c_memory, w2c_p0, i32_load(&instance->w2c_m2, w2c_p1));\n"
		"  return w2c_p0;\n}\n",
		/* an imported memory, through a pointer */
		"static u32 w2c_wbpfrtmemcpy5(Z_guest_instance_t* instance, u32 w2c_p0, "
		"u32 w2c_p1, u32 w2c_p2) {\n"
		"  i32_store(instance->w2c_env_memory, w2c_p0, 0);\n"
		"  return instance->w2c_env_memory->pages;\n}\n",
		/* no memory at all */
		"static u32 w2c_wbpfrtmemcpy5(Z_guest_instance_t* instance, u32 w2c_p0, "
		"u32 w2c_p1, u32 w2c_p2) {\n  return w2c_p0;\n}\n",
		/* other functions whose names end the same (a guest names its own) */
		"static u32 w2c_xwbpfrtmemcpy5(Z_guest_instance_t* instance, u32 w2c_p0, "
		"u32 w2c_p1, u32 w2c_p2) {\n  return i32_load(&instance->w2c_memory, w2c_p0);\n}\n",
		"static u32 w2c_x_wbpfrtmemcpy5(Z_guest_instance_t* instance, u32 w2c_p0, "
		"u32 w2c_p1, u32 w2c_p2) {\n  return i32_load(&instance->w2c_memory, w2c_p0);\n}\n",
		"static u32 w2c_guest_wbpfrtmemcpy5(Z_guest_instance_t* instance, u32 w2c_p0, "
		"u32 w2c_p1, u32 w2c_p2) {\n  return i32_load(&instance->w2c_memory, w2c_p0);\n}\n",
		/* no closing brace */
		"static u32 w2c_wbpfrtmemcpy5(Z_guest_instance_t* instance, u32 w2c_p0, "
		"u32 w2c_p1, u32 w2c_p2) {\n  return i32_load(&instance->w2c_memory, w2c_p0);\n",
		"",
	};
	struct wbpf_libcfns fns = routines(5, WBPF_LIBC_MEMCPY, 9, WBPF_LIBC_STRLEN);
	size_t i;

	for (i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		unsigned int n = 7;
		char *out = wrap(WBPF_W2C_GEN_32, srcs[i], &fns, &n);

		CHECK_EQ(n, 0);
		if (out && strcmp(out, srcs[i])) {
			fprintf(stderr, "shape %zu changed:\n%s\n", i, out);
			CHECK(0);
		}
		free(out);
	}
}

int main(void)
{
	RUN(test_rename_adds_name_section);
	RUN(test_rename_merges_names);
	RUN(test_rename_inserts_before_later_subsections);
	RUN(test_rename_drops_taken_names);
	RUN(test_rename_leaves_bad_name_sections);
	RUN(test_find_nothing_unknown);
	RUN(test_wrap_gen32);
	RUN(test_wrap_gen33);
	RUN(test_wrap_leaves_other_shapes);
	return check_exit();
}
