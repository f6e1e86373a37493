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
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

struct gen {
	const char *name; /* identifier: struct NAME, NAME__open() */
	const char *file; /* input file, as given (for messages) */
	const char *base; /* its basename (for the header comment) */
	unsigned char *bytes;
	size_t size;
	struct bpf_object *obj;
	const struct btf *btf;
	FILE *out;
	struct layout *lay;
	bool *emitted;
	unsigned int pad_cnt;
	unsigned long sec_off[SEC_CNT]; /* ELF file offset, 0: no such section */
	unsigned long sec_size[SEC_CNT];
	int datasec_id[SEC_CNT]; /* BTF DATASEC with variables, 0: none */
	bool has_map[SEC_CNT];
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
			fprintf(g->out, "%s %s %s%s;\n", btf_is_struct(t) ? "struct" : "union",
				tname, name, dims);
			return 0;
		}
		layout_of(g, id);
		fprintf(g->out, "%s %s", btf_is_struct(t) ? "struct" : "union",
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

/* _Static_assert on the offset of every named member, through anonymous ones. */
static void emit_member_asserts(struct gen *g, const char *tag, __u32 id, const char *prefix,
				unsigned long base)
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
		if (*mname) {
			fprintf(g->out,
				"_Static_assert(offsetof(%s, %s) == %lu, \"offset of %s in "
				"%s\");\n",
				tag, path, off, path, tag);
			fprintf(g->out,
				"_Static_assert(sizeof(((%s *)0)->%s) == %lld, \"size of %s in "
				"%s\");\n",
				tag, path, (long long)btf__resolve_size(g->btf, mid), path, tag);
		}
		if ((btf_is_struct(mt) || btf_is_union(mt)) && !mt->name_off) {
			char sub[520];

			snprintf(sub, sizeof(sub), "%s%s", path, *mname ? "." : "");
			emit_member_asserts(g, tag, mid, sub, off);
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
		fprintf(g->out, "_Static_assert(sizeof(%s) == %lld, \"size of %s\");\n\n", name,
			(long long)btf__resolve_size(g->btf, id), name);
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
	snprintf(tag, sizeof(tag), "%s %s", btf_is_struct(t) ? "struct" : "union", name);
	fprintf(g->out, "%s %s%s ", btf_is_struct(t) ? "struct" : "union",
		g->lay[id].packed ? "__attribute__((packed)) " : "", name);
	g->pad_cnt = 0;
	err = emit_body(g, id, 0);
	if (err)
		return err;
	fprintf(g->out, ";\n");
	fprintf(g->out, "_Static_assert(sizeof(%s) == %u, \"size of %s\");\n", tag, t->size, tag);
	emit_member_asserts(g, tag, id, "", 0);
	fprintf(g->out, "\n");
	return 0;
}

static int find_named_type(const struct btf *btf, const char *name)
{
	static const int kinds[] = {BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF,
				    BTF_KIND_ENUM, BTF_KIND_ENUM64};
	size_t i;
	int id;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		id = btf__find_by_name_kind(btf, name, kinds[i]);
		if (id > 0)
			return id;
	}
	return -ENOENT;
}

static int emit_types(struct gen *g, char *list)
{
	char *tok, *save = NULL;
	int id, err;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!*tok)
			continue;
		id = find_named_type(g->btf, tok);
		if (id < 0)
			return errorf(g, "no struct, union, enum or typedef '%s' in its BTF", tok);
		err = emit_named_type(g, id);
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
 * an event wrong (wasm32's long and pointers are 4 bytes, the BPF target's 8).
 */
static void emit_check_members(struct gen *g, const char *tag, __u32 id, const char *prefix,
			       unsigned long base)
{
	const struct btf_type *t = btf__type_by_id(g->btf, id);
	const struct btf_member *m = btf_members(t);
	char path[512];
	int i;

	for (i = 0; i < btf_vlen(t); i++) {
		const char *mname = btf__name_by_offset(g->btf, m[i].name_off);
		unsigned long off = base + btf_member_bit_offset(t, i) / 8;
		const struct btf_type *mt;
		long long sz;
		__u32 mid;

		if (member_is_bitfield(g->btf, t, i))
			continue; /* no offsetof for bitfields; the size check covers them */
		mt = resolve(g->btf, m[i].type, &mid);
		sz = btf__resolve_size(g->btf, mid);
		snprintf(path, sizeof(path), "%s%s", prefix, mname);
		if (*mname) {
			fprintf(g->out,
				"_Static_assert(offsetof(%s, %s) == %lu, \"%s: member '%s' is at "
				"offset %lu on the BPF side (use fixed-width types: __u64, not long "
				"or pointers)\");\n",
				tag, path, off, tag, path, off);
			fprintf(g->out,
				"_Static_assert(sizeof(((%s *)0)->%s) == %lld, \"%s: member '%s' is "
				"%lld bytes on the BPF side (use fixed-width types: __u64, not long "
				"or pointers)\");\n",
				tag, path, sz, tag, path, sz);
		}
		if ((btf_is_struct(mt) || btf_is_union(mt)) && !mt->name_off) {
			char sub[520];

			snprintf(sub, sizeof(sub), "%s%s", path, *mname ? "." : "");
			emit_check_members(g, tag, mid, sub, off);
		}
	}
}

static int emit_checks(struct gen *g, char *list)
{
	char *tok, *save = NULL, tag[300];
	const struct btf_type *t, *rt;
	const char *name;
	__u32 rid;
	int id;

	fprintf(g->out, "/* the guest's own definitions, checked against the BPF side's BTF */\n");
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!*tok)
			continue;
		id = find_named_type(g->btf, tok);
		if (id < 0)
			return errorf(g, "no struct, union, enum or typedef '%s' in its BTF", tok);
		t = btf__type_by_id(g->btf, id);
		name = btf__name_by_offset(g->btf, t->name_off);
		if (btf_is_typedef(t))
			snprintf(tag, sizeof(tag), "%s", name);
		else if (btf_is_enum(t) || btf_is_enum64(t))
			snprintf(tag, sizeof(tag), "enum %s", name);
		else
			snprintf(tag, sizeof(tag), "%s %s", btf_is_struct(t) ? "struct" : "union",
				 name);
		fprintf(g->out,
			"_Static_assert(sizeof(%s) == %lld, \"%s is %lld bytes on the BPF side "
			"(use fixed-width types: __u64, not long or pointers)\");\n",
			tag, (long long)btf__resolve_size(g->btf, id), tag,
			(long long)btf__resolve_size(g->btf, id));
		rt = resolve(g->btf, id, &rid);
		if (rt && (btf_is_struct(rt) || btf_is_union(rt)))
			emit_check_members(g, tag, rid, "", 0);
	}
	fprintf(g->out, "\n");
	return 0;
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
			g->sec_size[k] = sh.sh_size;
			if (sh.sh_type != SHT_NOBITS)
				g->sec_off[k] = sh.sh_offset;
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
				g->datasec_id[k] = id;
	}
	return 0;
}

/* struct NAME__rodata { ... } *rodata; with every variable at its offset */
static int emit_datasec(struct gen *g, int k)
{
	const struct btf_type *t = btf__type_by_id(g->btf, g->datasec_id[k]);
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	unsigned long cur = 0;
	int i, err, align = 1;
	bool packed = false;

	/* the section as libbpf sees it: variables sorted by offset (clang emits them so) */
	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_type *var = btf__type_by_id(g->btf, v[i].type);
		int a;

		if (btf_var(var)->linkage == BTF_VAR_STATIC ||
		    !is_ident(btf__name_by_offset(g->btf, var->name_off)))
			continue;
		a = align_of(g, var->type);
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

	fprintf(g->out, "\tstruct %s%s__%s {\n", packed ? "__attribute__((packed)) " : "", g->name,
		sec_idents[k]);
	g->pad_cnt = 0;
	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_type *var = btf__type_by_id(g->btf, v[i].type);
		const char *vname = btf__name_by_offset(g->btf, var->name_off);

		if (btf_var(var)->linkage == BTF_VAR_STATIC || !is_ident(vname))
			continue; /* static variables stay padding, as in bpftool */
		if (v[i].offset < cur)
			return errorf(g, "%s: variable '%s' overlaps", sec_names[k], vname);
		emit_pad(g, v[i].offset - cur, 2, "pad");
		err = emit_field(g, var->type, vname, 2);
		if (err)
			return err;
		cur = v[i].offset + v[i].size;
	}
	if (t->size > cur)
		emit_pad(g, t->size - cur, 2, "pad");
	fprintf(g->out, "\t} *%s;\n", sec_idents[k]);
	return 0;
}

static void emit_datasec_asserts(struct gen *g, int k)
{
	const struct btf_type *t = btf__type_by_id(g->btf, g->datasec_id[k]);
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	char tag[300];
	int i;

	snprintf(tag, sizeof(tag), "struct %s__%s", g->name, sec_idents[k]);
	fprintf(g->out, "_Static_assert(sizeof(%s) == %u, \"size of %s\");\n", tag, t->size, tag);
	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_type *var = btf__type_by_id(g->btf, v[i].type);
		const char *vname = btf__name_by_offset(g->btf, var->name_off);

		if (btf_var(var)->linkage == BTF_VAR_STATIC || !is_ident(vname))
			continue;
		fprintf(g->out, "_Static_assert(offsetof(%s, %s) == %u, \"offset of %s in %s\");\n",
			tag, vname, v[i].offset, vname, tag);
		fprintf(g->out,
			"_Static_assert(sizeof(((%s *)0)->%s) == %u, \"size of %s in %s\");\n", tag,
			vname, v[i].size, vname, tag);
	}
}

static void emit_bytes(struct gen *g)
{
	size_t i;

	fprintf(g->out, "static inline const void *%s__elf_bytes(size_t *sz)\n{\n", g->name);
	fprintf(g->out, "\tstatic const char data[] __attribute__((__aligned__(8))) = \"\\\n");
	for (i = 0; i < g->size; i++) {
		fprintf(g->out, "\\x%02x", g->bytes[i]);
		if (i % 32 == 31 && i + 1 < g->size)
			fprintf(g->out, "\\\n");
	}
	fprintf(g->out, "\";\n\n\t*sz = sizeof(data) - 1;\n\treturn (const void *)data;\n}\n\n");
}

static int emit_skeleton(struct gen *g, char *types)
{
	const char *n = g->name;
	struct bpf_program *prog;
	struct bpf_map *map;
	char guard[300];
	int i, k, err, map_cnt = 0, prog_cnt = 0;

	for (i = 0; n[i] && i < (int)sizeof(guard) - 1; i++)
		guard[i] = (char)toupper((unsigned char)n[i]);
	guard[i] = '\0';

	fprintf(g->out, "/* do not edit: generated by %s from %s */\n", PROG, g->base);
	fprintf(g->out, "#ifndef __%s_SKEL_H__\n#define __%s_SKEL_H__\n\n", guard, guard);
	fprintf(g->out, "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n"
			"#include <stdlib.h>\n#include \"libbpf-wasm.h\"\n\n");

	if (types) {
		err = emit_types(g, types);
		if (err)
			return err;
	}
	if (g->checks) {
		err = emit_checks(g, g->checks);
		if (err)
			return err;
	}

	fprintf(g->out, "struct %s {\n\tstruct bpf_object_skeleton *skeleton;\n"
			"\tstruct bpf_object *obj; /* for bpf_object__find_map_by_name() */\n", n);
	fprintf(g->out, "\tstruct {\n");
	for (map = bpf_object__next_map(g->obj, NULL); map;
	     map = bpf_object__next_map(g->obj, map)) {
		k = internal_kind(map);
		if (bpf_map__is_internal(map) && k < 0)
			continue; /* custom sections (.data.NAME): not in the skeleton */
		fprintf(g->out, "\t\tstruct bpf_map *%s;\n",
			k < 0 ? bpf_map__name(map) : sec_idents[k]);
		map_cnt++;
	}
	fprintf(g->out, "\t} maps;\n\tstruct {\n");
	for (prog = bpf_object__next_program(g->obj, NULL); prog;
	     prog = bpf_object__next_program(g->obj, prog)) {
		fprintf(g->out, "\t\tstruct bpf_program *%s;\n", bpf_program__name(prog));
		prog_cnt++;
	}
	fprintf(g->out, "\t} progs;\n");
	for (k = 0; k < SEC_KCONFIG; k++) {
		if (!g->datasec_id[k] || !g->has_map[k])
			continue;
		err = emit_datasec(g, k);
		if (err)
			return err;
	}
	fprintf(g->out, "};\n\n");
	for (k = 0; k < SEC_KCONFIG; k++)
		if (g->datasec_id[k] && g->has_map[k])
			emit_datasec_asserts(g, k);
	fprintf(g->out, "\n");

	emit_bytes(g);

	/* create_skeleton: what the SDK's bpf_object__*_skeleton() work on */
	fprintf(g->out,
		"static inline void %s__destroy(struct %s *obj)\n"
		"{\n"
		"\tif (!obj)\n"
		"\t\treturn;\n"
		"\tbpf_object__destroy_skeleton(obj->skeleton);\n"
		"\tfree(obj);\n"
		"}\n\n",
		n, n);
	fprintf(g->out,
		"static inline int %s__create_skeleton(struct %s *obj)\n"
		"{\n"
		"\tstruct bpf_object_skeleton *s;\n\n"
		"\ts = (struct bpf_object_skeleton *)calloc(1, sizeof(*s));\n"
		"\tif (!s)\n"
		"\t\treturn -ENOMEM;\n"
		"\tobj->skeleton = s;\n"
		"\tobj->obj = (struct bpf_object *)s;\n"
		"\ts->sz = sizeof(*s);\n"
		"\ts->name = \"%s\";\n"
		"\ts->data = (void *)%s__elf_bytes(&s->data_sz);\n",
		n, n, n, n);
	if (g->sec_off[SEC_RODATA])
		fprintf(g->out, "\ts->rodata_offset = %lu;\n\ts->rodata_sz = %lu;\n",
			g->sec_off[SEC_RODATA], g->sec_size[SEC_RODATA]);
	if (g->sec_off[SEC_DATA])
		fprintf(g->out, "\ts->data_sec_offset = %lu;\n\ts->data_sec_sz = %lu;\n",
			g->sec_off[SEC_DATA], g->sec_size[SEC_DATA]);
	if (g->sec_size[SEC_BSS])
		fprintf(g->out, "\ts->bss_sz = %lu;\n", g->sec_size[SEC_BSS]);

	fprintf(g->out,
		"\n\ts->map_cnt = %d;\n"
		"\ts->map_skel_sz = sizeof(*s->maps);\n",
		map_cnt);
	if (map_cnt)
		fprintf(g->out, "\ts->maps = (struct bpf_map_skeleton *)calloc(s->map_cnt, "
				"s->map_skel_sz);\n"
				"\tif (!s->maps)\n"
				"\t\tgoto err;\n");
	i = 0;
	for (map = bpf_object__next_map(g->obj, NULL); map;
	     map = bpf_object__next_map(g->obj, map)) {
		k = internal_kind(map);
		if (bpf_map__is_internal(map) && k < 0)
			continue;
		fprintf(g->out, "\n\ts->maps[%d].name = \"%s\";\n", i,
			k < 0 ? bpf_map__name(map) : sec_names[k]);
		fprintf(g->out, "\ts->maps[%d].map = &obj->maps.%s;\n", i,
			k < 0 ? bpf_map__name(map) : sec_idents[k]);
		if (k >= 0 && k < SEC_KCONFIG && g->datasec_id[k])
			fprintf(g->out, "\ts->maps[%d].mmaped = (void **)&obj->%s;\n", i,
				sec_idents[k]);
		fprintf(g->out,
			"\ts->maps[%d].type = %u;\n\ts->maps[%d].key_sz = %u;\n"
			"\ts->maps[%d].value_sz = %u;\n",
			i, bpf_map__type(map), i, bpf_map__key_size(map), i,
			bpf_map__value_size(map));
		i++;
	}
	fprintf(g->out,
		"\n\ts->prog_cnt = %d;\n"
		"\ts->prog_skel_sz = sizeof(*s->progs);\n",
		prog_cnt);
	if (prog_cnt)
		fprintf(g->out, "\ts->progs = (struct bpf_prog_skeleton *)calloc(s->prog_cnt, "
				"s->prog_skel_sz);\n"
				"\tif (!s->progs)\n"
				"\t\tgoto err;\n");
	i = 0;
	for (prog = bpf_object__next_program(g->obj, NULL); prog;
	     prog = bpf_object__next_program(g->obj, prog)) {
		fprintf(g->out, "\n\ts->progs[%d].name = \"%s\";\n", i, bpf_program__name(prog));
		fprintf(g->out, "\ts->progs[%d].prog = &obj->progs.%s;\n", i,
			bpf_program__name(prog));
		i++;
	}
	fprintf(g->out, "\n\treturn 0;\n");
	if (map_cnt || prog_cnt)
		fprintf(g->out, "err:\n"
				"\tbpf_object__destroy_skeleton(s);\n"
				"\tobj->skeleton = NULL;\n"
				"\treturn -ENOMEM;\n");
	fprintf(g->out, "}\n\n");

	fprintf(g->out,
		"static inline struct %s *%s__open_opts(const struct bpf_object_open_opts *opts)\n"
		"{\n"
		"\tstruct %s *obj;\n"
		"\tint err;\n\n"
		"\tobj = (struct %s *)calloc(1, sizeof(*obj));\n"
		"\tif (!obj) {\n"
		"\t\terrno = ENOMEM;\n"
		"\t\treturn NULL;\n"
		"\t}\n"
		"\terr = %s__create_skeleton(obj);\n"
		"\tif (!err)\n"
		"\t\terr = bpf_object__open_skeleton(obj->skeleton, opts);\n"
		"\tif (err) {\n"
		"\t\t%s__destroy(obj);\n"
		"\t\terrno = -err;\n"
		"\t\treturn NULL;\n"
		"\t}\n"
		"\treturn obj;\n"
		"}\n\n",
		n, n, n, n, n, n);
	fprintf(g->out,
		"static inline struct %s *%s__open(void)\n"
		"{\n"
		"\treturn %s__open_opts(NULL);\n"
		"}\n\n",
		n, n, n);
	fprintf(g->out,
		"static inline int %s__load(struct %s *obj)\n"
		"{\n"
		"\treturn bpf_object__load_skeleton(obj->skeleton);\n"
		"}\n\n",
		n, n);
	fprintf(g->out,
		"static inline struct %s *%s__open_and_load(void)\n"
		"{\n"
		"\tstruct %s *obj;\n"
		"\tint err;\n\n"
		"\tobj = %s__open();\n"
		"\tif (!obj)\n"
		"\t\treturn NULL;\n"
		"\terr = %s__load(obj);\n"
		"\tif (err) {\n"
		"\t\t%s__destroy(obj);\n"
		"\t\terrno = -err;\n"
		"\t\treturn NULL;\n"
		"\t}\n"
		"\treturn obj;\n"
		"}\n\n",
		n, n, n, n, n, n);
	fprintf(g->out,
		"static inline int %s__attach(struct %s *obj)\n"
		"{\n"
		"\treturn bpf_object__attach_skeleton(obj->skeleton);\n"
		"}\n\n"
		"static inline void %s__detach(struct %s *obj)\n"
		"{\n"
		"\tbpf_object__detach_skeleton(obj->skeleton);\n"
		"}\n\n",
		n, n, n, n);
	fprintf(g->out,
		"/* Copy .data and .bss from the kernel into obj->data and obj->bss. */\n"
		"static inline int %s__pull_globals(struct %s *obj)\n"
		"{\n"
		"\treturn wbpf_object__sync_globals(obj->skeleton, false);\n"
		"}\n\n"
		"/* Copy obj->data and obj->bss into the kernel's .data and .bss maps. */\n"
		"static inline int %s__push_globals(struct %s *obj)\n"
		"{\n"
		"\treturn wbpf_object__sync_globals(obj->skeleton, true);\n"
		"}\n\n",
		n, n, n, n);
	fprintf(g->out, "#endif /* __%s_SKEL_H__ */\n", guard);
	return 0;
}

static int emit_types_header(struct gen *g, char *types)
{
	char guard[300];
	int i, err;

	for (i = 0; g->name[i] && i < (int)sizeof(guard) - 1; i++)
		guard[i] = (char)toupper((unsigned char)g->name[i]);
	guard[i] = '\0';
	fprintf(g->out, "/* do not edit: generated by %s from %s */\n", PROG, g->base);
	fprintf(g->out, "#ifndef __%s_TYPES_H__\n#define __%s_TYPES_H__\n\n", guard, guard);
	fprintf(g->out, "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n");
	err = types ? emit_types(g, types) : 0;
	if (!err && g->checks)
		err = emit_checks(g, g->checks);
	if (err)
		return err;
	fprintf(g->out, "#endif /* __%s_TYPES_H__ */\n", guard);
	return 0;
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
	struct bpf_map *map;
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
	if (!g.name || read_file(&g))
		goto cleanup;
	if (read_sections(&g))
		goto cleanup;

	libbpf_set_print(libbpf_print);
	{
		LIBBPF_OPTS(bpf_object_open_opts, oopts, .object_name = g.name);

		/* open only (no kernel): libbpf fixes up the DATASEC sizes and offsets */
		g.obj = bpf_object__open_mem(g.bytes, g.size, &oopts);
	}
	err = libbpf_get_error(g.obj);
	if (err) {
		g.obj = NULL;
		errorf(&g, "cannot open BPF object: %s", strerror(-err));
		goto cleanup;
	}
	g.btf = bpf_object__btf(g.obj);
	if (!g.btf) {
		errorf(&g, "no BTF (compile with clang -g)");
		goto cleanup;
	}
	g.lay = calloc(btf__type_cnt(g.btf), sizeof(*g.lay));
	g.emitted = calloc(btf__type_cnt(g.btf), sizeof(*g.emitted));
	if (!g.lay || !g.emitted)
		goto cleanup;
	find_datasecs(&g);
	for (map = bpf_object__next_map(g.obj, NULL); map; map = bpf_object__next_map(g.obj, map)) {
		k = internal_kind(map);
		if (k >= 0)
			g.has_map[k] = true;
		else if (!bpf_map__is_internal(map) && !is_ident(bpf_map__name(map))) {
			errorf(&g, "map name '%s' is not a C identifier", bpf_map__name(map));
			goto cleanup;
		}
	}

	g.out = open_memstream(&buf, &buf_sz);
	if (!g.out)
		goto cleanup;
	err = types_only ? emit_types_header(&g, types) : emit_skeleton(&g, types);
	if (fclose(g.out) || err) {
		g.out = NULL;
		goto cleanup;
	}
	g.out = NULL;

	/* all or nothing: no half-written header on failure */
	if (output) {
		FILE *f = fopen(output, "w");

		if (!f || fwrite(buf, 1, buf_sz, f) != buf_sz || fclose(f)) {
			fprintf(stderr, "%s: %s: %s\n", PROG, output, strerror(errno));
			if (output)
				unlink(output);
			goto cleanup;
		}
	} else if (fwrite(buf, 1, buf_sz, stdout) != buf_sz || fflush(stdout)) {
		fprintf(stderr, "%s: stdout: %s\n", PROG, strerror(errno));
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(buf);
	bpf_object__close(g.obj);
	free(g.lay);
	free(g.emitted);
	free(g.bytes);
	free((char *)g.name);
	return ret;
}
