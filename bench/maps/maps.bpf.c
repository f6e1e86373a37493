// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Two maps for the map benchmark; user space fills and reads them. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define NKEYS 1024

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NKEYS);
	__type(key, u32);
	__type(value, u64);
} array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NKEYS);
	__type(key, u32);
	__type(value, u64);
} hash SEC(".maps");

/* never attached: libbpf wants an object to hold a program */
SEC("tp/syscalls/sys_enter_getppid")
int touch(void *ctx)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&array, &key);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
