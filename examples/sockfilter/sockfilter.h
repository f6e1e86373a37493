/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event shared by sockfilter.bpf.c and sockfilter.c: addresses first,
 * then 32-, 16- and 8-bit fields, 48 bytes with no padding on the BPF
 * target and on wasm32 alike (sockfilter.c checks the size).
 */
#ifndef __SOCKFILTER_H
#define __SOCKFILTER_H

/* Linux's address families: the guest's <sys/socket.h> has WASI's values */
#define LINUX_AF_INET 2
#define LINUX_AF_INET6 10

/* Linux's packet types (linux/if_packet.h) */
#define SF_PACKET_HOST 0
#define SF_PACKET_OUTGOING 4

struct so_event {
	unsigned char saddr[16]; /* the first 4 bytes for IPv4 */
	unsigned char daddr[16];
	unsigned int ifindex;
	unsigned int len;      /* the frame's length */
	unsigned short family; /* LINUX_AF_INET or LINUX_AF_INET6 */
	unsigned short sport;  /* host order; 0 for protocols without ports */
	unsigned short dport;
	unsigned char proto;	/* IPv4 protocol, IPv6 next header */
	unsigned char pkt_type; /* SF_PACKET_* and the rest of linux/if_packet.h */
};

#endif /* __SOCKFILTER_H */
