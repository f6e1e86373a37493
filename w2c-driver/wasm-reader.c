// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Strict reader of a wasm module's type, import, function, table, memory and
 * export sections. See wasm-reader.h for the contract.
 *
 * Every read goes through struct rd, a cursor that knows the end of the
 * enclosing section: nothing is read past `end`, and the first error wins.
 * Its LEB128 and section reads are those of struct wbpf_wasm_cursor, which
 * the other passes over a module's bytes use too.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasm-reader.h"

/* Larger inputs are refused rather than read into memory. */
#define MAX_FILE_SIZE (1ULL << 30)

struct rd {
	const uint8_t *p;
	const uint8_t *end;
	const char *what; /* "import section", for messages */
	char *err;
	size_t errsz;
};

__attribute__((format(printf, 2, 3))) static int fail(struct rd *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (r->err && r->errsz)
		vsnprintf(r->err, r->errsz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static size_t left(const struct rd *r)
{
	return (size_t)(r->end - r->p);
}

static int truncated(struct rd *r)
{
	return fail(r, "truncated %s", r->what);
}

static int read_u8(struct rd *r, uint8_t *v)
{
	if (r->p >= r->end)
		return truncated(r);
	*v = *r->p++;
	return 0;
}

int wbpf_wasm_cursor__read_leb(struct wbpf_wasm_cursor *c, unsigned int bits, uint64_t *v)
{
	unsigned int max_bytes = (bits + 6) / 7, shift = 0, i;
	uint64_t val = 0;

	for (i = 0; i < max_bytes; i++) {
		uint8_t b;

		if (c->p >= c->end)
			return -ENODATA;
		b = *c->p++;
		if (i == max_bytes - 1) {
			/* the last byte: no continuation, no bits beyond `bits` */
			unsigned int used = bits - shift;

			if ((b & 0x80) || (b >> used))
				return -EOVERFLOW;
		}
		val |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	*v = val;
	return 0;
}

int wbpf_wasm_cursor__read_u32(struct wbpf_wasm_cursor *c, uint32_t *v)
{
	uint64_t x = 0;
	int err = wbpf_wasm_cursor__read_leb(c, 32, &x);

	if (!err)
		*v = (uint32_t)x;
	return err;
}

int wbpf_wasm_cursor__read_bytes(struct wbpf_wasm_cursor *c, uint32_t n, const uint8_t **at)
{
	if ((size_t)(c->end - c->p) < n)
		return -ENODATA;
	if (at)
		*at = c->p;
	c->p += n;
	return 0;
}

int wbpf_wasm_cursor__read_section(struct wbpf_wasm_cursor *c, struct wbpf_wasm_section *s)
{
	int err;

	if (c->p >= c->end)
		return -ENODATA;
	s->start = c->p;
	s->id = *c->p++;
	err = wbpf_wasm_cursor__read_u32(c, &s->size);
	if (err)
		return err;
	s->body = c->p;
	if (wbpf_wasm_cursor__read_bytes(c, s->size, NULL))
		return -EMSGSIZE;
	s->end = c->p;
	return 0;
}

/* The message of a failed cursor read in r. */
static int cursor_fail(struct rd *r, int err)
{
	if (err == -EOVERFLOW)
		return fail(r, "overflowing LEB128 in %s", r->what);
	return truncated(r);
}

/* Unsigned LEB128 of at most `bits` bits (32 or 64). */
static int read_leb(struct rd *r, unsigned int bits, uint64_t *v)
{
	struct wbpf_wasm_cursor c = {r->p, r->end};
	int err = wbpf_wasm_cursor__read_leb(&c, bits, v);

	r->p = c.p;
	return err ? cursor_fail(r, err) : 0;
}

static int read_u32(struct rd *r, uint32_t *v)
{
	uint64_t x = 0;
	int err = read_leb(r, 32, &x);

	if (!err)
		*v = (uint32_t)x;
	return err;
}

/*
 * A count of items of at least min_size bytes each: it cannot exceed the
 * bytes left, which also bounds every allocation by the file size.
 */
static int read_count(struct rd *r, size_t min_size, const char *item, uint32_t *n)
{
	int err = read_u32(r, n);

	if (err)
		return err;
	if (*n > left(r) / min_size)
		return fail(r, "%s count %u exceeds the size of the %s", item, *n, r->what);
	return 0;
}

static bool utf8_ok(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = s[i];
		uint32_t cp;
		size_t n, k;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n > len - i - 1)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += n + 1;
	}
	return true;
}

static int read_name(struct rd *r, struct wbpf_wasm_name *n)
{
	uint32_t len;
	int err = read_u32(r, &len);

	if (err)
		return err;
	if (len > left(r))
		return fail(r, "truncated %s (name length %u exceeds the %zu bytes left)", r->what,
			    len, left(r));
	if (!utf8_ok(r->p, len))
		return fail(r, "malformed UTF-8 name in %s", r->what);
	n->str = malloc((size_t)len + 1);
	if (!n->str)
		return -ENOMEM;
	memcpy(n->str, r->p, len);
	n->str[len] = '\0';
	n->len = len;
	r->p += len;
	return 0;
}

static bool valtype_ok(uint8_t t)
{
	switch (t) {
	case WBPF_WASM_I32:
	case WBPF_WASM_I64:
	case WBPF_WASM_F32:
	case WBPF_WASM_F64:
	case WBPF_WASM_V128:
	case WBPF_WASM_FUNCREF:
	case WBPF_WASM_EXTERNREF:
		return true;
	default:
		return false;
	}
}

static int read_valtypes(struct rd *r, uint32_t *n, uint8_t **out)
{
	uint32_t i;
	int err = read_count(r, 1, "value type", n);

	if (err)
		return err;
	/* one extra byte so a zero count still gets a non-NULL array */
	*out = malloc((size_t)*n + 1);
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < *n; i++) {
		uint8_t t = r->p[i]; /* in range: read_count checked n <= left */

		if (!valtype_ok(t))
			return fail(r, "bad value type 0x%02x in %s", t, r->what);
		(*out)[i] = t;
	}
	r->p += *n;
	return 0;
}

static int read_limits(struct rd *r, bool memory)
{
	uint8_t flags = 0;
	uint64_t v;
	unsigned int bits;
	int err = read_u8(r, &flags);

	if (err)
		return err;
	/* bit 0: has max; memories also 1: shared, 2: 64-bit */
	if (flags > (memory ? 7 : 1))
		return fail(r, "bad limits flags 0x%02x in %s", flags, r->what);
	bits = (flags & 4) ? 64 : 32;
	err = read_leb(r, bits, &v);
	if (!err && (flags & 1))
		err = read_leb(r, bits, &v);
	return err;
}

static int read_reftype(struct rd *r, uint8_t *t)
{
	int err = read_u8(r, t);

	if (err)
		return err;
	if (*t != WBPF_WASM_FUNCREF && *t != WBPF_WASM_EXTERNREF)
		return fail(r, "bad table element type 0x%02x in %s", *t, r->what);
	return 0;
}

static int read_type_section(struct rd *r, struct wbpf_wasm *m)
{
	uint32_t n, i;
	int err = read_count(r, 3, "type", &n);

	if (err)
		return err;
	m->types = calloc((size_t)n + 1, sizeof(*m->types));
	if (!m->types)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct wbpf_wasm_type *t = &m->types[i];
		uint8_t form = 0;

		err = read_u8(r, &form);
		if (err)
			return err;
		if (form != 0x60)
			return fail(r, "unsupported type form 0x%02x in %s", form, r->what);
		m->ntypes = i + 1; /* so free() sees the partly filled entry */
		err = read_valtypes(r, &t->nparams, &t->params);
		if (!err)
			err = read_valtypes(r, &t->nresults, &t->results);
		if (err)
			return err;
	}
	return 0;
}

static int read_import_section(struct rd *r, struct wbpf_wasm *m)
{
	uint32_t n, i;
	int err = read_count(r, 4, "import", &n);

	if (err)
		return err;
	m->imports = calloc((size_t)n + 1, sizeof(*m->imports));
	if (!m->imports)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct wbpf_wasm_import *im = &m->imports[i];
		uint8_t kind = 0, b = 0;
		uint64_t v;

		m->nimports = i + 1;
		err = read_name(r, &im->module);
		if (!err)
			err = read_name(r, &im->name);
		if (!err)
			err = read_u8(r, &kind);
		if (err)
			return err;
		im->kind = kind;
		switch (kind) {
		case WBPF_WASM_KIND_FUNC:
			err = read_u32(r, &im->type_idx);
			if (err)
				return err;
			if (im->type_idx >= m->ntypes)
				return fail(r, "import type index %u out of range (%u types) in %s",
					    im->type_idx, m->ntypes, r->what);
			m->nfunc_imports++;
			break;
		case WBPF_WASM_KIND_TABLE:
			err = read_reftype(r, &im->elem_type);
			if (!err)
				err = read_limits(r, false);
			m->ntable_imports++;
			break;
		case WBPF_WASM_KIND_MEMORY:
			err = read_limits(r, true);
			m->nmemory_imports++;
			break;
		case WBPF_WASM_KIND_GLOBAL:
			err = read_u8(r, &b);
			if (!err && !valtype_ok(b))
				return fail(r, "bad value type 0x%02x in %s", b, r->what);
			if (!err)
				err = read_u8(r, &b);
			if (!err && b > 1)
				return fail(r, "bad global mutability 0x%02x in %s", b, r->what);
			m->nglobal_imports++;
			break;
		case WBPF_WASM_KIND_TAG:
			err = read_u8(r, &b);
			if (!err)
				err = read_leb(r, 32, &v);
			m->ntag_imports++;
			break;
		default:
			return fail(r, "bad import kind 0x%02x in %s", kind, r->what);
		}
		if (err)
			return err;
	}
	return 0;
}

static int read_function_section(struct rd *r, struct wbpf_wasm *m)
{
	uint32_t n, i;
	int err = read_count(r, 1, "function", &n);

	if (err)
		return err;
	m->funcs = calloc((size_t)n + 1, sizeof(*m->funcs));
	if (!m->funcs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		err = read_u32(r, &m->funcs[i]);
		if (err)
			return err;
		if (m->funcs[i] >= m->ntypes)
			return fail(r, "function type index %u out of range (%u types) in %s",
				    m->funcs[i], m->ntypes, r->what);
	}
	m->nfuncs = n;
	return 0;
}

static int read_table_section(struct rd *r, struct wbpf_wasm *m)
{
	uint32_t n, i;
	int err = read_count(r, 3, "table", &n);

	if (err)
		return err;
	m->table_types = calloc((size_t)n + 1, 1);
	if (!m->table_types)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		err = read_reftype(r, &m->table_types[i]);
		if (!err)
			err = read_limits(r, false);
		if (err)
			return err;
	}
	m->ntables = n;
	return 0;
}

static int read_memory_section(struct rd *r, struct wbpf_wasm *m)
{
	uint32_t n, i;
	int err = read_count(r, 2, "memory", &n);

	if (err)
		return err;
	for (i = 0; i < n; i++) {
		err = read_limits(r, true);
		if (err)
			return err;
	}
	m->nmemories = n;
	return 0;
}

/* Global and tag sections: only their counts matter here (export index checks). */
static int read_count_only(struct rd *r, const char *item, uint32_t *n)
{
	int err = read_count(r, 1, item, n);

	r->p = r->end; /* the entries themselves are wasm2c's business */
	return err;
}

static int read_export_section(struct rd *r, struct wbpf_wasm *m)
{
	uint32_t n, i;
	int err = read_count(r, 3, "export", &n);

	if (err)
		return err;
	m->exports = calloc((size_t)n + 1, sizeof(*m->exports));
	if (!m->exports)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct wbpf_wasm_export *ex = &m->exports[i];
		uint64_t limit;
		uint8_t kind = 0;

		m->nexports = i + 1;
		err = read_name(r, &ex->name);
		if (!err)
			err = read_u8(r, &kind);
		if (!err)
			err = read_u32(r, &ex->index);
		if (err)
			return err;
		switch (kind) {
		case WBPF_WASM_KIND_FUNC:
			limit = (uint64_t)m->nfunc_imports + m->nfuncs;
			break;
		case WBPF_WASM_KIND_TABLE:
			limit = (uint64_t)m->ntable_imports + m->ntables;
			break;
		case WBPF_WASM_KIND_MEMORY:
			limit = (uint64_t)m->nmemory_imports + m->nmemories;
			break;
		case WBPF_WASM_KIND_GLOBAL:
			limit = (uint64_t)m->nglobal_imports + m->nglobals;
			break;
		case WBPF_WASM_KIND_TAG:
			limit = (uint64_t)m->ntag_imports + m->ntags;
			break;
		default:
			return fail(r, "bad export kind 0x%02x in %s", kind, r->what);
		}
		ex->kind = kind;
		if (ex->index >= limit) {
			char name[256];

			return fail(r, "export '%s' refers to %s %u, which does not exist",
				    wbpf_wasm_name_str(&ex->name, name, sizeof(name)),
				    wbpf_wasm_kind_str(ex->kind), ex->index);
		}
	}
	return 0;
}

struct section_info {
	const char *name;
	int rank; /* order in which non-custom sections must appear */
};

static const struct section_info sections[] = {
	[0] = {"custom section", 0},   [1] = {"type section", 1},
	[2] = {"import section", 2},   [3] = {"function section", 3},
	[4] = {"table section", 4},    [5] = {"memory section", 5},
	[13] = {"tag section", 6},     [6] = {"global section", 7},
	[7] = {"export section", 8},   [8] = {"start section", 9},
	[9] = {"element section", 10}, [12] = {"data count section", 11},
	[10] = {"code section", 12},   [11] = {"data section", 13},
};

int wbpf_wasm__parse(const uint8_t *buf, size_t len, struct wbpf_wasm *m, char *err, size_t errsz)
{
	static const uint8_t magic[4] = {0x00, 'a', 's', 'm'};
	struct rd file = {buf, buf + len, "module header", err, errsz};
	int last_rank = 0, ret;
	uint32_t version;

	memset(m, 0, sizeof(*m));
	if (err && errsz)
		err[0] = '\0';

	if (len < 4 || memcmp(buf, magic, 4))
		return fail(&file, "not a wasm module (bad magic)");
	if (len < 8)
		return fail(&file, "truncated module header");
	version = buf[4] | buf[5] << 8 | buf[6] << 16 | (uint32_t)buf[7] << 24;
	if (version != 1)
		return fail(&file, "unsupported wasm binary version 0x%x (expected 1%s)", version,
			    version == 0x1000d ? "; components are not supported" : "");
	file.p += 8;

	while (file.p < file.end) {
		struct wbpf_wasm_cursor c = {file.p, file.end};
		struct wbpf_wasm_section s;
		struct rd sec;
		uint8_t id;

		file.what = "section header";
		ret = wbpf_wasm_cursor__read_section(&c, &s);
		file.p = c.p;
		if (ret && ret != -EMSGSIZE)
			return cursor_fail(&file, ret);
		id = s.id;
		if (id >= sizeof(sections) / sizeof(sections[0]) || !sections[id].name)
			return fail(&file, "unknown section id %u", id);
		if (ret)
			return fail(&file,
				    "truncated %s (size %u exceeds the %zu bytes left in the file)",
				    sections[id].name, s.size, left(&file));

		sec = (struct rd){s.body, s.end, sections[id].name, err, errsz};
		if (id != 0) {
			if (sections[id].rank <= last_rank)
				return fail(&sec, "%s out of order or repeated", sec.what);
			last_rank = sections[id].rank;
		}

		switch (id) {
		case 0: {
			struct wbpf_wasm_name name = {0};

			ret = read_name(&sec, &name);
			if (!ret && name.len == 4 && !memcmp(name.str, "name", 4) &&
			    m->nname_sections++ == 0)
				m->names = (struct wbpf_wasm_span){s.start - buf, sec.p - buf,
								   s.end - buf};
			free(name.str);
			sec.p = sec.end;
			break;
		}
		case 1:
			ret = read_type_section(&sec, m);
			break;
		case 2:
			ret = read_import_section(&sec, m);
			break;
		case 3:
			ret = read_function_section(&sec, m);
			break;
		case 4:
			ret = read_table_section(&sec, m);
			break;
		case 5:
			ret = read_memory_section(&sec, m);
			break;
		case 6:
			ret = read_count_only(&sec, "global", &m->nglobals);
			break;
		case 7:
			ret = read_export_section(&sec, m);
			break;
		case 13:
			ret = read_count_only(&sec, "tag", &m->ntags);
			break;
		case 10:
			m->code = (struct wbpf_wasm_span){s.start - buf, s.body - buf, s.end - buf};
			sec.p = sec.end; /* the bodies are wasm2c's to check */
			ret = 0;
			break;
		default:
			sec.p = sec.end; /* start, element, data count, data */
			ret = 0;
			break;
		}
		if (ret)
			return ret;
		if (sec.p != sec.end)
			return fail(&sec, "%s has %zu unexpected trailing bytes", sec.what,
				    left(&sec));
	}
	return 0;
}

int wbpf_wasm__parse_file(const char *path, struct wbpf_wasm *m, char *err, size_t errsz)
{
	return wbpf_wasm__load_file(path, m, NULL, NULL, err, errsz);
}

int wbpf_wasm__load_file(const char *path, struct wbpf_wasm *m, uint8_t **bytes, size_t *len,
			 char *err, size_t errsz)
{
	uint8_t *buf = NULL;
	struct stat st;
	size_t size, got = 0;
	int fd, ret;

	memset(m, 0, sizeof(*m));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errsz, "cannot open: %s", strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		snprintf(err, errsz, "cannot stat: %s", strerror(-ret));
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		snprintf(err, errsz, "not a regular file");
		goto cleanup;
	}
	if ((unsigned long long)st.st_size > MAX_FILE_SIZE) {
		ret = -EFBIG;
		snprintf(err, errsz, "file too large (%lld bytes)", (long long)st.st_size);
		goto cleanup;
	}
	size = (size_t)st.st_size;
	buf = malloc(size + 1);
	if (!buf) {
		ret = -ENOMEM;
		snprintf(err, errsz, "out of memory");
		goto cleanup;
	}
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(err, errsz, "cannot read: %s", strerror(-ret));
			goto cleanup;
		}
		if (n == 0)
			break; /* shrank while reading: parse what is there */
		got += (size_t)n;
	}
	ret = wbpf_wasm__parse(buf, got, m, err, errsz);
	if (ret == -ENOMEM)
		snprintf(err, errsz, "out of memory");
	if (!ret && bytes) {
		*bytes = buf;
		*len = got;
		buf = NULL;
	}
cleanup:
	free(buf);
	close(fd);
	return ret;
}

void wbpf_wasm__free(struct wbpf_wasm *m)
{
	uint32_t i;

	if (!m)
		return;
	for (i = 0; m->types && i < m->ntypes; i++) {
		free(m->types[i].params);
		free(m->types[i].results);
	}
	for (i = 0; m->imports && i < m->nimports; i++) {
		free(m->imports[i].module.str);
		free(m->imports[i].name.str);
	}
	for (i = 0; m->exports && i < m->nexports; i++)
		free(m->exports[i].name.str);
	free(m->types);
	free(m->imports);
	free(m->funcs);
	free(m->table_types);
	free(m->exports);
	memset(m, 0, sizeof(*m));
}

const struct wbpf_wasm_type *wbpf_wasm__func_type(const struct wbpf_wasm *m, uint32_t func_idx)
{
	uint32_t i, n = 0, type_idx;

	if (func_idx < m->nfunc_imports) {
		for (i = 0; i < m->nimports; i++) {
			if (m->imports[i].kind != WBPF_WASM_KIND_FUNC)
				continue;
			if (n++ == func_idx)
				return &m->types[m->imports[i].type_idx];
		}
		return NULL;
	}
	func_idx -= m->nfunc_imports;
	if (func_idx >= m->nfuncs)
		return NULL;
	type_idx = m->funcs[func_idx];
	return type_idx < m->ntypes ? &m->types[type_idx] : NULL;
}

const struct wbpf_wasm_export *wbpf_wasm__find_export(const struct wbpf_wasm *m, const char *name)
{
	size_t len = strlen(name);
	uint32_t i;

	for (i = 0; i < m->nexports; i++) {
		const struct wbpf_wasm_name *n = &m->exports[i].name;

		if (n->len == len && !memcmp(n->str, name, len))
			return &m->exports[i];
	}
	return NULL;
}

const char *wbpf_wasm_kind_str(enum wbpf_wasm_kind kind)
{
	switch (kind) {
	case WBPF_WASM_KIND_FUNC:
		return "function";
	case WBPF_WASM_KIND_TABLE:
		return "table";
	case WBPF_WASM_KIND_MEMORY:
		return "memory";
	case WBPF_WASM_KIND_GLOBAL:
		return "global";
	case WBPF_WASM_KIND_TAG:
		return "tag";
	}
	return "unknown";
}

const char *wbpf_wasm_valtype_str(uint8_t t)
{
	static char buf[8];

	switch (t) {
	case WBPF_WASM_I32:
		return "i32";
	case WBPF_WASM_I64:
		return "i64";
	case WBPF_WASM_F32:
		return "f32";
	case WBPF_WASM_F64:
		return "f64";
	case WBPF_WASM_V128:
		return "v128";
	case WBPF_WASM_FUNCREF:
		return "funcref";
	case WBPF_WASM_EXTERNREF:
		return "externref";
	}
	snprintf(buf, sizeof(buf), "0x%02x", t);
	return buf;
}

static void append(char *buf, size_t bufsz, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos >= bufsz)
		return;
	if (n > bufsz - 1 - *pos)
		n = bufsz - 1 - *pos;
	memcpy(buf + *pos, s, n);
	*pos += n;
	buf[*pos] = '\0';
}

static void append_list(char *buf, size_t bufsz, size_t *pos, const uint8_t *t, uint32_t n,
			bool parens)
{
	uint32_t i;

	if (parens)
		append(buf, bufsz, pos, "(");
	for (i = 0; i < n; i++) {
		if (i)
			append(buf, bufsz, pos, ", ");
		append(buf, bufsz, pos, wbpf_wasm_valtype_str(t[i]));
	}
	if (parens)
		append(buf, bufsz, pos, ")");
}

char *wbpf_wasm_type_str(const struct wbpf_wasm_type *t, char *buf, size_t bufsz)
{
	size_t pos = 0;

	if (!bufsz)
		return buf;
	buf[0] = '\0';
	append_list(buf, bufsz, &pos, t->params, t->nparams, true);
	append(buf, bufsz, &pos, " -> ");
	append_list(buf, bufsz, &pos, t->results, t->nresults, t->nresults != 1);
	return buf;
}

char *wbpf_wasm_name_str(const struct wbpf_wasm_name *n, char *buf, size_t bufsz)
{
	size_t pos = 0;
	uint32_t i;

	if (!bufsz)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < n->len; i++) {
		unsigned char c = (unsigned char)n->str[i];
		char tmp[8];

		if (pos > 200) {
			append(buf, bufsz, &pos, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
			snprintf(tmp, sizeof(tmp), "%c", c);
		else
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		append(buf, bufsz, &pos, tmp);
	}
	return buf;
}
