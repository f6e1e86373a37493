// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The guest libc's memory and string routines (see libcfn.h and docs/abi.md,
 * "Generated code"): found by their bodies, named in the module's name
 * section, wrapped in the generated C.
 *
 * A body is one of the known builds when its code entry (locals and
 * expression) has the length and SHA-256 of a row of the table below and the
 * function has the routine's type. The body alone then fixes what the function
 * does, and the wrapper's fast path computes exactly that: where the two could
 * differ (an overlap, a byte outside the memory) it calls the original code.
 * New rows come from scripts/libc-bodies.py run on tests/driver/libc-probe.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcfn.h"
#include "sha256.h"
#include "text.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const kind_names[WBPF_LIBC_NKINDS] = {
	[WBPF_LIBC_MEMCPY] = "memcpy",
	[WBPF_LIBC_MEMSET] = "memset",
	[WBPF_LIBC_STRLEN] = "strlen",
	[WBPF_LIBC_MEMCHR] = "memchr",
};

/* i32 parameters of each routine; every one returns one i32 */
static const unsigned int kind_params[WBPF_LIBC_NKINDS] = {
	[WBPF_LIBC_MEMCPY] = 3,
	[WBPF_LIBC_MEMSET] = 3,
	[WBPF_LIBC_STRLEN] = 1,
	[WBPF_LIBC_MEMCHR] = 3,
};

static const struct known {
	enum wbpf_libcfn_kind kind;
	uint32_t len;
	const char *sha256;
} known[] = {
	/* wasi-libc 0.0~git20220510.9886d3d (Debian 12), clang 14 */
	{WBPF_LIBC_MEMCPY, 1296,
	 "9309fc4b367619f4e757d7fa0e9f69b126204f97105475b70b80de24d38e9de8"},
	{WBPF_LIBC_MEMSET, 379, "deff370dc7f59d36989adab2cc33cfb5301abdb1db79ba597b353842b2e299bb"},
	{WBPF_LIBC_STRLEN, 177, "438492c91b2de7468434ff17fc2084e84443d35b3f804a0930a7940eec88cf7a"},
	{WBPF_LIBC_MEMCHR, 370, "74ebf63086b96f7be80da14a0d7f6770d59ede904608a50770721e98345ed115"},
	/* wasi-libc 0.0~git20241209.574b88d (Debian 13), wasm32-wasi, clang 19 */
	{WBPF_LIBC_MEMCPY, 1006,
	 "ed76c4de9346ee7f45a33460360dab179eac436be0639f9332e4c0db8133324b"},
	{WBPF_LIBC_MEMSET, 392, "4cc543294ef58b7dc00f552b534474931758ef9efd3897f3c086010a3a687d18"},
	{WBPF_LIBC_STRLEN, 207, "4f63b82a4393813d7ea5fc5892a767864cde887745f40e84e4dc9a29ecde0889"},
	{WBPF_LIBC_MEMCHR, 374, "115a139fd745abee6ab870fe41d327d4a7a9a7e8dd34d0792e868bfd5e452900"},
};

const char *wbpf_libcfn__kind_str(enum wbpf_libcfn_kind kind)
{
	return kind >= 0 && kind < WBPF_LIBC_NKINDS ? kind_names[kind] : "?";
}

/* ---------------------------------------------------------------- finding */

static bool known_type(const struct wbpf_wasm *m, uint32_t def, enum wbpf_libcfn_kind kind)
{
	const struct wbpf_wasm_type *t = wbpf_wasm__func_type(m, m->nfunc_imports + def);
	uint32_t i;

	if (!t || t->nparams != kind_params[kind] || t->nresults != 1 ||
	    t->results[0] != WBPF_WASM_I32)
		return false;
	for (i = 0; i < t->nparams; i++)
		if (t->params[i] != WBPF_WASM_I32)
			return false;
	return true;
}

void wbpf_libcfn__find(const uint8_t *buf, size_t len, const struct wbpf_wasm *m,
		       struct wbpf_libcfns *out)
{
	struct wbpf_wasm_cursor c;
	uint32_t count, i;

	out->n = 0;
	if (!m->code.start || m->code.end > len)
		return;
	c = (struct wbpf_wasm_cursor){buf + m->code.body, buf + m->code.end};
	if (wbpf_wasm_cursor__read_u32(&c, &count) || count != m->nfuncs)
		return;
	for (i = 0; i < count && out->n < WBPF_LIBCFN_MAX; i++) {
		const uint8_t *body;
		uint32_t size;
		bool hashed = false;
		char hex[2 * WBPF_SHA256_LEN + 1];
		size_t k;

		if (wbpf_wasm_cursor__read_u32(&c, &size) ||
		    wbpf_wasm_cursor__read_bytes(&c, size, &body))
			return;
		for (k = 0; k < ARRAY_SIZE(known); k++) {
			if (known[k].len != size || !known_type(m, i, known[k].kind))
				continue;
			if (!hashed) {
				struct wbpf_sha256 h;
				uint8_t d[WBPF_SHA256_LEN];

				wbpf_sha256_init(&h);
				wbpf_sha256_update(&h, body, size);
				wbpf_sha256_final(&h, d);
				wbpf_sha256_hex(d, hex);
				hashed = true;
			}
			if (!strcmp(hex, known[k].sha256)) {
				out->fn[out->n].func = m->nfunc_imports + i;
				out->fn[out->n].kind = known[k].kind;
				out->n++;
				break;
			}
		}
	}
}

void wbpf_libcfn__name(const struct wbpf_libcfns *fns, unsigned int i, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "wbpfrt%s%u", wbpf_libcfn__kind_str(fns->fn[i].kind), fns->fn[i].func);
}

/* ---------------------------------------------------------------- the name section */

/* an unsigned LEB128 */
static void put_u32(struct wbpf_text *o, uint32_t v)
{
	uint8_t b[5];
	size_t n = 0;

	do {
		b[n] = v & 0x7f;
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	wbpf_text__put(o, b, n);
}

/* a name: its length, then its bytes */
static void put_name(struct wbpf_text *o, const char *s, size_t n)
{
	put_u32(o, (uint32_t)n);
	wbpf_text__put(o, s, n);
}

/* Drop routine i of fns. */
static void drop(struct wbpf_libcfns *fns, unsigned int i)
{
	memmove(&fns->fn[i], &fns->fn[i + 1], (fns->n - i - 1) * sizeof(fns->fn[0]));
	fns->n--;
}

/* Whether s[0, len) is name or name + "_wasm" (what the C pass adds). */
static bool clashes(const char *s, size_t len, const char *name, size_t n)
{
	return len >= n && !memcmp(s, name, n) &&
	       (len == n || (len == n + 5 && !memcmp(s + n, "_wasm", 5)));
}

/*
 * Drop the routines whose new name, or that name with "_wasm", an export, an
 * import or a function already has: the C names wasm2c makes of them could
 * be the same.
 */
static void drop_taken(const struct wbpf_wasm *m, struct wbpf_libcfns *fns, const uint8_t *names,
		       const uint8_t *names_end)
{
	unsigned int i = 0;

	while (i < fns->n) {
		char name[64];
		size_t n;
		bool taken = false;
		uint32_t k, count;
		struct wbpf_wasm_cursor c = {names, names_end};

		wbpf_libcfn__name(fns, i, name, sizeof(name));
		n = strlen(name);
		for (k = 0; k < m->nexports && !taken; k++)
			taken = clashes(m->exports[k].name.str, m->exports[k].name.len, name, n);
		for (k = 0; k < m->nimports && !taken; k++)
			taken = clashes(m->imports[k].name.str, m->imports[k].name.len, name, n);
		if (names && !wbpf_wasm_cursor__read_u32(&c, &count)) {
			for (k = 0; k < count && !taken; k++) {
				uint32_t idx, len;
				const uint8_t *s;

				if (wbpf_wasm_cursor__read_u32(&c, &idx) ||
				    wbpf_wasm_cursor__read_u32(&c, &len) ||
				    wbpf_wasm_cursor__read_bytes(&c, len, &s))
					break;
				taken = clashes((const char *)s, len, name, n);
			}
		}
		if (taken)
			drop(fns, i);
		else
			i++;
	}
}

/*
 * The function-names subsection (its content) with the routines' names put
 * in: old is the existing one or NULL. False when old is not a name map in
 * increasing index order.
 */
static bool put_function_names(struct wbpf_text *o, const struct wbpf_libcfns *fns,
			       const uint8_t *old, const uint8_t *old_end)
{
	struct wbpf_wasm_cursor c = {old, old_end};
	uint32_t count = 0, k, idx = 0, len = 0, last = 0;
	unsigned int i = 0, extra = fns->n;
	const uint8_t *s = NULL;
	char name[64];

	/* the count first: the old entries plus the routines they do not name */
	if (old) {
		if (wbpf_wasm_cursor__read_u32(&c, &count))
			return false;
		for (k = 0; k < count; k++) {
			if (wbpf_wasm_cursor__read_u32(&c, &idx) ||
			    wbpf_wasm_cursor__read_u32(&c, &len) ||
			    wbpf_wasm_cursor__read_bytes(&c, len, &s) || (k && idx <= last))
				return false;
			last = idx;
			for (i = 0; i < fns->n; i++)
				if (fns->fn[i].func == idx)
					extra--;
		}
		if (c.p != c.end)
			return false;
	}
	put_u32(o, count + extra);
	c.p = old;
	if (old)
		wbpf_wasm_cursor__read_u32(&c, &count);
	i = 0;
	for (k = 0; k < count; k++) {
		wbpf_wasm_cursor__read_u32(&c, &idx);
		wbpf_wasm_cursor__read_u32(&c, &len);
		wbpf_wasm_cursor__read_bytes(&c, len, &s);
		for (; i < fns->n && fns->fn[i].func < idx; i++) {
			wbpf_libcfn__name(fns, i, name, sizeof(name));
			put_u32(o, fns->fn[i].func);
			put_name(o, name, strlen(name));
		}
		if (i < fns->n && fns->fn[i].func == idx) {
			wbpf_libcfn__name(fns, i, name, sizeof(name));
			put_u32(o, idx);
			put_name(o, name, strlen(name));
			i++;
		} else {
			put_u32(o, idx);
			put_name(o, (const char *)s, len);
		}
	}
	for (; i < fns->n; i++) {
		wbpf_libcfn__name(fns, i, name, sizeof(name));
		put_u32(o, fns->fn[i].func);
		put_name(o, name, strlen(name));
	}
	return true;
}

/* The function-names subsection (id 1), from its content. */
static void put_subsection(struct wbpf_text *o, const struct wbpf_text *fnames)
{
	wbpf_text__put(o, "\x01", 1);
	put_u32(o, (uint32_t)fnames->len);
	wbpf_text__put(o, fnames->p, fnames->len);
}

/* The whole name section, with old (its subsections) or without. */
static bool put_name_section(struct wbpf_text *o, const struct wbpf_libcfns *fns,
			     const uint8_t *old, const uint8_t *old_end)
{
	struct wbpf_text sub = {0}, sec = {0};
	struct wbpf_wasm_cursor c = {old, old_end};
	bool done = false, ok = true;

	while (old && c.p < c.end) {
		struct wbpf_wasm_section s;

		if (wbpf_wasm_cursor__read_section(&c, &s)) {
			ok = false;
			break;
		}
		if (s.id >= 1 && !done) {
			if (!put_function_names(&sub, fns, s.id == 1 ? s.body : NULL,
						s.id == 1 ? s.end : NULL)) {
				ok = false;
				break;
			}
			put_subsection(&sec, &sub);
			done = true;
			if (s.id == 1)
				continue;
		}
		wbpf_text__put(&sec, s.start, s.end - s.start);
	}
	if (ok && !done) {
		put_function_names(&sub, fns, NULL, NULL);
		put_subsection(&sec, &sub);
	}
	if (ok) {
		wbpf_text__put(o, "\x00", 1);
		put_u32(o, (uint32_t)(5 + sec.len));
		put_name(o, "name", 4);
		wbpf_text__put(o, sec.p, sec.len);
	}
	ok = ok && !sub.nomem && !sec.nomem;
	free(sub.p);
	free(sec.p);
	return ok;
}

uint8_t *wbpf_libcfn__rename(const uint8_t *buf, size_t len, const struct wbpf_wasm *m,
			     struct wbpf_libcfns *fns, size_t *outlen)
{
	const struct wbpf_wasm_span *names = &m->names;
	const uint8_t *fnames = NULL, *fnames_end = NULL;
	struct wbpf_text o = {0};
	uint8_t *out;

	if (len < 8 || !fns->n || names->end > len)
		goto none;
	if (m->nname_sections > 1)
		goto none; /* two of them: leave the module alone */
	if (names->start) {
		/* its function names, for the taken names */
		struct wbpf_wasm_cursor c = {buf + names->body, buf + names->end};
		struct wbpf_wasm_section sub;

		while (c.p < c.end) {
			if (wbpf_wasm_cursor__read_section(&c, &sub))
				goto none;
			if (sub.id == 1) {
				fnames = sub.body;
				fnames_end = sub.end;
			}
		}
	}
	drop_taken(m, fns, fnames, fnames_end);
	if (!fns->n)
		goto none;
	if (names->start) {
		wbpf_text__put(&o, buf, names->start);
		if (!put_name_section(&o, fns, buf + names->body, buf + names->end))
			goto none;
		wbpf_text__put(&o, buf + names->end, len - names->end);
	} else {
		wbpf_text__put(&o, buf, len);
		if (!put_name_section(&o, fns, NULL, NULL))
			goto none;
	}
	out = (uint8_t *)wbpf_text__take(&o, outlen);
	if (!out)
		goto none;
	return out;
none:
	free(o.p);
	fns->n = 0;
	*outlen = 0;
	return NULL;
}

/* ---------------------------------------------------------------- the C pass */

/*
 * Whether the line [s, e) defines routine i of fns: "QUAL u32 NAME(INST*
 * instance, u32 P, ...) {" at column 0, NAME ending in "_" and its marker,
 * with one u32 parameter per argument. Sets *name, *namelen (NAME) and *qual
 * (the text before "u32 ").
 */
static bool routine_start(const char *s, const char *e, const char *inst, const char *marker,
			  unsigned int nparams, const char **name, size_t *namelen, size_t *qual)
{
	size_t ml = strlen(marker), il = strlen(inst);
	const char *paren = memchr(s, '(', e - s), *id, *p;
	unsigned int k;

	if (!paren || e - s < 4 || memcmp(e - 3, ") {", 3) || !wbpf_ident_char(s[0]))
		return false;
	for (id = paren; id > s && wbpf_ident_char(id[-1]); id--)
		;
	if ((size_t)(paren - id) <= ml + 1 || memcmp(paren - ml, marker, ml) ||
	    paren[-ml - 1] != '_')
		return false;
	if (id - s < 4 || memcmp(id - 4, "u32 ", 4))
		return false;
	p = paren + 1;
	if ((size_t)(e - p) < il + 10 || memcmp(p, inst, il) || memcmp(p + il, "* instance", 10))
		return false;
	p += il + 10;
	for (k = 0; k < nparams; k++) {
		if (e - p < 7 || memcmp(p, ", u32 ", 6))
			return false;
		p += 6;
		while (p < e && wbpf_ident_char(*p))
			p++;
	}
	if (p != e - 3)
		return false;
	*name = id;
	*namelen = paren - id;
	*qual = id - 4 - s;
	return true;
}

/*
 * The memory of a routine's body [s, e): every "instance->ID" in it must name
 * the same ID, used as a member ("&instance->ID", "instance->ID.data"). Its
 * length in *idlen and start in *id, or false.
 */
static bool body_memory(const char *s, const char *e, const char **id, size_t *idlen)
{
	const char *p = s;

	*id = NULL;
	*idlen = 0;
	while ((p = memmem(p, e - p, "instance->", 10))) {
		const char *q = p + 10, *b = q;

		if (p > s && wbpf_ident_char(p[-1])) {
			p = q;
			continue;
		}
		while (q < e && wbpf_ident_char(*q))
			q++;
		if (q == b || (*id && ((size_t)(q - b) != *idlen || memcmp(*id, b, *idlen))))
			return false;
		if (!((p > s && p[-1] == '&') || (q < e && *q == '.')))
			return false;
		*id = b;
		*idlen = q - b;
		p = q;
	}
	return *id != NULL;
}

/* The wrapper of a routine: its fast path, else the original (NAME_wasm). */
static void put_wrapper(struct wbpf_text *t, enum wbpf_libcfn_kind kind, const char *qual,
			size_t quallen, const char *name, size_t namelen, const char *inst,
			const char *mem, size_t memlen)
{
	const int nl = (int)namelen, ml = (int)memlen;

	wbpf_text__printf(
		t,
		"\n/* the guest libc's %s, with a native fast path (docs/abi.md, \"Generated "
		"code\") */\n",
		wbpf_libcfn__kind_str(kind));
	wbpf_text__put(t, qual, quallen);
	switch (kind) {
	case WBPF_LIBC_MEMCPY:
	case WBPF_LIBC_MEMSET:
	case WBPF_LIBC_MEMCHR:
		wbpf_text__printf(t, "u32 %.*s(%s* instance, u32 a, u32 b, u32 n) {\n", nl, name,
				  inst);
		break;
	case WBPF_LIBC_STRLEN:
		wbpf_text__printf(t, "u32 %.*s(%s* instance, u32 a) {\n", nl, name, inst);
		break;
	default:
		break;
	}
	wbpf_text__printf(t,
			  "#if !WABT_BIG_ENDIAN\n"
			  "  wasm_rt_memory_t* m = &instance->%.*s;\n"
			  "  u64 size = (u64)m->pages * 65536;\n",
			  ml, mem);
	switch (kind) {
	case WBPF_LIBC_MEMCPY:
		/* a zero size touches nothing: the known builds return a */
		wbpf_text__puts(t, "  if (!n)\n"
				   "    return a;\n"
				   "  if ((u64)a + n <= size && (u64)b + n <= size &&\n"
				   "      (u32)(a - b) >= n && (u32)(b - a) >= n) {\n"
				   "    memcpy(m->data + a, m->data + b, n);\n"
				   "    return a;\n"
				   "  }\n");
		break;
	case WBPF_LIBC_MEMSET:
		wbpf_text__puts(t, "  if (!n)\n"
				   "    return a;\n"
				   "  if ((u64)a + n <= size) {\n"
				   "    memset(m->data + a, (u8)b, n);\n"
				   "    return a;\n"
				   "  }\n");
		break;
	case WBPF_LIBC_STRLEN:
		wbpf_text__puts(t, "  if (a < size) {\n"
				   "    const u8* z = memchr(m->data + a, 0, size - a);\n"
				   "    if (z)\n"
				   "      return (u32)(z - (m->data + a));\n"
				   "  }\n");
		break;
	case WBPF_LIBC_MEMCHR:
		wbpf_text__puts(t, "  if (!n)\n"
				   "    return 0;\n"
				   "  if (a < size) {\n"
				   "    u64 k = size - a < n ? size - a : n;\n"
				   "    const u8* z = memchr(m->data + a, (u8)b, k);\n"
				   "    if (z)\n"
				   "      return a + (u32)(z - (m->data + a));\n"
				   "    if (k == n)\n"
				   "      return 0;\n"
				   "  }\n");
		break;
	default:
		break;
	}
	wbpf_text__puts(t, "#endif\n");
	if (kind == WBPF_LIBC_STRLEN)
		wbpf_text__printf(t, "  return %.*s_wasm(instance, a);\n}\n", nl, name);
	else
		wbpf_text__printf(t, "  return %.*s_wasm(instance, a, b, n);\n}\n", nl, name);
}

char *wbpf_libcfn__wrap(const struct wbpf_w2c *w, const char *src, size_t len,
			const struct wbpf_libcfns *fns, size_t *outlen, unsigned int *nwrapped)
{
	const char *inst = w->gen == WBPF_W2C_GEN_32 ? "Z_" WBPF_W2C_MODULE "_instance_t"
						     : "w2c_" WBPF_W2C_MODULE;
	const char *end = src + len, *line, *nl;
	struct wbpf_text t = {0};
	unsigned int n = 0;
	char *out;

	for (line = src; line < end; line = nl + 1) {
		const char *name = NULL, *body, *close, *mem, *dnl;
		size_t namelen = 0, qual = 0, memlen;
		unsigned int i;

		nl = wbpf_line_end(line, end);
		for (i = 0; i < fns->n; i++) {
			char marker[64];

			wbpf_libcfn__name(fns, i, marker, sizeof(marker));
			if (routine_start(line, nl, inst, marker, kind_params[fns->fn[i].kind],
					  &name, &namelen, &qual))
				break;
		}
		if (i == fns->n) {
			wbpf_text__put(&t, line, nl - line + (nl < end));
			continue;
		}
		dnl = nl;
		body = nl < end ? nl + 1 : end;
		close = wbpf_func_close(body, end, &nl);
		if (close >= end || !body_memory(body, close, &mem, &memlen)) {
			/* not of the shape expected: as it is */
			wbpf_text__put(&t, line, (close >= end ? end : nl + (nl < end)) - line);
			if (close >= end)
				break;
			continue;
		}
		/* the original, renamed NAME_wasm (static: only the wrapper calls it;
		 * out of line, so that the fast path needs no stack frame) */
		if (fns->fn[i].kind == WBPF_LIBC_STRLEN)
			wbpf_text__printf(
				&t, "static u32 %.*s_wasm(%s*, u32) __attribute__((noinline));\n",
				(int)namelen, name, inst);
		else
			wbpf_text__printf(&t,
					  "static u32 %.*s_wasm(%s*, u32, u32, u32) "
					  "__attribute__((noinline));\n",
					  (int)namelen, name, inst);
		if (qual < 7 || memcmp(line, "static ", 7))
			wbpf_text__puts(&t, "static ");
		wbpf_text__put(&t, line, name + namelen - line);
		wbpf_text__puts(&t, "_wasm");
		wbpf_text__put(&t, name + namelen, dnl - (name + namelen) + (dnl < end));
		wbpf_text__put(&t, body, nl - body + (nl < end));
		put_wrapper(&t, fns->fn[i].kind, line, qual, name, namelen, inst, mem, memlen);
		n++;
	}
	out = wbpf_text__take(&t, outlen);
	if (out)
		*nwrapped = n;
	return out;
}
