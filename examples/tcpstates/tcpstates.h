/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event shared by tcpstates.bpf.c and tcpstates.c: 64-bit integers
 * first, then 32- and 16-bit ones and bytes, padded by hand to a multiple
 * of 8, so that the BPF target and wasm32 lay it out the same way
 * (tcpstates.c checks its size).
 */
#ifndef __TCPSTATES_H
#define __TCPSTATES_H

#define TASK_COMM_LEN 16

/* Linux's address families: the guest's <sys/socket.h> has WASI's values */
#define LINUX_AF_INET 2
#define LINUX_AF_INET6 10

struct event {
	unsigned long long skaddr;   /* the socket's kernel address */
	unsigned long long ts_us;    /* bpf_ktime_get_ns() / 1000 at the change */
	unsigned long long delta_us; /* time in oldstate; 0 if its start was not seen */
	unsigned int pid;	     /* the process current at the change */
	unsigned int oldstate;
	unsigned int newstate;
	unsigned short family; /* LINUX_AF_INET or LINUX_AF_INET6 */
	unsigned short sport;  /* local port, host order */
	unsigned short dport;  /* remote port, host order */
	unsigned short __pad1;
	unsigned char saddr[16]; /* the first 4 bytes for IPv4 */
	unsigned char daddr[16];
	char task[TASK_COMM_LEN];
	unsigned int __pad2;
};

#endif /* __TCPSTATES_H */
