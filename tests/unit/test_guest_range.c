/* UNIT-LINK: runtime/common/guest.c $GEN/imports-table.c $GEN/stub-handlers.c */
// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one guest-range rule (guest.h), its overflow cases, and the import table. */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "wbpf/guest.h"

static uint8_t memory[65536];
static uint64_t memory_size = sizeof(memory);

static uint8_t *fake_mem(struct wbpf_guest *g, uint64_t *size)
{
	*size = memory_size;
	return memory;
}

static const struct wbpf_engine_ops fake_ops = {.mem = fake_mem};
static struct wbpf_guest g = {.ops = &fake_ops};

static void range_inside_and_at_the_edges(void)
{
	CHECK(wbpf_range_ok(65536, 0, 65536));
	CHECK(wbpf_range_ok(65536, 65535, 1));
	CHECK(wbpf_range_ok(65536, 65536, 0));
	CHECK(!wbpf_range_ok(65536, 65536, 1));
	CHECK(!wbpf_range_ok(65536, 65537, 0));
	CHECK(!wbpf_range_ok(65536, 0, 65537));
	CHECK(!wbpf_range_ok(0, 0, 1));
	CHECK(wbpf_range_ok(0, 0, 0));
}

static void range_overflow_is_refused(void)
{
	/* off + len wraps around 2^64 or 2^32: must not pass as small */
	CHECK(!wbpf_range_ok(65536, UINT64_MAX, 2));
	CHECK(!wbpf_range_ok(65536, 16, UINT64_MAX));
	CHECK(!wbpf_range_ok(65536, UINT64_MAX, UINT64_MAX));
	CHECK(!wbpf_range_ok(65536, 0xfffffff0u, 0x20));
	CHECK(!wbpf_range_ok(65536, 0x10, 0xffffffffu));
	CHECK(!wbpf_range_ok(UINT32_MAX, 0xffffffffu, 1));
	CHECK(wbpf_range_ok((uint64_t)UINT32_MAX + 1, 0xffffffffu, 1));
}

static void guest_range_gives_host_pointer_or_null(void)
{
	wbpf_guest_refresh(&g);
	CHECK(wbpf_guest_range(&g, 0, 16) == memory);
	CHECK(wbpf_guest_range(&g, 100, 0) == memory + 100);
	CHECK(wbpf_guest_range(&g, 65520, 16) == memory + 65520);
	CHECK(wbpf_guest_range(&g, 65520, 17) == NULL);
	CHECK(wbpf_guest_range(&g, 0xffffffffu, 2) == NULL);
	memory_size = 4096; /* the view follows the engine's size once refreshed */
	wbpf_guest_refresh(&g);
	CHECK(wbpf_guest_range(&g, 4000, 200) == NULL);
	memory_size = sizeof(memory);
	wbpf_guest_refresh(&g);
	CHECK(wbpf_guest_range(&g, 4000, 200) == memory + 4000);
}

/* Guest code may grow memory only while it runs: a call into it refreshes the
 * view, whatever the callee returns. */
static int grow_in_callback(struct wbpf_guest *gg, uint32_t idx, uint32_t a, uint32_t b,
			    uint32_t c, int32_t *ret)
{
	memory_size = sizeof(memory);
	*ret = 7;
	return idx ? -ERANGE : 0;
}

static void call_into_guest_refreshes_the_view(void)
{
	static const struct wbpf_engine_ops ops = {.mem = fake_mem,
						   .call_table_iii_i = grow_in_callback};
	struct wbpf_guest gg = {.ops = &ops};
	int32_t ret = 0;

	memory_size = 4096;
	wbpf_guest_refresh(&gg);
	CHECK(wbpf_guest_range(&gg, 8192, 8) == NULL);
	CHECK_EQ(wbpf_guest_call_table_iii_i(&gg, 0, 1, 2, 3, &ret), 0);
	CHECK_EQ(ret, 7);
	CHECK(wbpf_guest_range(&gg, 8192, 8) == memory + 8192);
	memory_size = 4096;
	CHECK_EQ(wbpf_guest_call_table_iii_i(&gg, 1, 1, 2, 3, &ret), -ERANGE);
	CHECK_EQ(gg.mem.size, sizeof(memory));
	memory_size = sizeof(memory);
}

static void guest_str_needs_nul_inside_memory(void)
{
	size_t len = 0;

	wbpf_guest_refresh(&g);
	memcpy(memory + 10, "abc", 4);
	CHECK_STR(wbpf_guest_str(&g, 10, &len), "abc");
	CHECK_EQ(len, 3);
	memset(memory + sizeof(memory) - 4, 'x', 4); /* no NUL before the end */
	CHECK(wbpf_guest_str(&g, sizeof(memory) - 4, NULL) == NULL);
	CHECK(wbpf_guest_str(&g, sizeof(memory), NULL) == NULL);
	CHECK(wbpf_guest_str(&g, 0xffffffffu, NULL) == NULL);
	memory[sizeof(memory) - 1] = 0;
	CHECK_STR(wbpf_guest_str(&g, sizeof(memory) - 4, &len), "xxx");
}

/* Words of a space-separated list. */
static size_t count_words(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (*s != ' ' && (s[1] == ' ' || !s[1]))
			n++;
	return n;
}

static void import_table_rows_are_well_formed(void)
{
	size_t i, j, bpf = 0, wasi = 0;

	CHECK(wbpf_imports_cnt > 50);
	for (i = 0; i < wbpf_imports_cnt; i++) {
		const struct wbpf_import *r = &wbpf_imports[i];

		CHECK(r->call != NULL);
		CHECK(!strncmp(r->handler, "wbpf_", 5));
		CHECK(strspn(r->params, "iI") == strlen(r->params));
		CHECK_EQ(count_words(r->names), strlen(r->params));
		CHECK(strlen(r->results) <= 1 && strspn(r->results, "iI") == strlen(r->results));
		for (j = 0; j < i; j++)
			CHECK(strcmp(r->module, wbpf_imports[j].module) ||
			      strcmp(r->name, wbpf_imports[j].name));
		bpf += !strcmp(r->module, "wasm_bpf");
		wasi += !strcmp(r->module, "wasi_snapshot_preview1");
	}
	CHECK_EQ(bpf, 6);
	CHECK_EQ(wasi, 46);
}

int main(void)
{
	RUN(range_inside_and_at_the_edges);
	RUN(range_overflow_is_refused);
	RUN(guest_range_gives_host_pointer_or_null);
	RUN(call_into_guest_refreshes_the_view);
	RUN(guest_str_needs_nul_inside_memory);
	RUN(import_table_rows_are_well_formed);
	return check_exit();
}
