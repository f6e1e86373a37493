/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A small, strict reader of the parts of a wasm module the driver needs before
 * it hands the module to wasm2c: the type, import, function, table, memory and
 * export sections. Every other section is skipped after its bounds are checked.
 *
 * The reader never reads outside the buffer it is given: every LEB128 is
 * checked for overflow and truncation, every section size against the bytes
 * left in the file, every count against the bytes left in its section, every
 * name length against the bytes left and its bytes for valid UTF-8. Any
 * malformed input yields -EINVAL and a one-line lowercase reason such as
 * "truncated import section" or "not a wasm module (bad magic)".
 *
 * It does not validate function bodies; wasm2c does that.
 */
#ifndef WBPF_WASM_READER_H
#define WBPF_WASM_READER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Value types, as encoded in the binary format. */
#define WBPF_WASM_I32 0x7f
#define WBPF_WASM_I64 0x7e
#define WBPF_WASM_F32 0x7d
#define WBPF_WASM_F64 0x7c
#define WBPF_WASM_V128 0x7b
#define WBPF_WASM_FUNCREF 0x70
#define WBPF_WASM_EXTERNREF 0x6f

/* Import/export kinds. */
enum wbpf_wasm_kind {
	WBPF_WASM_KIND_FUNC = 0,
	WBPF_WASM_KIND_TABLE = 1,
	WBPF_WASM_KIND_MEMORY = 2,
	WBPF_WASM_KIND_GLOBAL = 3,
	WBPF_WASM_KIND_TAG = 4,
};

struct wbpf_wasm_type {
	uint32_t nparams;
	uint32_t nresults;
	uint8_t *params;  /* value type bytes */
	uint8_t *results; /* value type bytes */
};

/* A name from the module: len bytes of UTF-8 (which may include NUL), plus a
 * terminating NUL that is not counted in len. */
struct wbpf_wasm_name {
	char *str;
	uint32_t len;
};

struct wbpf_wasm_import {
	struct wbpf_wasm_name module;
	struct wbpf_wasm_name name;
	enum wbpf_wasm_kind kind;
	uint32_t type_idx; /* functions only; checked < ntypes */
	uint8_t elem_type; /* tables only */
};

struct wbpf_wasm_export {
	struct wbpf_wasm_name name;
	enum wbpf_wasm_kind kind;
	uint32_t index; /* checked against the space of its kind */
};

/*
 * Where a section lies in the module's bytes, as offsets from the start of the
 * module: all 0 for a section the module does not have.
 */
struct wbpf_wasm_span {
	size_t start; /* its id byte */
	size_t body;  /* its contents; for a custom section, what follows its name */
	size_t end;   /* one past its last byte */
};

struct wbpf_wasm {
	struct wbpf_wasm_type *types;
	uint32_t ntypes;
	struct wbpf_wasm_import *imports;
	uint32_t nimports;
	uint32_t nfunc_imports; /* function index space starts with these */
	uint32_t ntable_imports;
	uint32_t nmemory_imports;
	uint32_t nglobal_imports;
	uint32_t ntag_imports;
	uint32_t *funcs; /* type index of each defined function */
	uint32_t nfuncs;
	uint8_t *table_types; /* element type of each defined table */
	uint32_t ntables;
	uint32_t nmemories; /* defined memories */
	uint32_t nglobals;  /* defined globals */
	uint32_t ntags;	    /* defined tags */
	struct wbpf_wasm_export *exports;
	uint32_t nexports;
	struct wbpf_wasm_span code;  /* the code section */
	struct wbpf_wasm_span names; /* the first custom section named "name" */
	uint32_t nname_sections;     /* custom sections named "name" */
};

/*
 * Parse the module in buf[0, len). On success returns 0 and fills *m (free it
 * with wbpf_wasm__free()). On malformed input returns -EINVAL and writes a
 * one-line reason (no trailing newline) to err; -ENOMEM when out of memory.
 * *m is always safe to pass to wbpf_wasm__free(), even after a failure.
 */
int wbpf_wasm__parse(const uint8_t *buf, size_t len, struct wbpf_wasm *m, char *err, size_t errsz);

/*
 * Read the file at path and parse it. Returns 0, -EINVAL (malformed, err
 * says why), -ENOMEM, or the -errno of open/read (err says which).
 */
int wbpf_wasm__parse_file(const char *path, struct wbpf_wasm *m, char *err, size_t errsz);

/* wbpf_wasm__parse_file(), and on success the file's bytes in a malloc'd
 * *bytes (*len of them) for the caller to free. */
int wbpf_wasm__load_file(const char *path, struct wbpf_wasm *m, uint8_t **bytes, size_t *len,
			 char *err, size_t errsz);

void wbpf_wasm__free(struct wbpf_wasm *m);

/* The type of function func_idx (imported or defined), or NULL if none. */
const struct wbpf_wasm_type *wbpf_wasm__func_type(const struct wbpf_wasm *m, uint32_t func_idx);

/* The first export of that name, or NULL. */
const struct wbpf_wasm_export *wbpf_wasm__find_export(const struct wbpf_wasm *m, const char *name);

/* Name of a kind ("function", "table", "memory", "global", "tag"). */
const char *wbpf_wasm_kind_str(enum wbpf_wasm_kind kind);

/* Name of a value type ("i32", ...; "0xNN" for anything else, in a static buffer). */
const char *wbpf_wasm_valtype_str(uint8_t t);

/*
 * Write a function type as "(i32, i32) -> i64", "() -> ()", or
 * "(i32) -> (i32, i64)" into buf. Returns buf.
 */
char *wbpf_wasm_type_str(const struct wbpf_wasm_type *t, char *buf, size_t bufsz);

/*
 * Write a module name for messages: printable ASCII as is, every other byte
 * (and backslash and quote) as \xNN, truncated with "..." past ~200 bytes.
 * Returns buf.
 */
char *wbpf_wasm_name_str(const struct wbpf_wasm_name *n, char *buf, size_t bufsz);

/*
 * A cursor over bytes of a module, [p, end), for the passes that read more of
 * a module than struct wbpf_wasm keeps (libcfn.c reads the code and name
 * sections with it). The reads below are the ones wbpf_wasm__parse() uses:
 * none reads at or past end. After a failed read c->p is not specified.
 */
struct wbpf_wasm_cursor {
	const uint8_t *p;
	const uint8_t *end;
};

/*
 * An unsigned LEB128 of at most bits bits (32 or 64) at c->p, which moves
 * past it. 0; -ENODATA when it runs into c->end; -EOVERFLOW when it is longer
 * than such a number can be or has bits set beyond bits.
 */
int wbpf_wasm_cursor__read_leb(struct wbpf_wasm_cursor *c, unsigned int bits, uint64_t *v);

/* wbpf_wasm_cursor__read_leb() of 32 bits, into a uint32_t. */
int wbpf_wasm_cursor__read_u32(struct wbpf_wasm_cursor *c, uint32_t *v);

/* n bytes at c->p: *at (when at is not NULL) points at them and c->p moves
 * past them. 0, or -ENODATA when fewer than n are left. */
int wbpf_wasm_cursor__read_bytes(struct wbpf_wasm_cursor *c, uint32_t n, const uint8_t **at);

/* A section, or a subsection of the name section: an id byte, a u32 size,
 * then that many bytes. */
struct wbpf_wasm_section {
	uint8_t id;
	uint32_t size;
	const uint8_t *start; /* its id byte */
	const uint8_t *body;  /* its contents */
	const uint8_t *end;   /* body + size */
};

/*
 * The section at c->p into *s; c->p moves past it. 0; -ENODATA when c->p is
 * at c->end or the id or size is cut; -EOVERFLOW when the size is not a u32
 * LEB128; -EMSGSIZE when the size exceeds the bytes left (s->id, s->size,
 * s->start and s->body are then set, and c->p is s->body).
 */
int wbpf_wasm_cursor__read_section(struct wbpf_wasm_cursor *c, struct wbpf_wasm_section *s);

#ifdef __cplusplus
}
#endif

#endif /* WBPF_WASM_READER_H */
