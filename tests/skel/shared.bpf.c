// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The BPF side of shared-event.h: struct event is in the BTF as a map value. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "shared-event.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct event);
} last SEC(".maps");

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	__u32 key = 0;
	struct event *e = bpf_map_lookup_elem(&last, &key);

	if (e) {
		e->pid = bpf_get_current_pid_tgid() >> 32;
		e->ts = bpf_ktime_get_ns();
		bpf_get_current_comm(e->comm, sizeof(e->comm));
	}
	return 0;
}
