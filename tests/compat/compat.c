// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The compat tier's guest: the shapes of modules built by the existing
 * Wasm-eBPF toolchain, written with raw imports. One source, built as:
 *   default       imports from "wasm_bpf"; linked with -Wl,--allow-undefined
 *                 and without --export-table (the existing examples' flags):
 *                 the callback is a plain function pointer, an index into
 *                 the module's own, unexported table;
 *   -DCT_ENV      no import attributes: the linker puts the six functions
 *                 in module "env", as modules built before 2023 have them;
 *   -DCT_TINYGO   the TinyGo shape: poll through callback-wrapper's
 *                 wasm_bpf_buffer_poll, samples delivered to the export
 *                 "go-callback";
 * and each of them linked with -Wl,--export-table too.
 *
 * Usage: compat MAGIC N [neg]. Patches MAGIC into wbpf_magic inside the
 * embedded object's .rodata bytes (what the existing skeleton does through
 * skel->rodata), loads, attaches with target 0, causes N events, checks
 * every one (content, order, the .rodata value the kernel saw), walks the
 * "seen" hash from a 0 key, deletes passing 0 for unused pointers, closes.
 * One line a check: "ok NAME" / "FAIL NAME: ...". With "neg", it then
 * prints 300 numbered lines and a last line without newline and returns -1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "wbpf-test.h"
#include "compat.bpf.inc" /* compat_bpf_o[], compat_bpf_o_len */

#ifdef CT_ENV
#define IMP(name)
#else
#define IMP(name) __attribute__((import_module("wasm_bpf"), import_name(name)))
#endif

IMP("wasm_load_bpf_object") uint64_t wasm_load_bpf_object(const void *buf, int size);
IMP("wasm_attach_bpf_program")
int wasm_attach_bpf_program(uint64_t obj, const char *name, const char *target);
IMP("wasm_bpf_map_fd_by_name") int wasm_bpf_map_fd_by_name(uint64_t obj, const char *name);
IMP("wasm_bpf_map_operate")
int wasm_bpf_map_operate(int fd, int cmd, void *key, void *value, void *next_key, uint64_t flags);
IMP("wasm_close_bpf_object") int wasm_close_bpf_object(uint64_t obj);
#ifdef CT_TINYGO
__attribute__((import_module("callback-wrapper"), import_name("wasm_bpf_buffer_poll")))
int go_buffer_poll(uint64_t obj, int fd, uint32_t ctx, char *data, int max_size, int timeout_ms);
#else
IMP("wasm_bpf_buffer_poll")
int wasm_bpf_buffer_poll(uint64_t obj, int fd, int32_t sample_fn, uint32_t ctx, char *data,
			 int max_size, int timeout_ms);
#endif

#define LOOKUP 1
#define DELETE 3
#define NEXT_KEY 4
#define L_ENOENT 2
#define L_EINVAL 22

struct state {
	uint32_t magic;
	int want;	/* events caused */
	int got;	/* events delivered */
	int bad;	/* events with wrong content */
	int calls;	/* callback calls */
};

static struct state st;

static int handle_event(void *ctx, void *data, size_t size)
{
	struct state *s = ctx;
	const struct ct_event *e = data;
	int i;

	if (s != &st) { /* the ctx did not come back unchanged */
		st.bad++;
		return 0;
	}
	s->calls++;
	if (size != sizeof(*e) || e->rodata != s->magic || e->gseq != (uint32_t)s->got) {
		printf("bad event: size %zu rodata %#llx gseq %u (want %d)\n", size, e->rodata,
		       e->gseq, s->got);
		s->bad++;
		return 0;
	}
	for (i = 0; i < CT_PAYLOAD; i++)
		if (e->payload[i] != CT_PATTERN(e->gseq, i))
			break;
	if (i < CT_PAYLOAD)
		s->bad++;
	s->got++;
	return 0;
}

/* Address-taken functions of other types and of the same type, so that the
 * callback's table index is neither 1 nor the only entry. */
static int decoy_a(void *c, void *d, size_t n) { return printf("decoy a\n"), -1; }
static int decoy_b(void *c, void *d, size_t n) { return printf("decoy b\n"), -1; }
static void decoy_c(int x) { printf("decoy c %d\n", x); }
int (*volatile ct_decoys[])(void *, void *, size_t) = {decoy_a, decoy_b};
void (*volatile ct_decoy_c)(int) = decoy_c;

#ifdef CT_TINYGO
__attribute__((export_name("go-callback"))) int go_callback(uint32_t ctx, uint32_t data,
							     uint32_t size)
{
	return handle_event((void *)(uintptr_t)ctx, (void *)(uintptr_t)data, size);
}

static int poll_buffer(uint64_t obj, int fd, char *buf, int len)
{
	return go_buffer_poll(obj, fd, (uint32_t)(uintptr_t)&st, buf, len, 100);
}
#else
static int poll_buffer(uint64_t obj, int fd, char *buf, int len)
{
	return wasm_bpf_buffer_poll(obj, fd, (int32_t)(uintptr_t)handle_event,
				    (uint32_t)(uintptr_t)&st, buf, len, 100);
}
#endif

/* ELF64 little endian, as the BPF target writes it */
static uint64_t rd(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* File offset of symbol SYM (in section .rodata) inside the ELF bytes, or 0:
 * what the existing skeleton computes at generation time as rodata_offset
 * plus the variable's offset. */
static uint32_t rodata_sym_offset(const unsigned char *elf, uint32_t len, const char *sym)
{
	uint64_t shoff = rd(elf + 0x28, 8);
	unsigned shentsize = rd(elf + 0x3a, 2), shnum = rd(elf + 0x3c, 2);
	unsigned shstrndx = rd(elf + 0x3e, 2), i, rodata = 0, symtab = 0;
	const unsigned char *sh = elf + shoff, *names = elf + rd(sh + shstrndx * shentsize + 0x18, 8);

	for (i = 0; i < shnum; i++) {
		const unsigned char *s = sh + i * shentsize;

		if (!strcmp((const char *)names + rd(s, 4), ".rodata"))
			rodata = i;
		if (rd(s + 4, 4) == 2 /* SHT_SYMTAB */)
			symtab = i;
	}
	if (!rodata || !symtab)
		return 0;
	{
		const unsigned char *ss = sh + symtab * shentsize;
		const unsigned char *syms = elf + rd(ss + 0x18, 8);
		uint64_t n = rd(ss + 0x20, 8) / 24;
		const char *strs = (const char *)elf +
				   rd(sh + rd(ss + 0x28, 4) * shentsize + 0x18, 8);

		for (i = 0; i < n; i++) {
			const unsigned char *y = syms + i * 24;

			if (rd(y + 6, 2) == rodata && !strcmp(strs + rd(y, 4), sym))
				return rd(sh + rodata * shentsize + 0x18, 8) + rd(y + 8, 8);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[4096];
	uint32_t key, next, off;
	uint64_t obj, val;
	int n, fd, rb, i, r, keys, wrong;

	if (argc < 3) {
		fprintf(stderr, "usage: compat MAGIC N [neg]\n");
		return 2;
	}
	st.magic = (uint32_t)strtoul(argv[1], NULL, 0);
	n = atoi(argv[2]);
	if (!st.magic || n <= 0 || n > CT_MAX_EVENTS) {
		fprintf(stderr, "bad MAGIC or N\n");
		return 2;
	}
	st.want = n;
	/* rodata, patched inside the object bytes before load */
	off = rodata_sym_offset(compat_bpf_o, compat_bpf_o_len, "wbpf_magic");
	check("rodata symbol found", off != 0 && off + 8 <= compat_bpf_o_len, 1);
	if (!off)
		return 1;
	memcpy(compat_bpf_o + off, &(uint64_t){st.magic}, 8);

	obj = wasm_load_bpf_object(compat_bpf_o, compat_bpf_o_len);
	check("load", obj != 0, 1);
	if (!obj)
		return 1;
	check("attach, target 0", wasm_attach_bpf_program(obj, "wbpf_ct_ev", NULL), 0);
	fd = wasm_bpf_map_fd_by_name(obj, "seen");
	rb = wasm_bpf_map_fd_by_name(obj, "rb");
	check("map fds", fd >= 0 && rb >= 0, 1);

	/* the events: n refused lookups, next_key 0 */
	for (i = 0, wrong = 0; i < n; i++) {
		key = 0;
		r = wasm_bpf_map_operate(fd, LOOKUP, &key, &val, NULL,
					 (uint64_t)st.magic << 32 | (uint32_t)i);
		wrong += r != -L_EINVAL;
	}
	check("trigger lookups refused", wrong, 0);
	for (i = 0; i < 50 && st.got < n; i++) {
		r = poll_buffer(obj, rb, buf, sizeof(buf));
		if (r < 0) {
			check("poll", r, 0);
			break;
		}
	}
	check("events delivered", st.got, n);
	check("callback calls", st.calls, n);
	check("events intact", st.bad, 0);

	/* walk the hash from a 0 key (NULL: the first key) */
	keys = 0;
	wrong = 0;
	r = wasm_bpf_map_operate(fd, NEXT_KEY, NULL, NULL, &next, 0);
	while (r == 0 && keys <= CT_MAX_EVENTS) {
		keys++;
		if (next >= (uint32_t)n)
			wrong++;
		r = wasm_bpf_map_operate(fd, LOOKUP, &next, &val, NULL, 0);
		if (r || val != CT_SEEN_VALUE(next))
			wrong++;
		key = next;
		r = wasm_bpf_map_operate(fd, NEXT_KEY, &key, NULL, &next, 0);
	}
	check("get_next_key from 0 ends with ENOENT", r, -L_ENOENT);
	check("keys seen", keys, n);
	check("key values", wrong, 0);
	for (i = 0, wrong = 0; i < n; i++) {
		key = i;
		wrong += wasm_bpf_map_operate(fd, DELETE, &key, NULL, NULL, 0) != 0;
	}
	check("delete with value 0", wrong, 0);
	check("empty after delete", wasm_bpf_map_operate(fd, NEXT_KEY, NULL, NULL, &next, 0),
	      -L_ENOENT);
	check("close", wasm_close_bpf_object(obj), 0);

	if (argc > 3 && !strcmp(argv[3], "neg")) {
		for (i = 0; i < 300; i++)
			printf("line %d of the output before main returns -1\n", i);
		printf("last line, no newline");
		return -1;
	}
	return failures ? 1 : 0;
}
