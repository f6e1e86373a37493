// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The BPF side of the abi tier. Events are triggered by the guest itself: it
 * calls wasm_bpf_map_operate(LOOKUP) on map "ctl" with flags
 * (MAGIC << 32 | guest_seq); the kernel refuses the flags (-EINVAL) after the
 * sys_enter_bpf tracepoint has fired in the guest's own process, and this
 * program recognises the magic (random, chosen by the guest and stored in
 * ctl[CTL_MAGIC]). So the guest knows exactly how many events it caused.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "abi-event.h"
#include "wbpf-drops.bpf.h" /* counts what a full buffer refuses */

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} pb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CTL_MAX);
	__type(key, __u32);
	__type(value, __u64);
} ctl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RT_KEYS);
	__type(key, __u32);
	__type(value, __u64);
} in SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RT_KEYS);
	__type(key, __u32);
	__type(value, __u64);
} out SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32); /* 4 bytes: the kernel copies 8 per CPU */
} pcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} pcpuh SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} arr SEC(".maps");

/* tracepoint syscalls/sys_enter_* context (see its format file) */
struct sys_enter_ctx {
	__u64 common;
	__s64 nr;
	__u64 args[6];
};

static __u64 *ctl_get(__u32 k)
{
	return bpf_map_lookup_elem(&ctl, &k);
}

static void round_trip(void)
{
	for (int i = 0; i < RT_KEYS; i++) {
		__u32 k = i;
		__u64 *v = bpf_map_lookup_elem(&in, &k), r;

		if (!v)
			continue;
		r = RT_FN(*v);
		bpf_map_update_elem(&out, &k, &r, BPF_ANY);
	}
}

SEC("tp/syscalls/sys_enter_bpf")
int wbpf_abi_tp(struct sys_enter_ctx *ctx)
{
	__u64 flags, *magic, *mode, *seq;
	struct abi_event e = {};

	if (ctx->args[0] != BPF_MAP_LOOKUP_ELEM)
		return 0;
	/* union bpf_attr for element commands: flags at offset 24 */
	if (bpf_probe_read_user(&flags, sizeof(flags), (void *)(ctx->args[1] + 24)))
		return 0;
	magic = ctl_get(CTL_MAGIC);
	mode = ctl_get(CTL_MODE);
	seq = ctl_get(CTL_SEQ);
	if (!magic || !mode || !seq || !*magic || (flags >> 32) != *magic)
		return 0;
	e.seq = __sync_fetch_and_add(seq, 1);
	e.gseq = (__u32)flags;
	for (int i = 0; i < ABI_PAYLOAD; i++)
		e.payload[i] = ABI_PATTERN(e.seq, i);
	switch (*mode) {
	case MODE_RING:
		wbpf_ringbuf_output(&rb, &e, sizeof(e), 0);
		break;
	case MODE_PERF:
		wbpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, &e, sizeof(e));
		break;
	case MODE_ROUND_TRIP:
		round_trip();
		break;
	}
	return 0;
}

/* Attach targets: a cgroup directory, an interface, "BINARY:FUNCTION". */
SEC("sockops")
int wbpf_abi_sockops(struct bpf_sock_ops *skops)
{
	return 1;
}

SEC("xdp")
int wbpf_abi_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* drops every packet from its socket: nobody reads it */
SEC("socket")
int wbpf_abi_sockfilter(struct __sk_buff *skb)
{
	return 0;
}

SEC("uprobe")
int wbpf_abi_uprobe(void *ctx)
{
	return 0;
}
