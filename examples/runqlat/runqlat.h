/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The histogram shared by runqlat.bpf.c and runqlat.c (the value of the
 * "hists" map). Its layout is the same on the BPF target and on wasm32: only
 * 32-bit counters and chars; runqlat.c checks the size.
 */
#ifndef __RUNQLAT_H
#define __RUNQLAT_H

#define TASK_COMM_LEN 16
#define MAX_SLOTS 26

struct hist {
	unsigned int slots[MAX_SLOTS];
	char comm[TASK_COMM_LEN];
};

#endif /* __RUNQLAT_H */
