/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by abi.bpf.c (BPF target) and abi.c (wasm32): same layout on both. */
#ifndef ABI_EVENT_H
#define ABI_EVENT_H

#define ABI_PAYLOAD 56
#define ABI_PATTERN(seq, i) ((unsigned char)((seq)*7 + (i)*13 + 1))

struct abi_event {
	unsigned int seq;  /* counted by the BPF program from 0 */
	unsigned int gseq; /* low half of the flags the guest passed */
	unsigned char payload[ABI_PAYLOAD];
};

_Static_assert(sizeof(struct abi_event) == 64, "abi_event layout");

/* ctl map slots */
#define CTL_MAGIC 0
#define CTL_MODE 1
#define CTL_SEQ 2
#define CTL_MAX 4

#define MODE_OFF 0
#define MODE_RING 1
#define MODE_PERF 2
#define MODE_ROUND_TRIP 3

#define RT_KEYS 16
#define RT_FN(v) ((v)*3 + 0x1234567800000001ULL)

#endif
