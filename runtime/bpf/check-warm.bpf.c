// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The object a spare of the object checker opens while it waits
 * (runtime/bpf/check.c, spare_warm()): a tool's usual parts in a few
 * hundred bytes (maps declared with BTF, a ring buffer, read-only and
 * zeroed data, a tracepoint program with a CO-RE read, a license), so that
 * the first object from the guest finds libbpf's code and data ready.
 * Never loaded. Self-contained: no headers, so that it builds for any host.
 */
#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int(*name)[val]
#define __type(name, val) typeof(val) *name

struct {
	__uint(type, 27); /* BPF_MAP_TYPE_RINGBUF */
	__uint(max_entries, 4096);
} warm_rb SEC(".maps");

struct {
	__uint(type, 1); /* BPF_MAP_TYPE_HASH */
	__uint(max_entries, 8);
	__type(key, int);
	__type(value, long);
} warm_map SEC(".maps");

struct warm_task {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

const volatile int warm_cfg = 1;
long warm_count;

static void *(*warm_lookup)(void *map, const void *key) = (void *)1;
static long (*warm_read)(void *dst, unsigned int size, const void *src) = (void *)4;

SEC("tp/sched/sched_process_exec")
int warm_exec(void *ctx)
{
	struct warm_task *t = ctx;
	int pid = 0;
	long *v;

	warm_read(&pid, sizeof(pid), &t->tgid);
	v = warm_lookup(&warm_map, &pid);
	if (v && warm_cfg)
		warm_count += *v;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
