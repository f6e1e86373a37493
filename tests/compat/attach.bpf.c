// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One program per attach kind; the guest attaches exactly one of them per
 * run, and the tier checks that the events the trigger program causes reach
 * it. CT_TRIG is the trigger program's absolute path (for the uprobe whose
 * binary is in the section name).
 */
#include <asm/unistd.h>

#include "attach-common.h"

/* tracepoint syscalls/sys_enter_* context (see its format file) */
struct sys_enter_ctx {
	__u64 common;
	__s64 nr;
	__u64 args[6];
};

SEC("tp/syscalls/sys_enter_getpgid")
int wbpf_ct_tp(struct sys_enter_ctx *ctx)
{
	if (is_trig())
		hit();
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int wbpf_ct_tplong(struct sys_enter_ctx *ctx)
{
	if (is_trig())
		hit();
	return 0;
}

/* target "syscalls/sys_enter_getpgid" */
SEC("tp")
int wbpf_ct_tptgt(struct sys_enter_ctx *ctx)
{
	if (is_trig())
		hit();
	return 0;
}

/* sys_enter(struct pt_regs *regs, long id) */
SEC("tp_btf/sys_enter")
int wbpf_ct_tpbtf(__u64 *ctx)
{
	if (ctx[1] == __NR_getpgid && is_trig())
		hit();
	return 0;
}

SEC("raw_tp/sys_enter")
int wbpf_ct_rawtp(struct bpf_raw_tracepoint_args *ctx)
{
	if (ctx->args[1] == __NR_getpgid && is_trig())
		hit();
	return 0;
}

/* target "sys_enter" */
SEC("raw_tp")
int wbpf_ct_rawtgt(struct bpf_raw_tracepoint_args *ctx)
{
	if (ctx->args[1] == __NR_getpgid && is_trig())
		hit();
	return 0;
}

SEC("uprobe/" CT_TRIG ":wbpf_compat_probe")
int wbpf_ct_upsec(void *ctx)
{
	if (is_trig())
		hit();
	return 0;
}

/* target "BINARY:wbpf_compat_probe" */
SEC("uprobe")
int wbpf_ct_uptgt(void *ctx)
{
	if (is_trig())
		hit();
	return 0;
}

/* target "BINARY:wbpf_compat_probe" */
SEC("uretprobe")
int wbpf_ct_uretprobe(void *ctx)
{
	if (is_trig())
		hit();
	return 0;
}

/* needs kprobes: loads everywhere, attaches only where the kernel has them */
SEC("kprobe/__x64_sys_getpgid")
int wbpf_ct_kprobe(void *ctx)
{
	if (is_trig())
		hit();
	return 0;
}

/* target: a cgroup directory holding only the trigger program */
SEC("cgroup_skb/egress")
int wbpf_ct_cgskb(struct __sk_buff *skb)
{
	hit();
	return 1;
}

SEC("sockops")
int wbpf_ct_sockops(struct bpf_sock_ops *skops)
{
	hit();
	return 1;
}

/* target "lo": UDP datagrams to CT_UDP_PORT (Ethernet, IPv4 without options) */
SEC("xdp")
int wbpf_ct_xdp(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;

	if (data + 14 + 20 + 8 > end)
		return XDP_PASS;
	if (data[12] != 0x08 || data[13] != 0x00 || data[14] != 0x45 || data[23] != 17)
		return XDP_PASS;
	if (data[36] == (CT_UDP_PORT >> 8) && data[37] == (CT_UDP_PORT & 0xff))
		hit();
	return XDP_PASS;
}
