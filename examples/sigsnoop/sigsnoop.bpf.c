// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sigsnoop: trace signals (libbpf-tools' sigsnoop). By default one program
 * on signal/signal_generate reports every signal the kernel generates; in
 * kill mode (-k) the entries of kill(), tkill() and tgkill() save the target
 * and signal of the calling thread, and their exits add the result and send
 * the event. Events go through a perf event array. The filters (sender
 * process, signal set, failures only) all run here.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "sigsnoop.h"

const volatile pid_t filtered_pid = 0;
const volatile u64 target_signals = 0; /* bit N-1 for signal N; 0: every signal */
const volatile bool failed_only = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct event);
} values SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

static __always_inline bool signal_wanted(int sig)
{
	if (!target_signals)
		return true;
	if (sig < 1 || sig > MAX_SIGNAL)
		return false;
	return target_signals & (1ULL << (sig - 1));
}

static __always_inline int kill_entry(pid_t tpid, int sig)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct event e = {};

	if (!signal_wanted(sig))
		return 0;
	if (filtered_pid && filtered_pid != (pid_t)(id >> 32))
		return 0;
	e.pid = id >> 32;
	e.tpid = tpid;
	e.sig = sig;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_map_update_elem(&values, &tid, &e, BPF_ANY);
	return 0;
}

static __always_inline int kill_exit(void *ctx, long ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct event *e;

	e = bpf_map_lookup_elem(&values, &tid);
	if (!e)
		return 0;
	if (failed_only && ret >= 0)
		goto cleanup;
	e->ret = ret;
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, sizeof(*e));
cleanup:
	bpf_map_delete_elem(&values, &tid);
	return 0;
}

/* kill(pid, sig) */
SEC("tracepoint/syscalls/sys_enter_kill")
int kill_enter(struct trace_event_raw_sys_enter *ctx)
{
	return kill_entry((pid_t)ctx->args[0], (int)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_kill")
int kill_return(struct trace_event_raw_sys_exit *ctx)
{
	return kill_exit(ctx, ctx->ret);
}

/* tkill(tid, sig) */
SEC("tracepoint/syscalls/sys_enter_tkill")
int tkill_enter(struct trace_event_raw_sys_enter *ctx)
{
	return kill_entry((pid_t)ctx->args[0], (int)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_tkill")
int tkill_return(struct trace_event_raw_sys_exit *ctx)
{
	return kill_exit(ctx, ctx->ret);
}

/* tgkill(tgid, tid, sig): the target shown is the thread */
SEC("tracepoint/syscalls/sys_enter_tgkill")
int tgkill_enter(struct trace_event_raw_sys_enter *ctx)
{
	return kill_entry((pid_t)ctx->args[1], (int)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_tgkill")
int tgkill_return(struct trace_event_raw_sys_exit *ctx)
{
	return kill_exit(ctx, ctx->ret);
}

SEC("tracepoint/signal/signal_generate")
int sig_trace(struct trace_event_raw_signal_generate *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	struct event e = {};
	int ret = ctx->errno;

	if (failed_only && ret == 0)
		return 0;
	if (!signal_wanted(ctx->sig))
		return 0;
	if (filtered_pid && filtered_pid != (pid_t)(id >> 32))
		return 0;
	e.pid = id >> 32;
	e.tpid = ctx->pid;
	e.sig = ctx->sig;
	e.ret = ret;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
