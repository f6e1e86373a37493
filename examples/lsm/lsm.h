/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event shared by lsm.bpf.c and lsm.c: 32-bit fields, then bytes, 280
 * bytes with no padding on the BPF target and on wasm32 alike (lsm.c checks
 * the size).
 */
#ifndef __LSM_H
#define __LSM_H

#define TASK_COMM_LEN 16
#define LSM_NAME_LEN 256 /* NAME_MAX and the NUL */

struct rmdir_event {
	unsigned int pid; /* the thread group (process) */
	unsigned int uid;
	char comm[TASK_COMM_LEN];
	char name[LSM_NAME_LEN];
};

#endif /* __LSM_H */
