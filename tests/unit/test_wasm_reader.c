/* UNIT-LINK: w2c-driver/wasm-reader.c */
// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The driver's wasm reader on hand-built modules: a good one, then every way
 * of breaking it (truncation at every offset, overflowing LEB128, huge counts
 * and name lengths, bad magic/version, bad UTF-8, section order, trailing
 * bytes, out-of-range indices). Malformed input must give -EINVAL and the
 * documented message, never a crash or an out-of-bounds read (run it under
 * -fsanitize=address to see the latter).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "wasm-build.h"
#include "wasm-reader.h"

/* where the sections of the last module built end */
static size_t section_ends[32];
static size_t nsection_ends;

/* put_section(), noting where the section ends */
static void put_good_section(struct bytes *s, uint8_t id, const struct bytes *body)
{
	put_section(s, id, body);
	if (nsection_ends < 32)
		section_ends[nsection_ends++] = s->n;
}

static bool at_section_end(size_t n)
{
	size_t i;

	for (i = 0; i < nsection_ends; i++)
		if (section_ends[i] == n)
			return true;
	return false;
}

/*
 * (type 0: (i32 i32 i32 i32) -> i32; type 1: () -> (); type 2: (i64, i32) -> i32)
 * import wasi_snapshot_preview1.fd_write : type 0
 * import wasm_bpf.wasm_bpf_map_fd_by_name : type 2
 * func 2 : type 1; table funcref 1; memory 1..2
 * export memory (memory 0), _start (func 2), __indirect_function_table (table 0)
 * a custom section, and a code section
 */
static size_t import_sec_off; /* offset of the import section's id byte */
static size_t import_sec_end;

static void good_module(struct bytes *m)
{
	struct bytes s = {0};

	memset(m, 0, sizeof(*m));
	nsection_ends = 0;
	put_header(m);

	s.n = 0;
	put_leb(&s, 3);
	put(&s, "\x60\x04\x7f\x7f\x7f\x7f\x01\x7f", 8);
	put(&s, "\x60\x00\x00", 3);
	put(&s, "\x60\x02\x7e\x7f\x01\x7f", 6);
	put_good_section(m, 1, &s);

	s.n = 0;
	put_leb(&s, 2);
	put_name(&s, "wasi_snapshot_preview1");
	put_name(&s, "fd_write");
	put_u8(&s, 0);
	put_leb(&s, 0);
	put_name(&s, "wasm_bpf");
	put_name(&s, "wasm_bpf_map_fd_by_name");
	put_u8(&s, 0);
	put_leb(&s, 2);
	import_sec_off = m->n;
	put_good_section(m, 2, &s);
	import_sec_end = m->n;

	s.n = 0;
	put_leb(&s, 1);
	put_leb(&s, 1);
	put_good_section(m, 3, &s);

	s.n = 0;
	put_leb(&s, 1);
	put(&s, "\x70\x00\x01", 3);
	put_good_section(m, 4, &s);

	s.n = 0;
	put_leb(&s, 1);
	put(&s, "\x01\x01\x02", 3);
	put_good_section(m, 5, &s);

	s.n = 0;
	put_leb(&s, 3);
	put_name(&s, "memory");
	put_u8(&s, 2);
	put_leb(&s, 0);
	put_name(&s, "_start");
	put_u8(&s, 0);
	put_leb(&s, 2);
	put_name(&s, "__indirect_function_table");
	put_u8(&s, 1);
	put_leb(&s, 0);
	put_good_section(m, 7, &s);

	s.n = 0;
	put_name(&s, "producers");
	put(&s, "\x01\x02\x03", 3);
	put_good_section(m, 0, &s);

	s.n = 0;
	put_leb(&s, 1);
	put(&s, "\x02\x00\x0b", 3); /* body size 2: no locals, end */
	put_good_section(m, 10, &s);
}

static int parse(const struct bytes *b, struct wbpf_wasm *m, char *err, size_t errsz)
{
	/* a private heap copy so that sanitizers see reads past the end */
	uint8_t *copy = malloc(b->n ? b->n : 1);
	int ret;

	if (!copy)
		abort();
	memcpy(copy, b->b, b->n);
	ret = wbpf_wasm__parse(copy, b->n, m, err, errsz);
	free(copy);
	return ret;
}

/* Parse, expect -EINVAL and an error that starts with want. */
static void expect_error(const struct bytes *b, const char *want)
{
	struct wbpf_wasm m;
	char err[256];
	int ret = parse(b, &m, err, sizeof(err));

	CHECK_EQ(ret, -EINVAL);
	if (strncmp(err, want, strlen(want))) {
		fprintf(stderr, "error \"%s\" does not start with \"%s\"\n", err, want);
		CHECK(0);
	}
	wbpf_wasm__free(&m);
}

static void good_module_parses(void)
{
	struct bytes b;
	struct wbpf_wasm m;
	const struct wbpf_wasm_export *ex;
	const struct wbpf_wasm_type *t;
	char err[256], ts[128];

	good_module(&b);
	CHECK_EQ(parse(&b, &m, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_EQ(m.ntypes, 3);
	CHECK_EQ(m.nimports, 2);
	CHECK_EQ(m.nfunc_imports, 2);
	CHECK_STR(m.imports[0].module.str, "wasi_snapshot_preview1");
	CHECK_STR(m.imports[0].name.str, "fd_write");
	CHECK_EQ(m.imports[0].kind, WBPF_WASM_KIND_FUNC);
	CHECK_EQ(m.imports[1].type_idx, 2);
	CHECK_STR(wbpf_wasm_type_str(&m.types[m.imports[1].type_idx], ts, sizeof(ts)),
		  "(i64, i32) -> i32");
	CHECK_EQ(m.nfuncs, 1);
	CHECK_EQ(m.ntables, 1);
	CHECK_EQ(m.table_types[0], WBPF_WASM_FUNCREF);
	CHECK_EQ(m.nmemories, 1);
	CHECK_EQ(m.nexports, 3);

	ex = wbpf_wasm__find_export(&m, "_start");
	CHECK(ex != NULL);
	if (ex) {
		CHECK_EQ(ex->kind, WBPF_WASM_KIND_FUNC);
		t = wbpf_wasm__func_type(&m, ex->index);
		CHECK(t != NULL);
		if (t)
			CHECK_STR(wbpf_wasm_type_str(t, ts, sizeof(ts)), "() -> ()");
	}
	ex = wbpf_wasm__find_export(&m, "memory");
	CHECK(ex && ex->kind == WBPF_WASM_KIND_MEMORY);
	CHECK(wbpf_wasm__find_export(&m, "missing") == NULL);
	t = wbpf_wasm__func_type(&m, 0);
	CHECK(t && t->nparams == 4 && t->nresults == 1);
	CHECK(wbpf_wasm__func_type(&m, 3) == NULL);
	wbpf_wasm__free(&m);
	wbpf_wasm__free(&m); /* idempotent */
}

static void empty_module_parses(void)
{
	struct bytes b = {0};
	struct wbpf_wasm m;
	char err[64];

	put_header(&b);
	CHECK_EQ(parse(&b, &m, err, sizeof(err)), 0);
	CHECK_EQ(m.nimports, 0);
	CHECK_EQ(m.nexports, 0);
	wbpf_wasm__free(&m);
}

static void bad_magic_is_rejected(void)
{
	struct bytes b;

	good_module(&b);
	b.b[1] = 'A';
	expect_error(&b, "not a wasm module (bad magic)");

	b.n = 0; /* empty file */
	expect_error(&b, "not a wasm module (bad magic)");

	memcpy(b.b,
	       "\x7f"
	       "ELF",
	       4); /* an ELF object */
	b.n = 4;
	expect_error(&b, "not a wasm module (bad magic)");
}

static void bad_version_is_rejected(void)
{
	struct bytes b;

	good_module(&b);
	b.b[4] = 2;
	expect_error(&b, "unsupported wasm binary version 0x2");
	good_module(&b);
	memcpy(b.b + 4, "\x0d\x00\x01\x00", 4);
	expect_error(&b, "unsupported wasm binary version 0x1000d (expected 1; components");
	b.n = 6;
	expect_error(&b, "truncated module header");
}

/* A proper prefix of the good module is malformed unless it ends just after the
 * header or a section (then it is a smaller well-formed module). */
static void truncation_at_every_offset_fails_cleanly(void)
{
	struct bytes good, b;
	size_t n;

	good_module(&good);
	for (n = 0; n < good.n; n++) {
		struct wbpf_wasm m;
		char err[256] = "";
		int ret;

		b = good;
		b.n = n;
		ret = parse(&b, &m, err, sizeof(err));
		wbpf_wasm__free(&m);
		if (n == 8 || at_section_end(n)) {
			CHECK_EQ(ret, 0);
			continue;
		}
		if (ret != -EINVAL || !err[0]) {
			fprintf(stderr, "prefix of %zu bytes: ret %d, err \"%s\"\n", n, ret, err);
			CHECK(0);
		}
	}
	/* inside the import section: the section claims more bytes than the file has */
	b = good;
	b.n = import_sec_off + 10;
	expect_error(&b, "truncated import section");
}

static void truncated_section_contents_are_reported(void)
{
	struct bytes b = {0}, s = {0};

	/* an import section whose declared size is right but whose entry is cut */
	put_header(&b);
	put_leb(&s, 1);
	put(&s, "\x60\x00\x00", 3);
	put_section(&b, 1, &s);
	s.n = 0;
	put_leb(&s, 1);
	put_name(&s, "env");
	put_name(&s, "f");
	put_u8(&s, 0); /* kind: function; its type index is missing */
	put_section(&b, 2, &s);
	expect_error(&b, "truncated import section");
}

static void overflowing_leb_is_rejected(void)
{
	struct bytes b = {0};

	/* section size of 6 LEB bytes */
	put_header(&b);
	put(&b, "\x01\x80\x80\x80\x80\x80\x00", 7);
	expect_error(&b, "overflowing LEB128 in section header");

	/* 5 bytes, but with bits beyond 32 */
	b.n = 0;
	put_header(&b);
	put(&b, "\x01\xff\xff\xff\xff\x1f", 6);
	expect_error(&b, "overflowing LEB128 in section header");

	/* a count inside a section */
	b.n = 0;
	put_header(&b);
	put(&b, "\x01\x06\xff\xff\xff\xff\x7f\x00", 8);
	expect_error(&b, "overflowing LEB128 in type section");
}

static void largest_leb_u32_is_accepted(void)
{
	struct bytes b = {0};

	/* a custom section with name length 0 and size 5, the size written with 5 LEB
	 * bytes; and a count of 0xffffffff that then exceeds its section */
	put_header(&b);
	put(&b, "\x00\x85\x80\x80\x80\x00\x00xxxx", 11);
	{
		struct wbpf_wasm m;
		char err[256];

		CHECK_EQ(parse(&b, &m, err, sizeof(err)), 0);
		wbpf_wasm__free(&m);
	}
	b.n = 0;
	put_header(&b);
	put(&b, "\x02\x05\xff\xff\xff\xff\x0f", 7);
	expect_error(&b, "import count 4294967295 exceeds the size of the import section");
}

static void huge_counts_are_rejected(void)
{
	struct bytes b = {0}, s = {0};

	put_header(&b);
	put_leb(&s, 1000000);
	put(&s, "\x60\x00\x00", 3);
	put_section(&b, 1, &s);
	expect_error(&b, "type count 1000000 exceeds the size of the type section");

	b.n = s.n = 0;
	put_header(&b);
	put_leb(&s, 1);
	put(&s, "\x60", 1);
	put_leb(&s, 0x10000000); /* params */
	put(&s, "\x7f\x7f", 2);
	put_section(&b, 1, &s);
	expect_error(&b, "value type count 268435456 exceeds the size of the type section");

	b.n = s.n = 0;
	put_header(&b);
	put_leb(&s, 0xffffffff);
	put_section(&b, 7, &s);
	expect_error(&b, "export count 4294967295 exceeds the size of the export section");
}

static void huge_name_length_is_rejected(void)
{
	struct bytes b = {0}, s = {0};

	put_header(&b);
	put_leb(&s, 1);
	put_leb(&s, 0xfffffff0); /* module name length */
	put(&s, "env", 3);
	put_section(&b, 2, &s);
	expect_error(&b, "truncated import section (name length 4294967280 exceeds the 3 bytes");
}

static void bad_utf8_name_is_rejected(void)
{
	static const char *const bad[] = {
		"\xff",
		"\xc0\x80" /* overlong NUL */,
		"\xed\xa0\x80" /* surrogate */,
		"\xf4\x90\x80\x80" /* > U+10FFFF */,
		"\xe2\x82" /* cut */,
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct bytes b = {0}, s = {0};

		put_header(&b);
		put_leb(&s, 1);
		put_name(&s, bad[i]);
		put(&s, "\x00\x00", 2);
		put_section(&b, 7, &s);
		expect_error(&b, "malformed UTF-8 name in export section");
	}
}

static void good_utf8_name_is_accepted(void)
{
	struct bytes b = {0}, s = {0};
	struct wbpf_wasm m;
	char err[256], shown[64];

	put_header(&b);
	put_leb(&s, 1);
	put(&s, "\x60\x00\x00", 3);
	put_section(&b, 1, &s);
	s.n = 0;
	put_leb(&s, 1);
	put_name(&s, "m\xc3\xa9");	    /* é */
	put_name(&s, "\xf0\x9f\x90\x9d'x"); /* U+1F41D and a quote */
	put(&s, "\x00\x00", 2);
	put_section(&b, 2, &s);
	CHECK_EQ(parse(&b, &m, err, sizeof(err)), 0);
	CHECK_EQ(m.imports[0].module.len, 3);
	CHECK_STR(wbpf_wasm_name_str(&m.imports[0].name, shown, sizeof(shown)),
		  "\\xf0\\x9f\\x90\\x9d\\x27x");
	wbpf_wasm__free(&m);
}

static void section_order_is_checked(void)
{
	struct bytes b = {0}, s = {0};

	put_header(&b);
	put_leb(&s, 0);
	put_section(&b, 2, &s); /* import */
	put_section(&b, 1, &s); /* type after import */
	expect_error(&b, "type section out of order or repeated");

	b.n = 0;
	put_header(&b);
	put_section(&b, 7, &s);
	put_section(&b, 7, &s);
	expect_error(&b, "export section out of order or repeated");

	b.n = 0;
	put_header(&b);
	put_section(&b, 42, &s);
	expect_error(&b, "unknown section id 42");
}

static void trailing_bytes_are_rejected(void)
{
	struct bytes b = {0}, s = {0};

	put_header(&b);
	put_leb(&s, 0);
	put(&s, "\x00\x00", 2);
	put_section(&b, 3, &s);
	expect_error(&b, "function section has 2 unexpected trailing bytes");
}

static void out_of_range_indices_are_rejected(void)
{
	struct bytes b = {0}, s = {0};

	/* an import of type 0 with no type section */
	put_header(&b);
	put_leb(&s, 1);
	put_name(&s, "env");
	put_name(&s, "f");
	put(&s, "\x00\x00", 2);
	put_section(&b, 2, &s);
	expect_error(&b, "import type index 0 out of range (0 types)");

	/* an export of function 5 in a module with no functions */
	b.n = s.n = 0;
	put_header(&b);
	put_leb(&s, 1);
	put_name(&s, "_start");
	put(&s, "\x00\x05", 2);
	put_section(&b, 7, &s);
	expect_error(&b, "export '_start' refers to function 5, which does not exist");

	/* bad kinds */
	b.n = s.n = 0;
	put_header(&b);
	put_leb(&s, 1);
	put_name(&s, "x");
	put(&s, "\x09\x00", 2);
	put_section(&b, 7, &s);
	expect_error(&b, "bad export kind 0x09 in export section");
}

static void non_function_imports_are_read(void)
{
	struct bytes b = {0}, s = {0};
	struct wbpf_wasm m;
	char err[256];

	put_header(&b);
	put_leb(&s, 3);
	put_name(&s, "env");
	put_name(&s, "memory");
	put(&s, "\x02\x01\x01\x10", 4); /* memory 1..16 */
	put_name(&s, "env");
	put_name(&s, "table");
	put(&s, "\x01\x70\x00\x00", 4);
	put_name(&s, "env");
	put_name(&s, "g");
	put(&s, "\x03\x7f\x01", 3);
	put_section(&b, 2, &s);
	CHECK_EQ(parse(&b, &m, err, sizeof(err)), 0);
	CHECK_EQ(m.nmemory_imports, 1);
	CHECK_EQ(m.ntable_imports, 1);
	CHECK_EQ(m.nglobal_imports, 1);
	CHECK_EQ(m.nfunc_imports, 0);
	CHECK_EQ(m.imports[0].kind, WBPF_WASM_KIND_MEMORY);
	wbpf_wasm__free(&m);

	b.n = s.n = 0;
	put_header(&b);
	put_leb(&s, 1);
	put_name(&s, "env");
	put_name(&s, "memory");
	put(&s, "\x02\x09\x01", 3); /* bad limits flags */
	put_section(&b, 2, &s);
	expect_error(&b, "bad limits flags 0x09 in import section");
}

/* Flip every bit of the module, one at a time: never a crash, and every
 * failure has a message. */
static void flipped_bytes_never_crash(void)
{
	struct bytes good, b;
	size_t i;
	int bit, failures = 0;

	good_module(&good);
	for (i = 0; i < good.n; i++) {
		for (bit = 0; bit < 8; bit++) {
			struct wbpf_wasm m;
			char err[256] = "";
			int ret;

			b = good;
			b.b[i] ^= 1u << bit;
			ret = parse(&b, &m, err, sizeof(err));
			if (ret && (ret != -EINVAL || !err[0])) {
				fprintf(stderr, "flip %zu.%d: ret %d err \"%s\"\n", i, bit, ret,
					err);
				CHECK(0);
			}
			failures += ret != 0;
			wbpf_wasm__free(&m);
		}
	}
	/* the header and section framing make most flips fatal */
	CHECK(failures > (int)good.n);
	CHECK(import_sec_end > import_sec_off);
}

static void type_str_formats(void)
{
	uint8_t p[3] = {WBPF_WASM_I32, WBPF_WASM_I64, WBPF_WASM_F64},
		r[2] = {WBPF_WASM_I64, WBPF_WASM_I32};
	struct wbpf_wasm_type t = {3, 1, p, r};
	char buf[64];

	CHECK_STR(wbpf_wasm_type_str(&t, buf, sizeof(buf)), "(i32, i64, f64) -> i64");
	t.nresults = 2;
	CHECK_STR(wbpf_wasm_type_str(&t, buf, sizeof(buf)), "(i32, i64, f64) -> (i64, i32)");
	t.nparams = t.nresults = 0;
	CHECK_STR(wbpf_wasm_type_str(&t, buf, sizeof(buf)), "() -> ()");
	t.nparams = 3;
	CHECK_STR(wbpf_wasm_type_str(&t, buf, 8), "(i32, i");
}

static void missing_file_is_reported(void)
{
	struct wbpf_wasm m;
	char err[256];

	CHECK_EQ(wbpf_wasm__parse_file("/nonexistent/x.wasm", &m, err, sizeof(err)), -ENOENT);
	CHECK_STR(err, "cannot open: No such file or directory");
	CHECK_EQ(wbpf_wasm__parse_file("/", &m, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "not a regular file");
	wbpf_wasm__free(&m);
}

/* The code section's span, and the first of the custom sections named "name". */
static void code_and_name_sections_are_located(void)
{
	struct bytes b, s = {0};
	struct wbpf_wasm m;
	char err[256];
	size_t code_start, names_start, names_end;

	/* the good module: a code section last, a custom section that is not "name" */
	good_module(&b);
	CHECK_EQ(parse(&b, &m, err, sizeof(err)), 0);
	code_start = section_ends[nsection_ends - 2];
	CHECK_EQ(m.code.start, code_start);
	CHECK_EQ(m.code.body, code_start + 2); /* id, a one-byte size */
	CHECK_EQ(m.code.end, b.n);
	CHECK_EQ(m.nname_sections, 0);
	CHECK_EQ(m.names.start, 0);
	CHECK_EQ(m.names.end, 0);
	wbpf_wasm__free(&m);

	/* two name sections after it: the first one's span, and the count */
	names_start = b.n;
	put_name(&s, "name");
	put(&s, "\x00\x02\x01g", 4); /* a module-name subsection */
	put_section(&b, 0, &s);
	names_end = b.n;
	put_section(&b, 0, &s);
	CHECK_EQ(parse(&b, &m, err, sizeof(err)), 0);
	CHECK_EQ(m.nname_sections, 2);
	CHECK_EQ(m.names.start, names_start);
	CHECK_EQ(m.names.body, names_start + 2 + 5); /* id, size, then the name "name" */
	CHECK_EQ(m.names.end, names_end);
	CHECK_EQ(m.code.start, code_start);
	wbpf_wasm__free(&m);

	/* no code section */
	b.n = 0;
	put_header(&b);
	CHECK_EQ(parse(&b, &m, err, sizeof(err)), 0);
	CHECK_EQ(m.code.start, 0);
	CHECK_EQ(m.code.end, 0);
	wbpf_wasm__free(&m);
}

/* The cursor reads: what they give, and how each says it ran out or overflowed. */
static void cursor_reads_report_truncation_and_overflow(void)
{
	static const uint8_t max_u32[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
	static const uint8_t over_u32[] = {0xff, 0xff, 0xff, 0xff, 0x1f};
	static const uint8_t long_u32[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
	static const uint8_t cut[] = {0x80, 0x80};
	static const uint8_t big_u64[] = {0xff, 0xff, 0xff, 0xff, 0xff,
					  0xff, 0xff, 0xff, 0xff, 0x01};
	static const uint8_t sections[] = {0x01, 0x02, 0xaa, 0xbb, 0x07, 0x05, 0xcc};
	struct wbpf_wasm_cursor c;
	struct wbpf_wasm_section sec;
	const uint8_t *at = NULL;
	uint32_t v = 0;
	uint64_t v64 = 0;

	c = (struct wbpf_wasm_cursor){max_u32, max_u32 + sizeof(max_u32)};
	CHECK_EQ(wbpf_wasm_cursor__read_u32(&c, &v), 0);
	CHECK_EQ(v, 0xffffffffu);
	CHECK(c.p == c.end);
	c = (struct wbpf_wasm_cursor){over_u32, over_u32 + sizeof(over_u32)};
	CHECK_EQ(wbpf_wasm_cursor__read_u32(&c, &v), -EOVERFLOW);
	c = (struct wbpf_wasm_cursor){long_u32, long_u32 + sizeof(long_u32)};
	CHECK_EQ(wbpf_wasm_cursor__read_u32(&c, &v), -EOVERFLOW);
	c = (struct wbpf_wasm_cursor){cut, cut + sizeof(cut)};
	CHECK_EQ(wbpf_wasm_cursor__read_u32(&c, &v), -ENODATA);
	c = (struct wbpf_wasm_cursor){big_u64, big_u64 + sizeof(big_u64)};
	CHECK_EQ(wbpf_wasm_cursor__read_leb(&c, 64, &v64), 0);
	CHECK(v64 == UINT64_MAX);

	/* a section that fits, then one whose size exceeds what is left */
	c = (struct wbpf_wasm_cursor){sections, sections + sizeof(sections)};
	CHECK_EQ(wbpf_wasm_cursor__read_section(&c, &sec), 0);
	CHECK_EQ(sec.id, 1);
	CHECK_EQ(sec.size, 2);
	CHECK(sec.start == sections && sec.body == sections + 2 && sec.end == sections + 4);
	CHECK(c.p == sections + 4);
	CHECK_EQ(wbpf_wasm_cursor__read_section(&c, &sec), -EMSGSIZE);
	CHECK_EQ(sec.id, 7);
	CHECK_EQ(sec.size, 5);
	CHECK(sec.body == sections + 6 && c.p == sec.body);
	CHECK_EQ(wbpf_wasm_cursor__read_bytes(&c, 2, &at), -ENODATA);
	CHECK_EQ(wbpf_wasm_cursor__read_bytes(&c, 1, &at), 0);
	CHECK(at == sections + 6 && c.p == c.end);
	CHECK_EQ(wbpf_wasm_cursor__read_section(&c, &sec), -ENODATA);
}

int main(void)
{
	RUN(good_module_parses);
	RUN(empty_module_parses);
	RUN(bad_magic_is_rejected);
	RUN(bad_version_is_rejected);
	RUN(truncation_at_every_offset_fails_cleanly);
	RUN(truncated_section_contents_are_reported);
	RUN(overflowing_leb_is_rejected);
	RUN(largest_leb_u32_is_accepted);
	RUN(huge_counts_are_rejected);
	RUN(huge_name_length_is_rejected);
	RUN(bad_utf8_name_is_rejected);
	RUN(good_utf8_name_is_accepted);
	RUN(section_order_is_checked);
	RUN(trailing_bytes_are_rejected);
	RUN(out_of_range_indices_are_rejected);
	RUN(non_function_imports_are_read);
	RUN(flipped_bytes_never_crash);
	RUN(type_str_formats);
	RUN(missing_file_is_reported);
	RUN(code_and_name_sections_are_located);
	RUN(cursor_reads_report_truncation_and_overflow);
	return check_exit();
}
