// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: the table index a poll calls back: out of the table, the null
 * entry, a function of another type. Each is refused when a sample comes
 * (-ERANGE, -ERANGE, -EINVAL) without calling anything. Then a callback that
 * grows memory by two pages at every sample: every sample still arrives
 * whole at the buffer the guest gave, though memory (in the interpreter) has
 * moved under the host.
 * needs: bpf
 * exit: 0
 * stdout: callbacks: every check passed
 */
#include "hostile.h"

static struct abi_event ev;
static uint32_t got, bad, grown;

static int on_sample(void *ctx, void *data, size_t size)
{
	const struct abi_event *e = data;

	if (size != sizeof(*e) || data != &ev)
		bad++;
	for (int i = 0; i < ABI_PAYLOAD; i++)
		if (e->payload[i] != ABI_PATTERN(e->seq, i))
			bad++;
	if (__builtin_wasm_memory_grow(0, 2) != (size_t)-1)
		grown += 2;
	got++;
	return 0;
}

static void wrong_type(int x)
{
	got += (uint32_t)x;
}

/* poll with callback fn until a sample came (or the poll failed) */
static int poll_one(long long h, int rb, uint32_t fn)
{
	int r = 0;

	for (int i = 0; i < 20 && r == 0; i++)
		r = bpoll(h, rb, fn, 0, P(&ev), sizeof(ev), 100);
	return r;
}

int main(void)
{
	long long h = load_abi();
	int rb = map_fd(h, "rb");
	uint32_t magic = arm(h, MODE_RING), pages0;
	void (*volatile wt)(int) = wrong_type;

	check("first poll", bpoll(h, rb, P(on_sample), 0, P(&ev), sizeof(ev), 0), 0);
	emit(h, magic, 1);
	check("index past the table", poll_one(h, rb, 0x7fffffff), -L_ERANGE);
	emit(h, magic, 2);
	check("null entry", poll_one(h, rb, 0), -L_ERANGE);
	emit(h, magic, 3);
	check("entry of another type", poll_one(h, rb, P(wt)), -L_EINVAL);
	check("nothing was called", got, 0);

	pages0 = (uint32_t)__builtin_wasm_memory_size(0);
	for (uint32_t i = 0; i < 8; i++)
		emit(h, magic, 10 + i);
	for (int i = 0; i < 50 && got < 8; i++)
		if (bpoll(h, rb, P(on_sample), 0, P(&ev), sizeof(ev), 100) < 0)
			break;
	check("samples delivered while memory grew", got, 8);
	check("samples intact", bad, 0);
	check("memory grew", (uint32_t)__builtin_wasm_memory_size(0) - pages0, grown);
	check("close", close_obj(h), 0);
	return verdict("callbacks");
}
