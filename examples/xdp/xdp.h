/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The map layout shared by xdp.bpf.c and xdp.c: the counts map is keyed by
 * a 32-bit protocol key and holds two 64-bit counters, the same on the BPF
 * target and on wasm32 (xdp.c checks the sizes).
 */
#ifndef __XDP_H
#define __XDP_H

#define XDP_KEY_NON_IP 256 /* frames that are neither IPv4 nor IPv6 */
#define XDP_NR_KEYS 257	   /* IP protocols 0-255, and XDP_KEY_NON_IP */

struct counts {
	unsigned long long packets;
	unsigned long long bytes;
};

#endif /* __XDP_H */
