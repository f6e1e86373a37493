/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The records shared by opensnoop.bpf.c and opensnoop.c. struct event has
 * the same layout on the BPF target and on wasm32: one 64-bit field first,
 * then 32-bit integers and chars (opensnoop.c checks its size).
 */
#ifndef __OPENSNOOP_H
#define __OPENSNOOP_H

#define TASK_COMM_LEN 16
#define PATH_LEN 256
#define INVALID_UID ((unsigned int)-1)

/*
 * Linux's open flags, for -e: the guest's <fcntl.h> is WASI's, whose O_*
 * values are not Linux's.
 */
#define LINUX_O_CREAT 0100
#define LINUX_O_TMPFILE 020200000

struct event {
	unsigned long long ts_ns; /* bpf_ktime_get_ns() at the exit of the call */
	int pid;
	int tid;
	unsigned int uid;
	int ret; /* the fd, or -errno */
	int flags;
	unsigned int mode;
	char comm[TASK_COMM_LEN];
	char fname[PATH_LEN];
};

#endif /* __OPENSNOOP_H */
