// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * opensnoop: trace the open family of syscalls (libbpf-tools' opensnoop).
 * Each entry (open, openat, openat2) saves the path pointer, flags and mode
 * of the calling thread; the matching exit reads the path, adds the result
 * and sends one event through a ring buffer. The filters by process, thread,
 * user and result run here; the name filter runs in the guest, as in the
 * original. The full-path (-F) and callers (-c) options are left out.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "opensnoop.h"

const volatile pid_t targ_tgid = 0;
const volatile pid_t targ_pid = 0;
const volatile uid_t targ_uid = INVALID_UID;
const volatile bool targ_failed = false;

/* what the entry of a call saw, until its exit */
struct open_args {
	const char *fname;
	int flags;
	unsigned int mode;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct open_args);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

static __always_inline bool traced(u32 tgid, u32 tid)
{
	if (targ_tgid && targ_tgid != tgid)
		return false;
	if (targ_pid && targ_pid != tid)
		return false;
	if (targ_uid != INVALID_UID && targ_uid != (u32)bpf_get_current_uid_gid())
		return false;
	return true;
}

static __always_inline int save_entry(const char *fname, int flags, unsigned int mode)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct open_args args = {
		.fname = fname,
		.flags = flags,
		.mode = mode,
	};

	if (traced(id >> 32, tid))
		bpf_map_update_elem(&start, &tid, &args, BPF_ANY);
	return 0;
}

static __always_inline int send_exit(long ret)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct open_args *args;
	struct event *e;

	args = bpf_map_lookup_elem(&start, &tid);
	if (!args)
		return 0; /* its entry came before we attached, or was filtered */
	if (targ_failed && ret >= 0)
		goto cleanup;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		goto cleanup;
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = tid;
	e->uid = (u32)bpf_get_current_uid_gid();
	e->ret = ret;
	e->flags = args->flags;
	/* the mode means something only when a file may be created */
	if ((args->flags & LINUX_O_CREAT) || (args->flags & LINUX_O_TMPFILE) == LINUX_O_TMPFILE)
		e->mode = args->mode;
	else
		e->mode = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_probe_read_user_str(e->fname, sizeof(e->fname), args->fname) < 0)
		e->fname[0] = '\0';
	bpf_ringbuf_submit(e, 0);

cleanup:
	bpf_map_delete_elem(&start, &tid);
	return 0;
}

/* open(path, flags, mode): absent on arm64 and riscv64, attached if present */
SEC("tracepoint/syscalls/sys_enter_open")
int tracepoint__syscalls__sys_enter_open(struct trace_event_raw_sys_enter *ctx)
{
	return save_entry((const char *)ctx->args[0], (int)ctx->args[1], (u32)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_open")
int tracepoint__syscalls__sys_exit_open(struct trace_event_raw_sys_exit *ctx)
{
	return send_exit(ctx->ret);
}

/* openat(dirfd, path, flags, mode) */
SEC("tracepoint/syscalls/sys_enter_openat")
int tracepoint__syscalls__sys_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	return save_entry((const char *)ctx->args[1], (int)ctx->args[2], (u32)ctx->args[3]);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int tracepoint__syscalls__sys_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	return send_exit(ctx->ret);
}

/* openat2(dirfd, path, how, size): Linux 5.6 and later, attached if present */
SEC("tracepoint/syscalls/sys_enter_openat2")
int tracepoint__syscalls__sys_enter_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};

	bpf_probe_read_user(&how, sizeof(how), (void *)ctx->args[2]);
	return save_entry((const char *)ctx->args[1], (int)how.flags, (u32)how.mode);
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int tracepoint__syscalls__sys_exit_openat2(struct trace_event_raw_sys_exit *ctx)
{
	return send_exit(ctx->ret);
}

char LICENSE[] SEC("license") = "GPL";
