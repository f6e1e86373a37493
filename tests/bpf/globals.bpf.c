// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Counts execs of one command name into .bss, by a step kept in .data; the
 * name is a .rodata string. The guest (globals.c) sets all three before
 * load and reads and resets the count while it runs.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile char target_comm[16] = "";
int step = 1;
long long count;

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp/sched/sched_process_exec")
int count_exec(void *ctx)
{
	char comm[16];
	int i;

	bpf_get_current_comm(comm, sizeof(comm));
#pragma unroll
	for (i = 0; i < 16; i++) {
		if (comm[i] != target_comm[i])
			return 0;
		if (!comm[i])
			break;
	}
	__sync_fetch_and_add(&count, step);
	return 0;
}
