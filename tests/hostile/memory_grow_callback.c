// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: memory.grow inside a buffer-poll callback: the host calls back
 * into the guest, the callback grows memory by a page per sample, and the
 * function that called wasm_bpf_buffer_poll then writes and reads back each
 * new page, with what it wrote before the poll still there. The AOT engine
 * keeps the memory's base in a local of each function (docs/abi.md,
 * "Generated code"): it must be read again after the import returns.
 * needs: bpf
 * exit: 0
 * stdout: memory_grow_callback: every check passed
 */
#include "hostile.h"

static struct abi_event ev;
static uint32_t got, first_new_page, new_pages;

static int on_sample(void *ctx, void *data, size_t size)
{
	uint32_t before = (uint32_t)__builtin_wasm_memory_grow(0, 1);

	if (before != UINT32_MAX) {
		if (!new_pages)
			first_new_page = before;
		new_pages++;
	}
	got++;
	return 0;
}

static volatile uint8_t old[64];

/* Polls, then uses the pages the callbacks added, in the same function. */
__attribute__((noinline)) static void poll_and_touch(long long h, int rb)
{
	volatile uint8_t *p;
	uint32_t i;

	for (i = 0; i < sizeof(old); i++)
		old[i] = (uint8_t)(i * 7 + 3);
	for (i = 0; i < 50 && got < 4; i++)
		if (bpoll(h, rb, P(on_sample), 0, P(&ev), sizeof(ev), 100) < 0)
			break;
	check("samples", got, 4);
	check("pages grown by the callbacks", new_pages, 4);
	check("memory size", (uint32_t)__builtin_wasm_memory_size(0), first_new_page + new_pages);
	p = (volatile uint8_t *)(uintptr_t)(first_new_page * 65536u);
	for (i = 0; i < new_pages; i++) {
		p[i * 65536u] = (uint8_t)(0x40 + i);
		p[i * 65536u + 65535u] = (uint8_t)(0x80 + i);
	}
	for (i = 0; i < new_pages; i++) {
		check("first byte of a new page", p[i * 65536u], 0x40 + i);
		check("last byte of a new page", p[i * 65536u + 65535u], 0x80 + i);
		check("an untouched byte of a new page", p[i * 65536u + 2], 0);
	}
	for (i = 0; i < sizeof(old); i++)
		check("a byte written before the poll", old[i], (uint8_t)(i * 7 + 3));
}

int main(void)
{
	long long h = load_abi();
	int rb = map_fd(h, "rb");
	uint32_t magic = arm(h, MODE_RING);

	for (uint32_t i = 0; i < 4; i++)
		emit(h, magic, 1 + i);
	poll_and_touch(h, rb);
	check("close", close_obj(h), 0);
	return verdict("memory_grow_callback");
}
