// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * wasmbpf-skel: BPF object -> skeleton header for Wasm-eBPF guests.
 *
 * The header embeds the object's bytes, declares struct NAME with its maps,
 * programs and global data (.rodata, .data, .bss) laid out for wasm32, and
 * the NAME__open/__load/__attach/__destroy functions on libbpf-wasm.h.
 * Layouts come from the object's BTF: every member is placed at its BTF
 * offset with explicit padding, pointers become uint64_t, integers become
 * fixed-width types, and _Static_asserts check every size and offset, so a
 * wasm32 compiler that disagrees refuses to build instead of reading garbage.
 *
 * --types emits the same wasm32 layout for named BTF types (event structs
 * shared with the BPF side). Output is deterministic (no time, no path).
 *
 * As in bpftool's gen.c, the header is written one section at a time
 * (emit_struct, emit_layout_checks, emit_create_skeleton, emit_open, ...:
 * see emit_skeleton), each from templates whose {{names}} tmpl() fills in,
 * with the maps, programs and sections indexed once (index_object).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define PROG "wasmbpf-skel"

enum sec_kind { SEC_RODATA, SEC_DATA, SEC_BSS, SEC_KCONFIG, SEC_CNT };

#ifndef WBPF_VERSION
#define WBPF_VERSION "0.1.0"
#endif

static const char *const sec_names[SEC_CNT] = {".rodata", ".data", ".bss", ".kconfig"};
static const char *const sec_idents[SEC_CNT] = {"rodata", "data", "bss", "kconfig"};

struct layout {
	bool done;
	bool busy;
	bool packed;
	int align;
};

/* A global-data section: what the ELF file, the BTF and libbpf's maps say of it. */
struct sec_info {
	unsigned long off;  /* ELF file offset, 0: no such section (or SHT_NOBITS) */
	unsigned long size; /* ELF section size */
	int datasec_id;	    /* BTF DATASEC with variables, 0: none */
	bool has_map;	    /* libbpf made an internal map of it */
	bool in_struct;	    /* struct NAME has a pointer to its mmaped data */
	char *tag;	    /* "struct NAME__rodata" when in_struct */
};

/* A map as the skeleton shows it: obj->maps.IDENT, s->maps[i].name = "NAME". */
struct skel_map {
	const char *ident; /* the map's own name, or the section's ("rodata") */
	const char *name;  /* what libbpf finds it by: its own name, or ".rodata" */
	int kind;	   /* SEC_* of an internal map, -1: a map of its own */
	__u32 type, key_sz, value_sz;
};

/*
 * A name a template can use: {{key}} becomes str, or num in decimal when str
 * is NULL. Lists end with an entry whose key is NULL.
 */
struct tvar {
	const char *key;
	const char *str;
	long long num;
};

#define TSTR(k, v) ((struct tvar){.key = (k), .str = (v)})
#define TNUM(k, v) ((struct tvar){.key = (k), .num = (long long)(v)})
#define VARS(...) ((const struct tvar[]){__VA_ARGS__, {.key = NULL}})

struct gen {
	const char *name; /* identifier: struct NAME, NAME__open() */
	const char *file; /* input file, as given (for messages) */
	const char *base; /* its basename (for the header comment) */
	char *guard;	  /* NAME in upper case, for include guards */
	/* what every template sees: {{obj}}, {{OBJ}}, {{tool}}, {{file}} */
	struct tvar vars[5];
	unsigned char *bytes;
	size_t size;
	struct bpf_object *obj;
	const struct btf *btf;
	FILE *out;
	int err; /* first template error; the header is dropped when set */
	struct layout *lay;
	bool *emitted;
	unsigned int pad_cnt;
	struct sec_info sec[SEC_CNT];
	struct skel_map *maps; /* in the object's order, custom .data.NAME left out */
	int map_cnt;
	const char **progs; /* program names, in the object's order */
	int prog_cnt;
	char *checks; /* --check: the guest's own types to check, or NULL */
};

static int errorf(const struct gen *g, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", PROG, g->file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	fprintf(stderr, "%s: libbpf: ", PROG);
	return vfprintf(stderr, fmt, args);
}

static const struct tvar *find_var(const struct tvar *vars, const char *key, size_t len)
{
	for (; vars && vars->key; vars++)
		if (strlen(vars->key) == len && strncmp(vars->key, key, len) == 0)
			return vars;
	return NULL;
}

/*
 * Write a template: text with every {{key}} replaced by its value in vars
 * (NULL: none of its own) or else in g->vars. Values are not scanned again.
 * An unknown key is a bug of this generator: g->err is set and the output
 * is dropped.
 */
static void tmpl(struct gen *g, const char *text, const struct tvar *vars)
{
	const char *open, *close;
	const struct tvar *v;
	size_t len;

	while ((open = strstr(text, "{{"))) {
		fwrite(text, 1, (size_t)(open - text), g->out);
		close = strstr(open + 2, "}}");
		len = close ? (size_t)(close - open - 2) : strlen(open + 2);
		v = find_var(vars, open + 2, len);
		if (!v)
			v = find_var(g->vars, open + 2, len);
		if (!close || !v) {
			if (!g->err)
				g->err = errorf(g, "internal error: template name '%.*s' unknown",
						(int)len, open + 2);
			return;
		}
		if (v->str)
			fputs(v->str, g->out);
		else
			fprintf(g->out, "%lld", v->num);
		text = close + 2;
	}
	fputs(text, g->out);
}

/* The C keyword that names a type of t's kind: "struct", "union", "enum", or "" (typedef). */
static const char *keyword(const struct btf_type *t)
{
	if (btf_is_struct(t))
		return "struct";
	if (btf_is_union(t))
		return "union";
	return btf_is_enum(t) || btf_is_enum64(t) ? "enum" : "";
}

/* How C names the named type t: "struct event", or a typedef's name. */
static void type_tag(const struct btf *btf, const struct btf_type *t, char *buf, size_t sz)
{
	const char *kw = keyword(t);

	snprintf(buf, sz, "%s%s%s", kw, *kw ? " " : "", btf__name_by_offset(btf, t->name_off));
}

static void indent(FILE *f, int n)
{
	while (n-- > 0)
		fputc('\t', f);
}

static bool is_ident(const char *s)
{
	if (!s || !*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* Skip typedefs and qualifiers: the layout is all that matters here. */
static const struct btf_type *resolve(const struct btf *btf, __u32 id, __u32 *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (res_id)
		*res_id = id;
	return t;
}

static bool member_is_bitfield(const struct btf *btf, const struct btf_type *t, int i)
{
	const struct btf_member *m = btf_members(t) + i;
	const struct btf_type *mt;

	if (btf_member_bitfield_size(t, i))
		return true;
	if (btf_kflag(t))
		return false;
	/* old encoding: the bit size sits in the INT type */
	mt = resolve(btf, m->type, NULL);
	return mt && btf_is_int(mt) &&
	       (btf_int_offset(mt) || btf_int_bits(mt) != mt->size * 8 || m->offset % 8);
}

static __u32 member_bits(const struct btf *btf, const struct btf_type *t, int i)
{
	const struct btf_member *m = btf_members(t) + i;
	const struct btf_type *mt;

	if (btf_member_bitfield_size(t, i))
		return btf_member_bitfield_size(t, i);
	mt = resolve(btf, m->type, NULL);
	return btf_is_int(mt) ? btf_int_bits(mt) : mt->size * 8;
}

static int layout_of(struct gen *g, __u32 id);

/* Alignment of the wasm32 rendering of type id, or a negative errno. */
static int align_of(struct gen *g, __u32 id)
{
	const struct btf_type *t = resolve(g->btf, id, &id);

	if (!t)
		return errorf(g, "bad BTF type id %u", id);
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		return t->size ? (int)t->size : 1;
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_ARRAY:
		return align_of(g, btf_array(t)->type);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return layout_of(g, id);
	default:
		return errorf(g, "type id %u (kind %u) has no data layout", id, btf_kind(t));
	}
}

/*
 * Decide how struct/union id is rendered: natural (explicit padding is
 * enough) or packed (some member sits where wasm32 would not put it).
 * Returns the rendering's alignment.
 */
static int layout_of(struct gen *g, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(g->btf, id);
	const struct btf_member *m = btf_members(t);
	struct layout *l = &g->lay[id];
	int i, a, align = 1;
	bool packed = false;

	if (l->done)
		return l->align;
	if (l->busy)
		return errorf(g, "type id %u contains itself", id);
	l->busy = true;
	for (i = 0; i < btf_vlen(t); i++, m++) {
		__u32 off = btf_member_bit_offset(t, i);

		if (member_is_bitfield(g->btf, t, i))
			continue; /* rendered as bytes: alignment 1 */
		a = align_of(g, m->type);
		if (a < 0)
			return a;
		if (off % 8 || (off / 8) % a)
			packed = true;
		if (a > align)
			align = a;
	}
	if (t->size % align)
		packed = true;
	l->busy = false;
	l->done = true;
	l->packed = packed;
	l->align = packed ? 1 : align;
	return l->align;
}

static const char *int_name(const struct btf *btf, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(btf, t->name_off);
	bool sign = btf_is_int(t)			 ? (btf_int_encoding(t) & BTF_INT_SIGNED)
		    : btf_is_enum(t) || btf_is_enum64(t) ? btf_kflag(t)
							 : false;

	if (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL) && t->size == 1)
		return "bool";
	if (btf_is_int(t) && t->size == 1 && strcmp(name, "char") == 0)
		return "char";
	switch (t->size) {
	case 1:
		return sign ? "int8_t" : "uint8_t";
	case 2:
		return sign ? "int16_t" : "uint16_t";
	case 4:
		return sign ? "int32_t" : "uint32_t";
	case 8:
		return sign ? "int64_t" : "uint64_t";
	case 16:
		return sign ? "__int128" : "unsigned __int128";
	default:
		return NULL;
	}
}

static int emit_body(struct gen *g, __u32 id, int ind);

/* As resolve(), but stop at a typedef this header already defined. */
static const struct btf_type *resolve_emitted(struct gen *g, __u32 id, __u32 *res_id)
{
	const struct btf_type *t = btf__type_by_id(g->btf, id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t)) &&
	       !(btf_is_typedef(t) && g->emitted[id])) {
		id = t->type;
		t = btf__type_by_id(g->btf, id);
	}
	*res_id = id;
	return t;
}

/*
 * Print "SPEC NAME[dims];" for a member or variable of type id. Anonymous
 * structs and unions are printed inline.
 */
static int emit_field(struct gen *g, __u32 id, const char *name, int ind)
{
	char dims[256] = "";
	const struct btf_type *t;
	const char *spec = NULL, *tname;
	size_t n = 0;
	int err;

	t = resolve_emitted(g, id, &id);
	while (t && btf_is_array(t)) {
		n += snprintf(dims + n, sizeof(dims) - n, "[%u]", btf_array(t)->nelems);
		if (n >= sizeof(dims))
			return errorf(g, "array of '%s' has too many dimensions", name);
		t = resolve_emitted(g, btf_array(t)->type, &id);
	}
	if (!t)
		return errorf(g, "bad BTF type of '%s'", name);
	tname = btf__name_by_offset(g->btf, t->name_off);
	indent(g->out, ind);
	if (btf_is_typedef(t)) {
		/* a typedef this header defines (--types): keep its name */
		fprintf(g->out, "%s %s%s;\n", tname, name, dims);
		return 0;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		spec = int_name(g->btf, t);
		break;
	case BTF_KIND_PTR:
		spec = "uint64_t"; /* a BPF-side pointer: 8 bytes, never a wasm32 pointer */
		break;
	case BTF_KIND_FLOAT:
		spec = t->size == 4 ? "float" : t->size == 8 ? "double" : NULL;
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (tname && *tname) {
			fprintf(g->out, "%s %s %s%s;\n", keyword(t), tname, name, dims);
			return 0;
		}
		layout_of(g, id);
		fprintf(g->out, "%s %s", keyword(t),
			g->lay[id].packed ? "__attribute__((packed)) " : "");
		err = emit_body(g, id, ind);
		if (err)
			return err;
		fprintf(g->out, "%s%s%s;\n", *name ? " " : "", name, dims);
		return 0;
	default:
		break;
	}
	if (!spec)
		return errorf(g, "'%s': type id %u (kind %u, size %u) has no wasm32 rendering",
			      name, id, btf_kind(t), t->size);
	fprintf(g->out, "%s %s%s;\n", spec, name, dims);
	return 0;
}

static void emit_pad(struct gen *g, unsigned long n, int ind, const char *what)
{
	if (!n)
		return;
	indent(g->out, ind);
	fprintf(g->out, "uint8_t __%s_%u[%lu];\n", what, g->pad_cnt++, n);
}

/* "{ members }" of struct/union id, with explicit padding. */
static int emit_body(struct gen *g, __u32 id, int ind)
{
	const struct btf_type *t = btf__type_by_id(g->btf, id);
	const struct btf_member *m = btf_members(t);
	unsigned long cur = 0, max = 0;
	int i, j, err, vlen = btf_vlen(t);

	fprintf(g->out, "{\n");
	for (i = 0; i < vlen; i++) {
		const char *mname = btf__name_by_offset(g->btf, m[i].name_off);
		unsigned long off = btf_member_bit_offset(t, i) / 8, end;

		if (member_is_bitfield(g->btf, t, i)) {
			/* a run of bitfields becomes the bytes that hold it */
			unsigned long bit_end = 0;

			for (j = i; j < vlen && member_is_bitfield(g->btf, t, j); j++) {
				unsigned long e =
					btf_member_bit_offset(t, j) + member_bits(g->btf, t, j);
				if (e > bit_end)
					bit_end = e;
				if (btf_is_union(t))
					break;
			}
			end = (bit_end + 7) / 8;
			if (btf_is_union(t))
				off = 0;
			else if (off > cur)
				emit_pad(g, off - cur, ind + 1, "pad");
			else
				off = cur;
			emit_pad(g, end - off, ind + 1, "bitfield");
			if (btf_is_struct(t))
				cur = end;
			if (end > max)
				max = end;
			i = btf_is_union(t) ? j : j - 1;
			continue;
		}
		if (btf_is_struct(t)) {
			if (off < cur)
				return errorf(g, "member '%s' of type id %u overlaps", mname, id);
			emit_pad(g, off - cur, ind + 1, "pad");
		}
		err = emit_field(g, m[i].type, mname, ind + 1);
		if (err)
			return err;
		end = off + btf__resolve_size(g->btf, m[i].type);
		if (btf_is_struct(t))
			cur = end;
		if (end > max)
			max = end;
	}
	if (btf_is_struct(t))
		emit_pad(g, t->size - cur, ind + 1, "pad");
	else if (t->size > max)
		emit_pad(g, t->size, ind + 1, "pad");
	indent(g->out, ind);
	fprintf(g->out, "}");
	return 0;
}

/*
 * The _Static_assert texts, with {{tag}} (the type: "struct event"), {{path}}
 * (a member: "a.b"), {{off}} and {{size}}: those of the layouts this header
 * defines, and those of --check, which speak to whoever wrote the guest's own
 * definition (wasm32's long and pointers are 4 bytes, the BPF target's 8).
 */
struct assert_text {
	const char *size;	 /* of the whole type */
	const char *offset;	 /* of a member */
	const char *member_size; /* of a member */
};

static const struct assert_text layout_asserts = {
	.size = "_Static_assert(sizeof({{tag}}) == {{size}}, \"size of {{tag}}\");\n",
	.offset = "_Static_assert(offsetof({{tag}}, {{path}}) == {{off}}, "
		  "\"offset of {{path}} in {{tag}}\");\n",
	.member_size = "_Static_assert(sizeof((({{tag}} *)0)->{{path}}) == {{size}}, "
		       "\"size of {{path}} in {{tag}}\");\n",
};

#define FIXED_WIDTH_HINT "(use fixed-width types: __u64, not long or pointers)"

static const struct assert_text check_asserts = {
	.size = "_Static_assert(sizeof({{tag}}) == {{size}}, "
		"\"{{tag}} is {{size}} bytes on the BPF side " FIXED_WIDTH_HINT "\");\n",
	.offset = "_Static_assert(offsetof({{tag}}, {{path}}) == {{off}}, \"{{tag}}: member "
		  "'{{path}}' is at offset {{off}} on the BPF side " FIXED_WIDTH_HINT "\");\n",
	.member_size =
		"_Static_assert(sizeof((({{tag}} *)0)->{{path}}) == {{size}}, \"{{tag}}: "
		"member '{{path}}' is {{size}} bytes on the BPF side " FIXED_WIDTH_HINT "\");\n",
};

static void emit_size_assert(struct gen *g, const struct assert_text *at, const char *tag,
			     long long size)
{
	tmpl(g, at->size, VARS(TSTR("tag", tag), TNUM("size", size)));
}

static void emit_offset_asserts(struct gen *g, const struct assert_text *at, const char *tag,
				const char *path, unsigned long off, long long size)
{
	const struct tvar *vars =
		VARS(TSTR("tag", tag), TSTR("path", path), TNUM("off", off), TNUM("size", size));

	tmpl(g, at->offset, vars);
	tmpl(g, at->member_size, vars);
}

/*
 * Offset and size asserts on every named member of struct/union id, through
 * anonymous ones; bitfields have no offsetof (the size assert covers them).
 */
static void emit_member_asserts(struct gen *g, const struct assert_text *at, const char *tag,
				__u32 id, const char *prefix, unsigned long base)
{
	const struct btf_type *t = btf__type_by_id(g->btf, id);
	const struct btf_member *m = btf_members(t);
	char path[512];
	int i;

	for (i = 0; i < btf_vlen(t); i++) {
		const char *mname = btf__name_by_offset(g->btf, m[i].name_off);
		unsigned long off = base + btf_member_bit_offset(t, i) / 8;
		const struct btf_type *mt;
		__u32 mid;

		if (member_is_bitfield(g->btf, t, i))
			continue;
		mt = resolve(g->btf, m[i].type, &mid);
		snprintf(path, sizeof(path), "%s%s", prefix, mname);
		if (*mname)
			emit_offset_asserts(g, at, tag, path, off, btf__resolve_size(g->btf, mid));
		if ((btf_is_struct(mt) || btf_is_union(mt)) && !mt->name_off) {
			char sub[520];

			snprintf(sub, sizeof(sub), "%s%s", path, *mname ? "." : "");
			emit_member_asserts(g, at, tag, mid, sub, off);
		}
	}
}

static int emit_named_type(struct gen *g, __u32 id);

/* Emit the named structs/unions that type id holds by value, before it. */
static int emit_deps(struct gen *g, __u32 id)
{
	const struct btf_type *t = resolve(g->btf, id, &id);
	const struct btf_member *m;
	int i, err;

	while (t && btf_is_array(t))
		t = resolve(g->btf, btf_array(t)->type, &id);
	if (!t || !(btf_is_struct(t) || btf_is_union(t)))
		return 0;
	if (t->name_off)
		return emit_named_type(g, id);
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++) {
		err = emit_deps(g, m[i].type);
		if (err)
			return err;
	}
	return 0;
}

static void emit_enum(struct gen *g, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(g->btf, t->name_off);
	int i;

	fprintf(g->out, "enum %s%s{\n", name, *name ? " " : "");
	for (i = 0; i < btf_vlen(t); i++) {
		const char *vname;
		long long v;

		if (btf_is_enum(t)) {
			vname = btf__name_by_offset(g->btf, btf_enum(t)[i].name_off);
			v = btf_kflag(t) ? (long long)btf_enum(t)[i].val
					 : (long long)(__u32)btf_enum(t)[i].val;
		} else {
			vname = btf__name_by_offset(g->btf, btf_enum64(t)[i].name_off);
			v = (long long)btf_enum64_value(btf_enum64(t) + i);
		}
		fprintf(g->out, "\t%s = %lld%s,\n", vname, v, v > INT32_MAX ? "LL" : "");
	}
	fprintf(g->out, "};\n\n");
}

/* Definition of a named struct, union, enum or typedef, with its asserts. */
static int emit_named_type(struct gen *g, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(g->btf, id);
	const char *name = btf__name_by_offset(g->btf, t->name_off);
	char tag[300];
	int i, err;

	if (g->emitted[id])
		return 0;
	g->emitted[id] = true;

	if (btf_is_enum(t) || btf_is_enum64(t)) {
		emit_enum(g, t);
		return 0;
	}
	if (btf_is_typedef(t)) {
		__u32 rid;
		const struct btf_type *rt = resolve(g->btf, t->type, &rid);

		/* the constants of an enum, named or not, stay usable */
		if (rt && (btf_is_enum(rt) || btf_is_enum64(rt))) {
			err = emit_named_type(g, rid);
			if (err)
				return err;
		}
		err = emit_deps(g, t->type);
		if (err)
			return err;
		fprintf(g->out, "typedef ");
		g->pad_cnt = 0;
		err = emit_field(g, t->type, name, 0);
		if (err)
			return err;
		emit_size_assert(g, &layout_asserts, name, btf__resolve_size(g->btf, id));
		fprintf(g->out, "\n");
		return 0;
	}
	if (!btf_is_struct(t) && !btf_is_union(t))
		return errorf(g, "type '%s' is not a struct, union, enum or typedef", name);

	for (i = 0; i < btf_vlen(t); i++) {
		err = emit_deps(g, btf_members(t)[i].type);
		if (err)
			return err;
	}
	err = layout_of(g, id);
	if (err < 0)
		return err;
	type_tag(g->btf, t, tag, sizeof(tag));
	fprintf(g->out, "%s %s%s ", keyword(t), g->lay[id].packed ? "__attribute__((packed)) " : "",
		name);
	g->pad_cnt = 0;
	err = emit_body(g, id, 0);
	if (err)
		return err;
	fprintf(g->out, ";\n");
	emit_size_assert(g, &layout_asserts, tag, t->size);
	emit_member_asserts(g, &layout_asserts, tag, id, "", 0);
	fprintf(g->out, "\n");
	return 0;
}

/* Call fn on every type named in list (comma-separated; strtok_r cuts it up), in order. */
static int for_each_listed_type(struct gen *g, char *list, int (*fn)(struct gen *g, __u32 id))
{
	static const int kinds[] = {BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF,
				    BTF_KIND_ENUM, BTF_KIND_ENUM64};
	char *tok, *save = NULL;
	int id, err;
	size_t i;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!*tok)
			continue;
		for (i = 0, id = -ENOENT; id <= 0 && i < sizeof(kinds) / sizeof(kinds[0]); i++)
			id = btf__find_by_name_kind(g->btf, tok, kinds[i]);
		if (id <= 0)
			return errorf(g, "no struct, union, enum or typedef '%s' in its BTF", tok);
		err = fn(g, id);
		if (err)
			return err;
	}
	return 0;
}

/*
 * --check: _Static_asserts on the guest's own definition of a named type
 * (from a header shared with the BPF side), against the BPF side's BTF:
 * its size, and the offset and size of every named member. A mismatch stops
 * the build with a message naming the member, instead of silently reading
 * an event wrong.
 */
static int emit_check(struct gen *g, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(g->btf, id), *rt;
	char tag[300];
	__u32 rid;

	type_tag(g->btf, t, tag, sizeof(tag));
	emit_size_assert(g, &check_asserts, tag, btf__resolve_size(g->btf, id));
	rt = resolve(g->btf, id, &rid);
	if (rt && (btf_is_struct(rt) || btf_is_union(rt)))
		emit_member_asserts(g, &check_asserts, tag, rid, "", 0);
	return 0;
}

/* --types, then --check: what a skeleton and a --types-only header have in common */
static int emit_types_and_checks(struct gen *g, char *types)
{
	int err = 0;

	if (types)
		err = for_each_listed_type(g, types, emit_named_type);
	if (err || !g->checks)
		return err;
	tmpl(g, "/* the guest's own definitions, checked against the BPF side's BTF */\n", NULL);
	err = for_each_listed_type(g, g->checks, emit_check);
	tmpl(g, "\n", NULL);
	return err;
}

/* ELF file offsets and sizes of the global-data sections. */
static int read_sections(struct gen *g)
{
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int err = 0, k;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return errorf(g, "libelf: %s", elf_errmsg(-1));
	elf = elf_memory((char *)g->bytes, g->size);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx)) {
		err = errorf(g, "not an ELF object");
		goto cleanup;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		for (k = 0; name && k < SEC_KCONFIG; k++) {
			if (strcmp(name, sec_names[k]) != 0)
				continue;
			g->sec[k].size = sh.sh_size;
			if (sh.sh_type != SHT_NOBITS)
				g->sec[k].off = sh.sh_offset;
		}
	}
cleanup:
	if (elf)
		elf_end(elf);
	return err;
}

/* Which internal map a libbpf map name ("bootstra.rodata") stands for. */
static int internal_kind(const struct bpf_map *map)
{
	const char *name = bpf_map__name(map), *dot = strrchr(name, '.');
	int k;

	if (!bpf_map__is_internal(map) || !dot)
		return -1;
	for (k = 0; k < SEC_CNT; k++)
		if (strcmp(dot, sec_names[k]) == 0)
			return k;
	return -1;
}

static int find_datasecs(struct gen *g)
{
	__u32 id, n = btf__type_cnt(g->btf);
	int k;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(g->btf, id);
		const char *name;

		if (!btf_is_datasec(t) || !btf_vlen(t))
			continue;
		name = btf__name_by_offset(g->btf, t->name_off);
		for (k = 0; k < SEC_CNT; k++)
			if (strcmp(name, sec_names[k]) == 0)
				g->sec[k].datasec_id = id;
	}
	return 0;
}

/*
 * The tables the sections are written from, computed once: the maps and
 * programs of the skeleton, which global-data sections struct NAME points
 * at, and the names every template sees.
 */
static int index_object(struct gen *g)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	struct skel_map *m;
	int i, k, n = 0;

	g->guard = strdup(g->name);
	if (!g->guard)
		return -ENOMEM;
	for (i = 0; g->guard[i]; i++)
		g->guard[i] = (char)toupper((unsigned char)g->guard[i]);
	g->vars[0] = TSTR("obj", g->name);
	g->vars[1] = TSTR("OBJ", g->guard);
	g->vars[2] = TSTR("tool", PROG);
	g->vars[3] = TSTR("file", g->base);

	find_datasecs(g);
	bpf_object__for_each_map (map, g->obj)
		n++;
	g->maps = calloc(n ? n : 1, sizeof(*g->maps));
	if (!g->maps)
		return -ENOMEM;
	bpf_object__for_each_map (map, g->obj) {
		k = internal_kind(map);
		if (bpf_map__is_internal(map) && k < 0)
			continue; /* custom sections (.data.NAME): not in the skeleton */
		if (k < 0 && !is_ident(bpf_map__name(map)))
			return errorf(g, "map name '%s' is not a C identifier", bpf_map__name(map));
		m = &g->maps[g->map_cnt++];
		m->kind = k;
		m->ident = k < 0 ? bpf_map__name(map) : sec_idents[k];
		m->name = k < 0 ? bpf_map__name(map) : sec_names[k];
		m->type = bpf_map__type(map);
		m->key_sz = bpf_map__key_size(map);
		m->value_sz = bpf_map__value_size(map);
		if (k >= 0)
			g->sec[k].has_map = true;
	}

	n = 0;
	bpf_object__for_each_program (prog, g->obj)
		n++;
	g->progs = calloc(n ? n : 1, sizeof(*g->progs));
	if (!g->progs)
		return -ENOMEM;
	bpf_object__for_each_program (prog, g->obj)
		g->progs[g->prog_cnt++] = bpf_program__name(prog);

	for (k = 0; k < SEC_KCONFIG; k++) {
		struct sec_info *s = &g->sec[k];

		s->in_struct = s->datasec_id && s->has_map;
		if (s->in_struct &&
		    asprintf(&s->tag, "struct %s__%s", g->name, sec_idents[k]) < 0) {
			s->tag = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

/* The name of DATASEC variable v, or NULL: static variables stay padding, as in bpftool. */
static const char *datasec_var(struct gen *g, const struct btf_var_secinfo *v)
{
	const struct btf_type *var = btf__type_by_id(g->btf, v->type);
	const char *name = btf__name_by_offset(g->btf, var->name_off);

	return btf_var(var)->linkage == BTF_VAR_STATIC || !is_ident(name) ? NULL : name;
}

/* struct NAME__rodata { ... } *rodata; with every variable at its offset */
static int emit_datasec(struct gen *g, int k)
{
	const struct btf_type *t = btf__type_by_id(g->btf, g->sec[k].datasec_id);
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	const struct tvar *vars;
	unsigned long cur = 0;
	int i, err, align = 1;
	bool packed = false;
	const char *vname;

	/* the section as libbpf sees it: variables sorted by offset (clang emits them so) */
	for (i = 0; i < btf_vlen(t); i++) {
		int a;

		if (!datasec_var(g, &v[i]))
			continue;
		a = align_of(g, btf__type_by_id(g->btf, v[i].type)->type);
		if (a < 0)
			return a;
		if (v[i].offset % a)
			packed = true;
		if (a > align)
			align = a;
		if (i && v[i].offset < v[i - 1].offset)
			return errorf(g, "%s: variables out of order", sec_names[k]);
	}
	if (t->size % align)
		packed = true;

	vars = VARS(TSTR("sec", sec_idents[k]),
		    TSTR("packed", packed ? "__attribute__((packed)) " : ""));
	tmpl(g, "\tstruct {{packed}}{{obj}}__{{sec}} {\n", vars);
	g->pad_cnt = 0;
	for (i = 0; i < btf_vlen(t); i++) {
		vname = datasec_var(g, &v[i]);
		if (!vname)
			continue;
		if (v[i].offset < cur)
			return errorf(g, "%s: variable '%s' overlaps", sec_names[k], vname);
		emit_pad(g, v[i].offset - cur, 2, "pad");
		err = emit_field(g, btf__type_by_id(g->btf, v[i].type)->type, vname, 2);
		if (err)
			return err;
		cur = v[i].offset + v[i].size;
	}
	if (t->size > cur)
		emit_pad(g, t->size - cur, 2, "pad");
	tmpl(g, "\t} *{{sec}};\n", vars);
	return 0;
}

/*
 * The prologue of every header this tool writes: the do-not-edit line, the
 * include guard __NAME_WHAT_H__, the includes, then --types and --check.
 */
static int emit_prologue(struct gen *g, const char *what, const char *includes, char *types)
{
	tmpl(g,
	     "/* do not edit: generated by {{tool}} from {{file}} */\n"
	     "#ifndef __{{OBJ}}_{{what}}_H__\n"
	     "#define __{{OBJ}}_{{what}}_H__\n"
	     "\n"
	     "#include <stdbool.h>\n"
	     "#include <stddef.h>\n"
	     "#include <stdint.h>\n"
	     "{{includes}}"
	     "\n",
	     VARS(TSTR("what", what), TSTR("includes", includes)));
	return emit_types_and_checks(g, types);
}

static void emit_epilogue(struct gen *g, const char *what)
{
	tmpl(g, "#endif /* __{{OBJ}}_{{what}}_H__ */\n", VARS(TSTR("what", what)));
}

/* struct NAME: the skeleton, its maps, programs and global data */
static int emit_struct(struct gen *g)
{
	int i, k, err;

	tmpl(g,
	     "struct {{obj}} {\n"
	     "\tstruct bpf_object_skeleton *skeleton;\n"
	     "\tstruct bpf_object *obj; /* for bpf_object__find_map_by_name() */\n"
	     "\tstruct {\n",
	     NULL);
	for (i = 0; i < g->map_cnt; i++)
		tmpl(g, "\t\tstruct bpf_map *{{map}};\n", VARS(TSTR("map", g->maps[i].ident)));
	tmpl(g,
	     "\t} maps;\n"
	     "\tstruct {\n",
	     NULL);
	for (i = 0; i < g->prog_cnt; i++)
		tmpl(g, "\t\tstruct bpf_program *{{prog}};\n", VARS(TSTR("prog", g->progs[i])));
	tmpl(g, "\t} progs;\n", NULL);
	for (k = 0; k < SEC_KCONFIG; k++) {
		if (!g->sec[k].in_struct)
			continue;
		err = emit_datasec(g, k);
		if (err)
			return err;
	}
	tmpl(g, "};\n\n", NULL);
	return 0;
}

/* Size and offset asserts on the global data of struct NAME. */
static void emit_layout_checks(struct gen *g)
{
	const struct btf_var_secinfo *v;
	const struct btf_type *t;
	const char *vname;
	int i, k;

	for (k = 0; k < SEC_KCONFIG; k++) {
		if (!g->sec[k].in_struct)
			continue;
		t = btf__type_by_id(g->btf, g->sec[k].datasec_id);
		v = btf_var_secinfos(t);
		emit_size_assert(g, &layout_asserts, g->sec[k].tag, t->size);
		for (i = 0; i < btf_vlen(t); i++) {
			vname = datasec_var(g, &v[i]);
			if (vname)
				emit_offset_asserts(g, &layout_asserts, g->sec[k].tag, vname,
						    v[i].offset, v[i].size);
		}
	}
	tmpl(g, "\n", NULL);
}

/* NAME__elf_bytes(): the object itself */
static void emit_bytes(struct gen *g)
{
	size_t i;

	tmpl(g,
	     "static inline const void *{{obj}}__elf_bytes(size_t *sz)\n"
	     "{\n"
	     "\tstatic const char data[] __attribute__((__aligned__(8))) = \"\\\n",
	     NULL);
	for (i = 0; i < g->size; i++) {
		fprintf(g->out, "\\x%02x", g->bytes[i]);
		if (i % 32 == 31 && i + 1 < g->size)
			fprintf(g->out, "\\\n");
	}
	tmpl(g,
	     "\";\n"
	     "\n"
	     "\t*sz = sizeof(data) - 1;\n"
	     "\treturn (const void *)data;\n"
	     "}\n"
	     "\n",
	     NULL);
}

static void emit_destroy(struct gen *g)
{
	tmpl(g,
	     "static inline void {{obj}}__destroy(struct {{obj}} *obj)\n"
	     "{\n"
	     "\tif (!obj)\n"
	     "\t\treturn;\n"
	     "\tbpf_object__destroy_skeleton(obj->skeleton);\n"
	     "\tfree(obj);\n"
	     "}\n"
	     "\n",
	     NULL);
}

/* s->maps or s->progs: their count, and the array when there are any */
static void emit_skel_array(struct gen *g, const char *what, int cnt)
{
	const struct tvar *vars = VARS(TSTR("what", what), TNUM("cnt", cnt));

	tmpl(g,
	     "\n"
	     "\ts->{{what}}_cnt = {{cnt}};\n"
	     "\ts->{{what}}_skel_sz = sizeof(*s->{{what}}s);\n",
	     vars);
	if (cnt)
		tmpl(g,
		     "\ts->{{what}}s = (struct bpf_{{what}}_skeleton *)calloc(s->{{what}}_cnt, "
		     "s->{{what}}_skel_sz);\n"
		     "\tif (!s->{{what}}s)\n"
		     "\t\tgoto err;\n",
		     vars);
}

/* The maps of the skeleton: what bpf_object__open_skeleton() binds obj->maps to. */
static void emit_maps_skeleton(struct gen *g)
{
	const struct skel_map *m;
	const struct tvar *vars;
	int i;

	emit_skel_array(g, "map", g->map_cnt);
	for (i = 0; i < g->map_cnt; i++) {
		m = &g->maps[i];
		vars = VARS(TNUM("i", i), TSTR("map", m->ident), TSTR("name", m->name),
			    TNUM("type", m->type), TNUM("key_sz", m->key_sz),
			    TNUM("value_sz", m->value_sz));
		tmpl(g,
		     "\n"
		     "\ts->maps[{{i}}].name = \"{{name}}\";\n"
		     "\ts->maps[{{i}}].map = &obj->maps.{{map}};\n",
		     vars);
		if (m->kind >= 0 && g->sec[m->kind].in_struct)
			tmpl(g, "\ts->maps[{{i}}].mmaped = (void **)&obj->{{map}};\n", vars);
		tmpl(g,
		     "\ts->maps[{{i}}].type = {{type}};\n"
		     "\ts->maps[{{i}}].key_sz = {{key_sz}};\n"
		     "\ts->maps[{{i}}].value_sz = {{value_sz}};\n",
		     vars);
	}
}

static void emit_progs_skeleton(struct gen *g)
{
	int i;

	emit_skel_array(g, "prog", g->prog_cnt);
	for (i = 0; i < g->prog_cnt; i++)
		tmpl(g,
		     "\n"
		     "\ts->progs[{{i}}].name = \"{{prog}}\";\n"
		     "\ts->progs[{{i}}].prog = &obj->progs.{{prog}};\n",
		     VARS(TNUM("i", i), TSTR("prog", g->progs[i])));
}

/* NAME__create_skeleton(): what the SDK's bpf_object__*_skeleton() work on */
static void emit_create_skeleton(struct gen *g)
{
	const struct sec_info *ro = &g->sec[SEC_RODATA], *data = &g->sec[SEC_DATA];

	tmpl(g,
	     "static inline int {{obj}}__create_skeleton(struct {{obj}} *obj)\n"
	     "{\n"
	     "\tstruct bpf_object_skeleton *s;\n"
	     "\n"
	     "\ts = (struct bpf_object_skeleton *)calloc(1, sizeof(*s));\n"
	     "\tif (!s)\n"
	     "\t\treturn -ENOMEM;\n"
	     "\tobj->skeleton = s;\n"
	     "\tobj->obj = (struct bpf_object *)s;\n"
	     "\ts->sz = sizeof(*s);\n"
	     "\ts->name = \"{{obj}}\";\n"
	     "\ts->data = (void *){{obj}}__elf_bytes(&s->data_sz);\n",
	     NULL);
	if (ro->off)
		tmpl(g,
		     "\ts->rodata_offset = {{off}};\n"
		     "\ts->rodata_sz = {{size}};\n",
		     VARS(TNUM("off", ro->off), TNUM("size", ro->size)));
	if (data->off)
		tmpl(g,
		     "\ts->data_sec_offset = {{off}};\n"
		     "\ts->data_sec_sz = {{size}};\n",
		     VARS(TNUM("off", data->off), TNUM("size", data->size)));
	if (g->sec[SEC_BSS].size)
		tmpl(g, "\ts->bss_sz = {{size}};\n", VARS(TNUM("size", g->sec[SEC_BSS].size)));
	emit_maps_skeleton(g);
	emit_progs_skeleton(g);
	tmpl(g,
	     "\n"
	     "\treturn 0;\n",
	     NULL);
	if (g->map_cnt || g->prog_cnt)
		tmpl(g,
		     "err:\n"
		     "\tbpf_object__destroy_skeleton(s);\n"
		     "\tobj->skeleton = NULL;\n"
		     "\treturn -ENOMEM;\n",
		     NULL);
	tmpl(g, "}\n\n", NULL);
}

/* The end of NAME__open_opts() and NAME__open_and_load(): NULL and errno on failure */
/* The end of NAME__open_opts() and NAME__open_and_load(): on failure, NULL and errno. */
static const char ctor_end[] = "\tif (err) {\n"
			       "\t\t{{obj}}__destroy(obj);\n"
			       "\t\terrno = -err;\n"
			       "\t\treturn NULL;\n"
			       "\t}\n"
			       "\treturn obj;\n"
			       "}\n"
			       "\n";

static void emit_open(struct gen *g)
{
	tmpl(g,
	     "static inline struct {{obj}} *{{obj}}__open_opts("
	     "const struct bpf_object_open_opts *opts)\n"
	     "{\n"
	     "\tstruct {{obj}} *obj;\n"
	     "\tint err;\n"
	     "\n"
	     "\tobj = (struct {{obj}} *)calloc(1, sizeof(*obj));\n"
	     "\tif (!obj) {\n"
	     "\t\terrno = ENOMEM;\n"
	     "\t\treturn NULL;\n"
	     "\t}\n"
	     "\terr = {{obj}}__create_skeleton(obj);\n"
	     "\tif (!err)\n"
	     "\t\terr = bpf_object__open_skeleton(obj->skeleton, opts);\n",
	     NULL);
	tmpl(g, ctor_end, NULL);
	tmpl(g,
	     "static inline struct {{obj}} *{{obj}}__open(void)\n"
	     "{\n"
	     "\treturn {{obj}}__open_opts(NULL);\n"
	     "}\n"
	     "\n",
	     NULL);
}

static void emit_load(struct gen *g)
{
	tmpl(g,
	     "static inline int {{obj}}__load(struct {{obj}} *obj)\n"
	     "{\n"
	     "\treturn bpf_object__load_skeleton(obj->skeleton);\n"
	     "}\n"
	     "\n"
	     "static inline struct {{obj}} *{{obj}}__open_and_load(void)\n"
	     "{\n"
	     "\tstruct {{obj}} *obj;\n"
	     "\tint err;\n"
	     "\n"
	     "\tobj = {{obj}}__open();\n"
	     "\tif (!obj)\n"
	     "\t\treturn NULL;\n"
	     "\terr = {{obj}}__load(obj);\n",
	     NULL);
	tmpl(g, ctor_end, NULL);
}

static void emit_attach(struct gen *g)
{
	tmpl(g,
	     "static inline int {{obj}}__attach(struct {{obj}} *obj)\n"
	     "{\n"
	     "\treturn bpf_object__attach_skeleton(obj->skeleton);\n"
	     "}\n"
	     "\n"
	     "static inline void {{obj}}__detach(struct {{obj}} *obj)\n"
	     "{\n"
	     "\tbpf_object__detach_skeleton(obj->skeleton);\n"
	     "}\n"
	     "\n",
	     NULL);
}

/* NAME__pull_globals(), NAME__push_globals(): the SDK's wbpf_object__sync_globals() */
static void emit_sync_globals(struct gen *g)
{
	tmpl(g,
	     "/* Copy .data and .bss from the kernel into obj->data and obj->bss. */\n"
	     "static inline int {{obj}}__pull_globals(struct {{obj}} *obj)\n"
	     "{\n"
	     "\treturn wbpf_object__sync_globals(obj->skeleton, false);\n"
	     "}\n"
	     "\n"
	     "/* Copy obj->data and obj->bss into the kernel's .data and .bss maps. */\n"
	     "static inline int {{obj}}__push_globals(struct {{obj}} *obj)\n"
	     "{\n"
	     "\treturn wbpf_object__sync_globals(obj->skeleton, true);\n"
	     "}\n"
	     "\n",
	     NULL);
}

static int emit_skeleton(struct gen *g, char *types)
{
	int err;

	err = emit_prologue(g, "SKEL", "#include <stdlib.h>\n#include \"libbpf-wasm.h\"\n", types);
	if (!err)
		err = emit_struct(g);
	if (err)
		return err;
	emit_layout_checks(g);
	emit_bytes(g);
	emit_destroy(g);
	emit_create_skeleton(g);
	emit_open(g);
	emit_load(g);
	emit_attach(g);
	emit_sync_globals(g);
	emit_epilogue(g, "SKEL");
	return g->err;
}

/* --types-only: the types of --types and the checks of --check, no skeleton */
static int emit_types_header(struct gen *g, char *types)
{
	int err;

	err = emit_prologue(g, "TYPES", "", types);
	if (err)
		return err;
	emit_epilogue(g, "TYPES");
	return g->err;
}

static int read_file(struct gen *g)
{
	FILE *f = fopen(g->file, "rb");
	long n;
	int err = 0;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", PROG, g->file, strerror(errno));
		return -errno;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		err = -errno;
		fprintf(stderr, "%s: %s: %s\n", PROG, g->file, strerror(errno));
		goto cleanup;
	}
	g->size = (size_t)n;
	g->bytes = malloc(g->size ? g->size : 1);
	if (!g->bytes) {
		err = -ENOMEM;
		goto cleanup;
	}
	if (fread(g->bytes, 1, g->size, f) != g->size) {
		err = -EIO;
		fprintf(stderr, "%s: %s: short read\n", PROG, g->file);
	}
cleanup:
	fclose(f);
	return err;
}

static char *default_name(const char *file)
{
	const char *base = strrchr(file, '/');
	char *name, *p;
	size_t len;

	base = base ? base + 1 : file;
	len = strlen(base);
	if (len > 2 && strcmp(base + len - 2, ".o") == 0)
		len -= 2;
	name = strndup(base, len);
	if (!name)
		return NULL;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			*p = '_';
	return name;
}

static void usage(FILE *f)
{
	fprintf(f,
		"%s: generate a Wasm-eBPF skeleton header from a BPF object\n"
		"\n"
		"USAGE: %s [OPTIONS] FILE.bpf.o\n"
		"\n"
		"EXAMPLES:\n"
		"    %s bootstrap.bpf.o > bootstrap.skel.h\n"
		"    %s -t event -o bootstrap.skel.h bootstrap.bpf.o\n"
		"    %s --types-only -t event,config x.bpf.o > x.wasm.h\n"
		"    %s -c event -o minimal.skel.h minimal.bpf.o   (include minimal.h first)\n"
		"\n"
		"OPTIONS:\n"
		"  -n, --name NAME     skeleton name: struct NAME, NAME__open() (default: the\n"
		"                      file name without .o, e.g. bootstrap_bpf)\n"
		"  -o, --output FILE   write to FILE instead of stdout\n"
		"  -t, --types LIST    also emit the wasm32 layout of these named BTF types\n"
		"                      (comma-separated structs, unions, enums, typedefs)\n"
		"  -c, --check LIST    check the guest's own definitions of these named types\n"
		"                      (from a header shared with the BPF side, included\n"
		"                      before the skeleton) against BTF: _Static_asserts on\n"
		"                      their size and every member's offset and size\n"
		"  -T, --types-only    emit only the types of --types and the checks of\n"
		"                      --check, no skeleton\n"
		"  -h, --help          show this help and exit\n"
		"  -V, --version       show the version and exit\n",
		PROG, PROG, PROG, PROG, PROG, PROG);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", PROG);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help'.\n", PROG);
	return 2;
}

/* Read the object, open it with libbpf (no kernel) and index it. */
static int open_object(struct gen *g)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = g->name);
	int err;

	err = read_file(g);
	if (!err)
		err = read_sections(g);
	if (err)
		return err;
	libbpf_set_print(libbpf_print);
	/* open only: libbpf fixes up the DATASEC sizes and offsets */
	g->obj = bpf_object__open_mem(g->bytes, g->size, &opts);
	err = libbpf_get_error(g->obj);
	if (err) {
		g->obj = NULL;
		return errorf(g, "cannot open BPF object: %s", strerror(-err));
	}
	g->btf = bpf_object__btf(g->obj);
	if (!g->btf)
		return errorf(g, "no BTF (compile with clang -g)");
	g->lay = calloc(btf__type_cnt(g->btf), sizeof(*g->lay));
	g->emitted = calloc(btf__type_cnt(g->btf), sizeof(*g->emitted));
	if (!g->lay || !g->emitted)
		return -ENOMEM;
	return index_object(g);
}

/* Write buf to f and close it: 0 or -errno. */
static int write_close(FILE *f, const char *buf, size_t sz)
{
	int err = 0;

	if (fwrite(buf, 1, sz, f) != sz)
		err = errno ? -errno : -EIO;
	if (fclose(f) && !err)
		err = errno ? -errno : -EIO;
	return err;
}

/*
 * All or nothing: no half-written header on failure. A regular file (or a new
 * one) is written under a temporary name next to it and renamed into place;
 * anything else (a device, a pipe) is written as it is and never removed.
 */
static int write_header(const char *output, const char *buf, size_t sz)
{
	char tmp[PATH_MAX];
	struct stat st;
	mode_t mask;
	FILE *f;
	int fd, err;

	if (!output) {
		if (fwrite(buf, 1, sz, stdout) == sz && !fflush(stdout))
			return 0;
		err = errno;
		fprintf(stderr, "%s: stdout: %s\n", PROG, strerror(err));
		return -err;
	}
	signal(SIGXFSZ, SIG_IGN); /* a file size limit: EFBIG, and the cleanup below */
	if (!stat(output, &st) && !S_ISREG(st.st_mode)) {
		f = fopen(output, "w");
		err = f ? write_close(f, buf, sz) : -errno;
		goto done;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", output) >= sizeof(tmp)) {
		err = -ENAMETOOLONG;
		goto done;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		goto done;
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
	} else {
		err = write_close(f, buf, sz);
	}
	if (!err && rename(tmp, output))
		err = -errno;
	if (err)
		unlink(tmp);
done:
	if (err)
		fprintf(stderr, "%s: %s: %s\n", PROG, output, strerror(-err));
	return err;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'n'},	 {"output", required_argument, NULL, 'o'},
		{"types", required_argument, NULL, 't'}, {"types-only", no_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},	 {"version", no_argument, NULL, 'V'},
		{"check", required_argument, NULL, 'c'},
		{},
	};
	struct gen g = {};
	const char *output = NULL;
	char *types = NULL, *name = NULL, *buf = NULL;
	size_t buf_sz = 0;
	bool types_only = false;
	int c, k, err, ret = 1;

	while ((c = getopt_long(argc, argv, "c:n:o:t:ThV", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!is_ident(optarg))
				return usage_error("name '%s' is not a C identifier", optarg);
			name = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 't':
			types = optarg;
			break;
		case 'c':
			g.checks = optarg;
			break;
		case 'T':
			types_only = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", PROG, WBPF_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", PROG);
			return 2;
		}
	}
	if (optind + 1 != argc)
		return usage_error("%s", optind >= argc ? "missing BPF object file"
							: "more than one BPF object file");
	if (types_only && !types && !g.checks)
		return usage_error("%s", "--types-only needs --types or --check");

	g.file = argv[optind];
	g.base = strrchr(g.file, '/') ? strrchr(g.file, '/') + 1 : g.file;
	g.name = name ? strdup(name) : default_name(g.file);
	if (!g.name || open_object(&g))
		goto cleanup;

	g.out = open_memstream(&buf, &buf_sz);
	if (!g.out)
		goto cleanup;
	err = types_only ? emit_types_header(&g, types) : emit_skeleton(&g, types);
	if (fclose(g.out) || err) {
		g.out = NULL;
		goto cleanup;
	}
	g.out = NULL;

	if (write_header(output, buf, buf_sz))
		goto cleanup;
	ret = 0;
cleanup:
	free(buf);
	bpf_object__close(g.obj);
	for (k = 0; k < SEC_CNT; k++)
		free(g.sec[k].tag);
	free(g.maps);
	free(g.progs);
	free(g.guard);
	free(g.lay);
	free(g.emitted);
	free(g.bytes);
	free((char *)g.name);
	return ret;
}
