/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event shared by uprobe.bpf.c and uprobe.c: 64-bit integers first,
 * then 32-bit ones and chars, padded by hand to a multiple of 8, so that the
 * BPF target and wasm32 lay it out the same way (uprobe.c checks its size).
 */
#ifndef __UPROBE_H
#define __UPROBE_H

#define TASK_COMM_LEN 16

enum uprobe_kind {
	UPROBE_ENTRY = 0,
	UPROBE_RETURN = 1,
};

struct event {
	unsigned long long arg1; /* entry: the first two argument registers */
	unsigned long long arg2;
	unsigned long long ret; /* return: the return value register */
	int pid;
	int tid;
	unsigned int kind; /* enum uprobe_kind */
	char comm[TASK_COMM_LEN];
	unsigned int __pad;
};

#endif /* __UPROBE_H */
