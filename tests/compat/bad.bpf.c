// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A program the verifier refuses: it reads through a pointer it never checked
 * (a hash map's: an array lookup with a constant key may be proven non-NULL). */
#include "attach-common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} vals SEC(".maps");

SEC("tp/syscalls/sys_enter_getpgid")
int wbpf_ct_bad(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&vals, &k);

	return *v; /* no NULL check */
}
