// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The BPF side of the compat guests. The guest patches wbpf_magic in the
 * object's .rodata bytes before load, then calls wasm_bpf_map_operate(LOOKUP)
 * with flags (magic << 32 | gseq): the kernel refuses the flags after the
 * sys_enter_bpf tracepoint fired, and this program reports exactly those
 * calls, so the guest knows which events it caused. Nothing matches unless
 * the patched .rodata reached the kernel.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "compat.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u64 wbpf_magic = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CT_MAX_EVENTS);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

struct sys_enter_ctx {
	__u64 common;
	__s64 nr;
	__u64 args[6];
};

SEC("tp/syscalls/sys_enter_bpf")
int wbpf_ct_ev(struct sys_enter_ctx *ctx)
{
	struct ct_event *e;
	__u64 flags, v;
	__u32 k;

	if (ctx->args[0] != BPF_MAP_LOOKUP_ELEM || !wbpf_magic)
		return 0;
	/* union bpf_attr for element commands: flags at offset 24 */
	if (bpf_probe_read_user(&flags, sizeof(flags), (void *)(ctx->args[1] + 24)))
		return 0;
	if ((flags >> 32) != (wbpf_magic & 0xffffffff))
		return 0;
	k = (__u32)flags;
	v = CT_SEEN_VALUE(k);
	bpf_map_update_elem(&seen, &k, &v, BPF_ANY);
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->rodata = wbpf_magic;
	e->gseq = k;
	e->pad = 0;
	for (int i = 0; i < CT_PAYLOAD; i++)
		e->payload[i] = CT_PATTERN(k, i);
	bpf_ringbuf_submit(e, 0);
	return 0;
}
