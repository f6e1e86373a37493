/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* BPF side, shared by the attach objects: one counter, bumped by whichever
 * program the guest attached, for events of the trigger program only. */
#ifndef ATTACH_COMMON_H
#define ATTACH_COMMON_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "compat.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void hit(void)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&hits, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
}

/* the current task is the trigger program (its comm) */
static __always_inline int is_trig(void)
{
	const char want[] = CT_TRIG_COMM;
	char comm[16] = {};

	bpf_get_current_comm(comm, sizeof(comm));
	for (int i = 0; i < (int)sizeof(want); i++)
		if (comm[i] != want[i])
			return 0;
	return 1;
}

#endif
