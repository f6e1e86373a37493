// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sockops: the TCP connections of the processes of one cgroup, from a
 * cgroup sock_ops program (the guest gives the cgroup directory as the
 * attach target, see docs/abi.md, "Attaching"). When an active or passive
 * open reaches ESTABLISHED the program reports it, remembers the time by
 * socket cookie and asks the kernel for the socket's state changes
 * (BPF_SOCK_OPS_STATE_CB_FLAG); when that socket goes to CLOSE it reports
 * the connection's smoothed RTT, bytes, retransmits and lifetime. Sockets
 * opened before the program was attached are not followed.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "sockops.h"
#include "wbpf-drops.bpf.h"

struct conn_start {
	u64 ts_ns;
	u8 kind;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, u64); /* socket cookie */
	__type(value, struct conn_start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

static __always_inline void report(struct bpf_sock_ops *skops, u8 kind, u8 opened, u64 duration)
{
	struct conn_event *e;

	e = wbpf_ringbuf_reserve(&rb, sizeof(*e), 0); /* counts a full ring */
	if (!e)
		return;
	__builtin_memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->opened = opened;
	e->duration_ns = duration;
	e->family = skops->family;
	e->lport = skops->local_port; /* host order */
	/* network order, shifted so that ntohl() gives the port (uapi bpf.h) */
	e->rport = bpf_ntohl(skops->remote_port);
	if (skops->family == LINUX_AF_INET) {
		u32 l = skops->local_ip4, r = skops->remote_ip4;

		__builtin_memcpy(e->laddr, &l, 4);
		__builtin_memcpy(e->raddr, &r, 4);
	} else {
		u32 l[4], r[4];

		l[0] = skops->local_ip6[0];
		l[1] = skops->local_ip6[1];
		l[2] = skops->local_ip6[2];
		l[3] = skops->local_ip6[3];
		r[0] = skops->remote_ip6[0];
		r[1] = skops->remote_ip6[1];
		r[2] = skops->remote_ip6[2];
		r[3] = skops->remote_ip6[3];
		__builtin_memcpy(e->laddr, l, 16);
		__builtin_memcpy(e->raddr, r, 16);
	}
	e->srtt_us = skops->srtt_us >> 3; /* the kernel keeps 8 times the RTT */
	e->total_retrans = skops->total_retrans;
	e->bytes_acked = skops->bytes_acked;
	e->bytes_received = skops->bytes_received;
	bpf_ringbuf_submit(e, 0);
}

SEC("sockops")
int sockops_tcp(struct bpf_sock_ops *skops)
{
	struct conn_start start = {}, *s;
	u64 cookie;

	if (skops->family != LINUX_AF_INET && skops->family != LINUX_AF_INET6)
		return 1;
	switch (skops->op) {
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		start.kind = skops->op == BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB ? CONN_CONNECT
									     : CONN_ACCEPT;
		start.ts_ns = bpf_ktime_get_ns();
		cookie = bpf_get_socket_cookie(skops);
		bpf_map_update_elem(&starts, &cookie, &start, BPF_ANY);
		bpf_sock_ops_cb_flags_set(skops, skops->bpf_sock_ops_cb_flags |
							 BPF_SOCK_OPS_STATE_CB_FLAG);
		report(skops, start.kind, 0, 0);
		break;
	case BPF_SOCK_OPS_STATE_CB:
		if (skops->args[1] != BPF_TCP_CLOSE)
			break;
		cookie = bpf_get_socket_cookie(skops);
		s = bpf_map_lookup_elem(&starts, &cookie);
		if (!s)
			break;
		report(skops, CONN_CLOSE, s->kind, bpf_ktime_get_ns() - s->ts_ns);
		bpf_map_delete_elem(&starts, &cookie);
		break;
	}
	return 1;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
