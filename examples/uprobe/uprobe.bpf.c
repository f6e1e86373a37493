// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * uprobe: an entry and a return probe on one user-space function (the
 * uprobe example of libbpf-bootstrap, generalised). The sections name no
 * binary: the guest gives both programs the target "BINARY:FUNCTION" (see
 * docs/abi.md, "Attaching"), and the host attaches them for every process,
 * so the -p filter runs here. Events go through a ring buffer, which keeps
 * them in the order they were reserved, entry before return.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "uprobe.h"

const volatile int target_pid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

static __always_inline int report(enum uprobe_kind kind, u64 arg1, u64 arg2, u64 ret)
{
	u64 id = bpf_get_current_pid_tgid();
	struct event *e;

	if (target_pid && target_pid != (int)(id >> 32))
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->arg1 = arg1;
	e->arg2 = arg2;
	e->ret = ret;
	e->pid = id >> 32;
	e->tid = (u32)id;
	e->kind = kind;
	e->__pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(uprobe_entry)
{
	return report(UPROBE_ENTRY, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), 0);
}

SEC("uretprobe")
int BPF_KRETPROBE(uprobe_return)
{
	return report(UPROBE_RETURN, 0, 0, PT_REGS_RC(ctx));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
