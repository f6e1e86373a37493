// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A .rodata variable of a struct whose natural wasm32 layout differs from
 * the BPF one (long and pointers are 4 bytes on wasm32, 8 here): a guest
 * that defines the struct itself must fail to build against the skeleton;
 * with --types user_cfg it builds.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct user_cfg {
	long limit;
	void *cookie;
	int flags;
};

const volatile struct user_cfg cfg = { .limit = 10 };
int hits;

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	if (cfg.flags)
		hits += cfg.limit;
	return 0;
}
