// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The memory-base pass over wasm2c's generated C (see w2c.h and docs/abi.md,
 * "Generated code").
 *
 * wasm2c writes every load and store as a call of an inline helper on the
 * memory object, i32_load(&instance->w2c_memory, addr). The helper reads the
 * memory's data pointer from the instance each time; a store through that
 * pointer may alias the instance (the compiler cannot tell guest bytes from
 * instance fields), so after every store the data pointer is read again. This
 * pass gives each guest function a local copy of the data pointer whose address
 * is never taken, read at entry and again after every statement that can run
 * other code (a guest call, call_indirect, an import, memory.grow: anything but
 * a short list of pure helpers), and turns the function's loads and stores into
 * calls of variants that take that base.
 *
 * It works on the text, line by line, and rewrites a function only when every
 * line of it has a shape it knows; otherwise the function is left as wasm2c
 * wrote it (still correct, only slower). A statement left unrewritten is also
 * correct: the original helper reads the instance itself.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "w2c.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The access helpers of both generations, with the types of DEFINE_LOAD /
 * DEFINE_STORE: stored type, then the conversions of the value. */
static const struct access {
	const char *name;
	const char *t1, *t2, *t3; /* t3 NULL: a store */
} accesses[] = {
	{"i32_load", "u32", "u32", "u32"},     {"i64_load", "u64", "u64", "u64"},
	{"f32_load", "f32", "f32", "f32"},     {"f64_load", "f64", "f64", "f64"},
	{"i32_load8_s", "s8", "s32", "u32"},   {"i64_load8_s", "s8", "s64", "u64"},
	{"i32_load8_u", "u8", "u32", "u32"},   {"i64_load8_u", "u8", "u64", "u64"},
	{"i32_load16_s", "s16", "s32", "u32"}, {"i64_load16_s", "s16", "s64", "u64"},
	{"i32_load16_u", "u16", "u32", "u32"}, {"i64_load16_u", "u16", "u64", "u64"},
	{"i64_load32_s", "s32", "s64", "u64"}, {"i64_load32_u", "u32", "u64", "u64"},
	{"i32_store", "u32", "u32", NULL},     {"i64_store", "u64", "u64", NULL},
	{"f32_store", "f32", "f32", NULL},     {"f64_store", "f64", "f64", NULL},
	{"i32_store8", "u8", "u32", NULL},     {"i32_store16", "u16", "u32", NULL},
	{"i64_store8", "u8", "u64", NULL},     {"i64_store16", "u16", "u64", NULL},
	{"i64_store32", "u32", "u64", NULL},
};

/*
 * What a function body may call without a reload of the base: the access
 * helpers, the memory and table helpers (none grows a memory or runs guest
 * code), wasm2c's arithmetic macros and helpers, and C keywords followed by a
 * parenthesis. Anything else counts as a call that may grow the memory.
 */
static const char *const pure[] = {
	"if",
	"while",
	"for",
	"switch",
	"return",
	"sizeof",
	"memory_fill",
	"memory_copy",
	"memory_init",
	"UNLIKELY",
	"LIKELY",
	"TRAP",
	"UNREACHABLE",
	"DIV_U",
	"REM_U",
	"I32_DIV_S",
	"I64_DIV_S",
	"I32_REM_S",
	"I64_REM_S",
	"I32_ROTL",
	"I64_ROTL",
	"I32_ROTR",
	"I64_ROTR",
	"I32_CLZ",
	"I64_CLZ",
	"I32_CTZ",
	"I64_CTZ",
	"I32_POPCNT",
	"I64_POPCNT",
	"FMIN",
	"FMAX",
	"isnan",
	"signbit",
	"copysign",
	"copysignf",
	"quiet_nan",
	"quiet_nanf",
	"wasm_quiet",
	"wasm_quietf",
	"wasm_floor",
	"wasm_floorf",
	"wasm_ceil",
	"wasm_ceilf",
	"wasm_trunc",
	"wasm_truncf",
	"wasm_nearbyint",
	"wasm_nearbyintf",
	"wasm_fabs",
	"wasm_fabsf",
	"wasm_sqrt",
	"wasm_sqrtf",
	"i32_reinterpret_f32",
	"i64_reinterpret_f64",
	"f32_reinterpret_i32",
	"f64_reinterpret_i64",
};

/* Types a parenthesised cast in a body names: "(u64)(x)" is no call. */
static const char *const casts[] = {"u8",  "s8",  "u16", "s16", "u32",
				    "s32", "u64", "s64", "f32", "f64"};

/* The local and the helper prefix; wasm2c's own names start with w2c_, var_,
 * wasm_ or Z_, so these cannot collide. */
#define LOCAL "wbpf_mb"
#define PREFIX "wbpf_mb_"

static bool in_list(const char *s, size_t n, const char *const *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strlen(list[i]) == n && !memcmp(list[i], s, n))
			return true;
	return false;
}

static const struct access *find_access(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(accesses); i++)
		if (strlen(accesses[i].name) == n && !memcmp(accesses[i].name, s, n))
			return &accesses[i];
	return NULL;
}

/* The guest functions the caller names as pure (wbpf_w2c__mem_base). */
struct pure_fns {
	const char *const *names;
	size_t n;
};

static bool pure_call(const struct pure_fns *fns, const char *s, size_t n)
{
	/* I32_TRUNC_S_F64, I64_TRUNC_SAT_U_F32, ...: conversions that may trap */
	if (n > 10 && (!memcmp(s, "I32_TRUNC_", 10) || !memcmp(s, "I64_TRUNC_", 10)))
		return true;
	return find_access(s, n) || in_list(s, n, pure, ARRAY_SIZE(pure)) ||
	       in_list(s, n, fns->names, fns->n);
}

/*
 * Whether the line [s, e) calls anything that is not pure: an identifier
 * followed by '(' that is not in the lists, or a parenthesised expression
 * followed by '(' that is not a cast (a call through a pointer).
 */
static bool calls_out(const struct pure_fns *fns, const char *s, const char *e)
{
	const char *p, *q;

	for (p = s; p < e; p++) {
		if (*p != '(')
			continue;
		q = p;
		while (q > s && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		if (q > s && wbpf_ident_char(q[-1])) {
			const char *end = q;

			while (q > s && wbpf_ident_char(q[-1]))
				q--;
			if (!pure_call(fns, q, end - q))
				return true;
		} else if (q > s && q[-1] == ')') {
			const char *end = q - 1;
			int depth = 0;

			for (q = end; q >= s; q--) {
				depth += *q == ')' ? 1 : *q == '(' ? -1 : 0;
				if (!depth)
					break;
			}
			if (q < s || !in_list(q + 1, end - q - 1, casts, ARRAY_SIZE(casts)))
				return true;
		}
	}
	return false;
}

/* s without its leading and trailing blanks (and newline), as [*b, *e). */
static void trim(const char *s, const char *e, const char **b, const char **ee)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	*b = s;
	*ee = e;
}

static bool starts(const char *s, const char *e, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(e - s) >= n && !memcmp(s, word, n) &&
	       ((size_t)(e - s) == n || !wbpf_ident_char(s[n]));
}

/* One statement and nothing else: "x = f(...);" or "f(...);", so that a reload
 * after it runs exactly when the statement has. */
static bool simple_statement(const char *s, const char *e)
{
	const char *p;
	int semis = 0;

	trim(s, e, &s, &e);
	if (s == e || e[-1] != ';')
		return false;
	if (starts(s, e, "if") || starts(s, e, "else") || starts(s, e, "case") ||
	    starts(s, e, "default") || starts(s, e, "do") || starts(s, e, "while") ||
	    starts(s, e, "for") || starts(s, e, "switch") || starts(s, e, "goto"))
		return false;
	for (p = s; p < e; p++) {
		if (*p == '{' || *p == '}' || *p == ':')
			return false;
		semis += *p == ';';
	}
	return semis == 1;
}

/* Text this pass does not read: comments, strings, preprocessor lines, and
 * anything about setjmp (a local changed after a setjmp is unusable after
 * the longjmp back to it). */
static bool unknown_text(const char *s, const char *e)
{
	static const char *const bad[] = {"/*",		 "//",	   "\"",	"'", "jmp",
					  "wasm_rt_try", "UNWIND", "EXCEPTION", "#"};
	size_t i, n = e - s;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (memmem(s, n, bad[i], strlen(bad[i])))
			return true;
	return false;
}

/*
 * The memory argument of an access call starting at p (just past "name("):
 * "&instance->ID" or "instance->ID", ending at a ','. Its length, or 0.
 */
static size_t memory_arg(const char *p, const char *e)
{
	const char *q = p;

	if (q < e && *q == '&')
		q++;
	if ((size_t)(e - q) < 10 || memcmp(q, "instance->", 10))
		return 0;
	q += 10;
	if (q == e || !wbpf_ident_char(*q))
		return 0;
	while (q < e && wbpf_ident_char(*q))
		q++;
	return q < e && *q == ',' ? (size_t)(q - p) : 0;
}

struct func {
	const char *mem; /* the memory argument of its accesses */
	size_t memlen;
	unsigned int accesses; /* rewritable ones */
	bool ok;
	unsigned int *why; /* when not ok: the count of its reason (wbpf_w2c_mb_stats) */
};

/*
 * Scan the body lines [s, e): whether the function can be rewritten, and its
 * memory. Every access must name the same memory; a line that calls out must
 * be a simple statement.
 */
static void scan_body(const struct pure_fns *fns, const char *s, const char *e, struct func *f,
		      struct wbpf_w2c_mb_stats *st)
{
	const char *line, *nl;

	f->mem = NULL;
	f->memlen = 0;
	f->accesses = 0;
	f->ok = true;
	f->why = NULL;
	for (line = s; line < e; line = nl + 1) {
		const char *p;
		bool out;

		nl = wbpf_line_end(line, e);
		if (unknown_text(line, nl)) {
			f->ok = false;
			f->why = &st->left_text;
			return;
		}
		out = calls_out(fns, line, nl);
		if (out && !simple_statement(line, nl)) {
			f->ok = false;
			f->why = &st->left_call;
			return;
		}
		for (p = line; p < nl; p++) {
			const char *id = p;
			size_t n;

			if (!wbpf_ident_char(*p) || (p > line && wbpf_ident_char(p[-1])))
				continue;
			while (p < nl && wbpf_ident_char(*p))
				p++;
			if (p == nl || *p != '(' || !find_access(id, p - id))
				continue;
			n = memory_arg(p + 1, nl);
			if (!n || (f->mem && (n != f->memlen || memcmp(f->mem, p + 1, n)))) {
				f->ok = false;
				f->why = &st->left_memory;
				return;
			}
			f->mem = p + 1;
			f->memlen = n;
			if (!out)
				f->accesses++;
		}
	}
}

/* "instance->ID.data" of "&instance->ID", "instance->ID->data" of "instance->ID" */
static void put_base(struct wbpf_text *b, const struct func *f)
{
	if (f->mem[0] == '&') {
		wbpf_text__put(b, f->mem + 1, f->memlen - 1);
		wbpf_text__puts(b, ".data");
	} else {
		wbpf_text__put(b, f->mem, f->memlen);
		wbpf_text__puts(b, "->data");
	}
}

/* Copy the body lines [s, e), accesses rewritten, a reload after each call. */
static void rewrite_body(struct wbpf_text *b, const struct pure_fns *fns, const char *s,
			 const char *e, const struct func *f)
{
	const char *line, *nl;

	for (line = s; line < e; line = nl + 1) {
		const char *p, *from = line, *end;

		nl = wbpf_line_end(line, e);
		if (calls_out(fns, line, nl)) {
			trim(line, nl, &p, &end);
			wbpf_text__put(b, line, end - line);
			wbpf_text__puts(b, " " LOCAL " = ");
			put_base(b, f);
			wbpf_text__puts(b, ";");
			wbpf_text__put(b, end, nl - end);
		} else {
			for (p = line; p < nl; p++) {
				const char *id = p;

				if (!wbpf_ident_char(*p) || (p > line && wbpf_ident_char(p[-1])))
					continue;
				while (p < nl && wbpf_ident_char(*p))
					p++;
				if (p == nl || *p != '(' || !find_access(id, p - id))
					continue;
				wbpf_text__put(b, from, id - from);
				wbpf_text__puts(b, PREFIX);
				wbpf_text__put(b, id, p - id + 1);
				wbpf_text__puts(b, LOCAL ", ");
				from = p + 1;
			}
			wbpf_text__put(b, from, nl - from);
		}
		if (nl < e)
			wbpf_text__put(b, "\n", 1);
	}
}

/*
 * The variants, before the first rewritten function. With guard pages (and
 * neither big-endian memory nor segue), an access is the same memcpy at the
 * same address as wasm2c's, from the local base; a load keeps its empty asm
 * so that a load whose value is dropped still happens (and traps). Otherwise
 * the variant is the original helper on the memory itself.
 */
static void put_prelude(struct wbpf_text *b, const struct wbpf_w2c *w)
{
	char line[512];
	size_t i;

	wbpf_text__puts(b, "\n/* wasmbpf-aot: loads and stores from a base kept in a local "
			   "(docs/abi.md, \"Generated code\") */\n");
	if (w->gen == WBPF_W2C_GEN_32)
		wbpf_text__puts(b, "#if WASM_RT_MEMCHECK_SIGNAL_HANDLER && !WABT_BIG_ENDIAN\n");
	else
		wbpf_text__puts(b, "#if WASM_RT_MEMCHECK_GUARD_PAGES && !WASM_RT_USE_SEGUE && "
				   "!WABT_BIG_ENDIAN\n");
	/* the empty asm keeps a float in its own kind of register (a GPR costs a move) */
	wbpf_text__puts(
		b,
		"#if defined(__x86_64__)\n"
		"#define WBPF_MB_FORCE_FLOAT(r) __asm__(\"\" ::\"x\"(r))\n"
		"#elif defined(__aarch64__)\n"
		"#define WBPF_MB_FORCE_FLOAT(r) __asm__(\"\" ::\"w\"(r))\n"
		"#else\n"
		"#define WBPF_MB_FORCE_FLOAT(r) __asm__(\"\" ::\"r\"(r))\n"
		"#endif\n"
		"#define WBPF_MB_FORCE_INT(r) __asm__(\"\" ::\"r\"(r))\n"
		"#define WBPF_MB_LOAD(name, t1, t2, t3, force)                               \\\n"
		"  static inline t3 " PREFIX "##name(u8* b, wasm_rt_memory_t* m, u64 a) {   \\\n"
		"    t1 r;                                                            \\\n"
		"    memcpy(&r, b + a, sizeof(t1));                                   \\\n"
		"    force(r);                                                        \\\n"
		"    return (t3)(t2)r;                                                \\\n"
		"  }\n"
		"#define WBPF_MB_STORE(name, t1, t2)                                          \\\n"
		"  static inline void " PREFIX "##name(u8* b, wasm_rt_memory_t* m, u64 a,    \\\n"
		"                                       t2 v) {                       \\\n"
		"    t1 w = (t1)v;                                                    \\\n"
		"    memcpy(b + a, &w, sizeof(t1));                                   \\\n"
		"  }\n"
		"#else\n"
		"#define WBPF_MB_LOAD(name, t1, t2, t3, force)                               \\\n"
		"  static inline t3 " PREFIX "##name(u8* b, wasm_rt_memory_t* m, u64 a) {   \\\n"
		"    return name(m, a);                                               \\\n"
		"  }\n"
		"#define WBPF_MB_STORE(name, t1, t2)                                          \\\n"
		"  static inline void " PREFIX "##name(u8* b, wasm_rt_memory_t* m, u64 a,    \\\n"
		"                                       t2 v) {                       \\\n"
		"    name(m, a, v);                                                   \\\n"
		"  }\n"
		"#endif\n");
	for (i = 0; i < ARRAY_SIZE(accesses); i++) {
		const struct access *a = &accesses[i];

		if (a->t3)
			snprintf(line, sizeof(line),
				 "WBPF_MB_LOAD(%s, %s, %s, %s, WBPF_MB_FORCE_%s)\n", a->name, a->t1,
				 a->t2, a->t3, a->t1[0] == 'f' ? "FLOAT" : "INT");
		else
			snprintf(line, sizeof(line), "WBPF_MB_STORE(%s, %s, %s)\n", a->name, a->t1,
				 a->t2);
		wbpf_text__puts(b, line);
	}
	wbpf_text__puts(b, "\n");
}

/*
 * After the generated file's own header: isnan as a test of the bits. The
 * generated C is compiled with -fsignaling-nans (w2c.c), under which glibc's
 * math.h makes isnan a call into libm; wasm2c tests for NaN before every
 * sqrt, floor, ceil, trunc, nearbyint, abs, min and max. Same answer for
 * every value, signalling NaNs included, and no floating-point compare.
 */
static void put_isnan(struct wbpf_text *b)
{
	wbpf_text__puts(
		b,
		"\n/* wasmbpf-aot: isnan as a test of the bits (docs/abi.md, \"Generated code\") "
		"*/\n"
		"static inline int wbpf_isnanf(float x) {\n"
		"  uint32_t b;\n"
		"  memcpy(&b, &x, sizeof(b));\n"
		"  return (b & 0x7fffffffu) > 0x7f800000u;\n"
		"}\n"
		"static inline int wbpf_isnan(double x) {\n"
		"  uint64_t b;\n"
		"  memcpy(&b, &x, sizeof(b));\n"
		"  return (b & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;\n"
		"}\n"
		"#undef isnan\n"
		"#define isnan(x) _Generic((x), float: wbpf_isnanf, default: wbpf_isnan)(x)\n\n");
}

/*
 * Whether the body lines [s, e) never return: no "return" in them, and the
 * last two statements "UNREACHABLE;" and "FUNC_EPILOGUE;" (wasm2c ends every
 * function with FUNC_EPILOGUE, then a return of the result, if any; a
 * function-level branch is a goto to a label before FUNC_EPILOGUE). Such a
 * function (abort, exit, a libc's "not supported" path) runs at most once,
 * so it gains nothing from being inlined; inlined into a caller's cold path
 * it makes the caller save registers on its hot path too.
 */
static bool never_returns(const char *s, const char *e)
{
	const char *line, *nl, *last = NULL, *last_end = NULL, *prev = NULL, *prev_end = NULL;

	for (line = s; line < e; line = nl + 1) {
		const char *b, *be, *p;

		nl = wbpf_line_end(line, e);
		trim(line, nl, &b, &be);
		if (b == be)
			continue;
		for (p = b; (p = memmem(p, be - p, "return", 6)); p += 6)
			if ((p == b || !wbpf_ident_char(p[-1])) &&
			    (p + 6 == be || !wbpf_ident_char(p[6])))
				return false;
		prev = last;
		prev_end = last_end;
		last = b;
		last_end = be;
	}
	return prev && (size_t)(prev_end - prev) == 12 && !memcmp(prev, "UNREACHABLE;", 12) &&
	       (size_t)(last_end - last) == 14 && !memcmp(last, "FUNC_EPILOGUE;", 14);
}

/*
 * A function definition wasm2c writes: at column 0, ending in ") {", whose
 * first parameter is "INSTANCE_T* instance" followed by ',' or ')'.
 */
static bool function_start(const char *s, const char *e, const char *inst)
{
	const char *p;
	size_t n = strlen(inst);

	trim(s, e, &p, &e);
	if (p != s || s == e || *s == '#' || starts(s, e, "typedef"))
		return false;
	if (e - s < 3 || memcmp(e - 3, ") {", 3))
		return false;
	p = memchr(s, '(', e - s);
	if (!p || (size_t)(e - p) < n + 12)
		return false;
	p++;
	if (memcmp(p, inst, n) || memcmp(p + n, "* instance", 10))
		return false;
	p += n + 10;
	return *p == ',' || *p == ')';
}

char *wbpf_w2c__mem_base(const struct wbpf_w2c *w, const char *src, size_t len,
			 const char *const *pure_fns, size_t npure, size_t *outlen,
			 struct wbpf_w2c_mb_stats *st)
{
	const struct pure_fns fns = {pure_fns, npure};
	const char *inst = w->gen == WBPF_W2C_GEN_32 ? "Z_" WBPF_W2C_MODULE "_instance_t"
						     : "w2c_" WBPF_W2C_MODULE;
	const char *header = "#include \"" WBPF_W2C_MODULE ".h\"";
	const char *end = src + len, *line, *nl;
	struct wbpf_text b = {0};
	bool prelude = false, isnan_done = false;

	memset(st, 0, sizeof(*st));

	for (line = src; line < end; line = nl + 1) {
		const char *body, *close;
		struct func f;

		nl = wbpf_line_end(line, end);
		if (!isnan_done && (size_t)(nl - line) == strlen(header) &&
		    !memcmp(line, header, nl - line)) {
			wbpf_text__put(&b, line, nl - line + (nl < end));
			put_isnan(&b);
			isnan_done = true;
			continue;
		}
		if (!function_start(line, nl, inst)) {
			wbpf_text__put(&b, line, nl - line + (nl < end));
			continue;
		}
		isnan_done = true; /* not after a function: only at the top */
		/* the body: up to the "}" line at column 0 */
		body = nl < end ? nl + 1 : end;
		close = wbpf_func_close(body, end, &nl);
		if (close >= end) {
			/* no end: copy the rest as it is */
			wbpf_text__put(&b, line, end - line);
			break;
		}
		scan_body(&fns, body, close, &f, st);
		st->funcs++;
		if (f.ok && !f.accesses) {
			f.ok = false;
			f.why = &st->no_access;
		}
		if (!f.ok)
			(*f.why)++;
		if (f.ok && !prelude) {
			put_prelude(&b, w);
			prelude = true;
		}
		if (never_returns(body, close)) {
			wbpf_text__puts(&b, "__attribute__((noinline)) ");
			st->noinline++;
		}
		if (!f.ok) {
			wbpf_text__put(&b, line, nl - line + (nl < end));
			continue;
		}
		wbpf_text__put(&b, line, body - line);
		wbpf_text__puts(&b, "  u8* " LOCAL " = ");
		put_base(&b, &f);
		wbpf_text__puts(&b, ";\n");
		rewrite_body(&b, &fns, body, close, &f);
		wbpf_text__put(&b, close, nl - close + (nl < end));
		st->based++;
	}
	return wbpf_text__take(&b, outlen);
}
