// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf-bootstrap's minimal.bpf.c, unchanged but for what the test reads:
 * a count of the tool's own write()s (map "counts") and one ring buffer
 * record per write (map "rb"), besides the original bpf_printk; and one
 * port change: a Wasm guest's writes reach the kernel as writev() (WASI's
 * fd_write takes a list of buffers), so sys_enter_writev is traced too.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

int my_pid = 0;

/* test: what the guest reads */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, long long);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} rb SEC(".maps");

static int on_write(void)
{
	int pid = bpf_get_current_pid_tgid() >> 32;
	long long *n;
	int key = 0, *e;

	if (pid != my_pid)
		return 0;

	bpf_printk("BPF triggered from PID %d.\n", pid);

	/* test: count, and tell the guest */
	n = bpf_map_lookup_elem(&counts, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (e) {
		*e = pid;
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

SEC("tp/syscalls/sys_enter_write")
int handle_tp(void *ctx)
{
	return on_write();
}

/* port: what a Wasm guest's write() becomes */
SEC("tp/syscalls/sys_enter_writev")
int handle_tp_writev(void *ctx)
{
	return on_write();
}
