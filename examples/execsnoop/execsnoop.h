/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event shared by execsnoop.bpf.c and execsnoop.c. Its layout is the same
 * on the BPF target and on wasm32: 32-bit integers and chars only, no padding
 * (execsnoop.c checks the size and the offset of args).
 */
#ifndef __EXECSNOOP_H
#define __EXECSNOOP_H

#define ARGSIZE 128
#define TASK_COMM_LEN 16
#define TOTAL_MAX_ARGS 60
#define DEFAULT_MAXARGS 20
#define FULL_MAX_ARGS_ARR (TOTAL_MAX_ARGS * ARGSIZE)
#define INVALID_UID ((unsigned int)-1)
#define BASE_EVENT_SIZE (__builtin_offsetof(struct event, args))
#define EVENT_SIZE(e) (BASE_EVENT_SIZE + (e)->args_size)
#define LAST_ARG (FULL_MAX_ARGS_ARR - ARGSIZE)

struct event {
	int pid;
	int ppid;
	unsigned int uid;
	int retval;
	int args_count;
	unsigned int args_size;
	char comm[TASK_COMM_LEN];
	char args[FULL_MAX_ARGS_ARR];
};

#endif /* __EXECSNOOP_H */
