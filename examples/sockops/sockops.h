/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event shared by sockops.bpf.c and sockops.c: 64-bit fields first,
 * then addresses, 32-, 16- and 8-bit ones, 72 bytes with no padding on the
 * BPF target and on wasm32 alike (sockops.c checks the size).
 */
#ifndef __SOCKOPS_H
#define __SOCKOPS_H

/* Linux's address families: the guest's <sys/socket.h> has WASI's values */
#define LINUX_AF_INET 2
#define LINUX_AF_INET6 10

enum conn_kind {
	CONN_CONNECT = 1, /* an active open reached ESTABLISHED */
	CONN_ACCEPT = 2,  /* a passive open reached ESTABLISHED */
	CONN_CLOSE = 3,	  /* one of those went to CLOSE */
};

struct conn_event {
	unsigned long long duration_ns;	   /* CONN_CLOSE: since ESTABLISHED */
	unsigned long long bytes_acked;	   /* tcpi_bytes_acked: sent, acknowledged */
	unsigned long long bytes_received; /* tcpi_bytes_received */
	unsigned char laddr[16];	   /* the first 4 bytes for IPv4 */
	unsigned char raddr[16];
	unsigned int srtt_us; /* smoothed RTT, microseconds */
	unsigned int total_retrans;
	unsigned short family; /* LINUX_AF_INET or LINUX_AF_INET6 */
	unsigned short lport;  /* host order */
	unsigned short rport;  /* host order */
	unsigned char kind;    /* enum conn_kind */
	unsigned char opened;  /* CONN_CLOSE: how it was opened (CONN_CONNECT/ACCEPT) */
};

#endif /* __SOCKOPS_H */
