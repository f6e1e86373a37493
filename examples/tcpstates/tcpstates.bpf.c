// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tcpstates: trace TCP state changes (libbpf-tools' tcpstates) from the
 * sock/inet_sock_set_state tracepoint alone: the original also stamps new
 * sockets from kprobes on tcp_v4_init_sock/tcp_v6_init_sock, which this
 * port does without (kprobes are not always there), so the first change a
 * socket makes while tracing has no duration. Addresses and ports come from
 * the tracepoint's own fields (read with bpf_probe_read_kernel(): the
 * verifier refuses the offset pointers into the context that copying them
 * directly compiles to); filters by family and ports run here.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "tcpstates.h"

#define MAX_ENTRIES 10240
#define MAX_PORTS 1024

const volatile bool filter_by_sport = false;
const volatile bool filter_by_dport = false;
const volatile unsigned short target_family = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_PORTS);
	__type(key, u16);
	__type(value, u16);
} sports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_PORTS);
	__type(key, u16);
	__type(value, u16);
} dports SEC(".maps");

/* when each socket entered its current state */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, u64);
	__type(value, u64);
} timestamps SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

SEC("tracepoint/sock/inet_sock_set_state")
int handle_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	u64 sk = (u64)ctx->skaddr;
	u16 family = ctx->family;
	u16 sport = ctx->sport;
	u16 dport = ctx->dport;
	struct event e = {};
	u64 *tsp, ts;

	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	if (target_family && target_family != family)
		return 0;
	if (filter_by_sport && !bpf_map_lookup_elem(&sports, &sport))
		return 0;
	if (filter_by_dport && !bpf_map_lookup_elem(&dports, &dport))
		return 0;

	ts = bpf_ktime_get_ns();
	tsp = bpf_map_lookup_elem(&timestamps, &sk);
	e.skaddr = sk;
	e.ts_us = ts / 1000;
	e.delta_us = tsp ? (ts - *tsp) / 1000 : 0;
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.oldstate = ctx->oldstate;
	e.newstate = ctx->newstate;
	e.family = family;
	e.sport = sport;
	e.dport = dport;
	if (family == LINUX_AF_INET) {
		bpf_probe_read_kernel(e.saddr, 4, ctx->saddr);
		bpf_probe_read_kernel(e.daddr, 4, ctx->daddr);
	} else {
		bpf_probe_read_kernel(e.saddr, 16, ctx->saddr_v6);
		bpf_probe_read_kernel(e.daddr, 16, ctx->daddr_v6);
	}
	bpf_get_current_comm(e.task, sizeof(e.task));
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));

	if (ctx->newstate == TCP_CLOSE)
		bpf_map_delete_elem(&timestamps, &sk);
	else
		bpf_map_update_elem(&timestamps, &sk, &ts, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
