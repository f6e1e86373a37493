/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event shared by sigsnoop.bpf.c and sigsnoop.c: 32-bit integers and
 * chars only, the same layout on the BPF target and on wasm32.
 */
#ifndef __SIGSNOOP_H
#define __SIGSNOOP_H

#define TASK_COMM_LEN 16
#define MAX_SIGNAL 64 /* SIGRTMAX on Linux */

struct event {
	int pid;  /* the sender's process */
	int tpid; /* the target (a process or a thread) */
	int sig;
	int ret; /* kill mode: the syscall's result; else the signal's si_errno */
	char comm[TASK_COMM_LEN];
};

#endif /* __SIGSNOOP_H */
