/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by compat.bpf.c (BPF target) and compat.c (wasm32): same layout on both. */
#ifndef COMPAT_H
#define COMPAT_H

#define CT_PAYLOAD 48
#define CT_PATTERN(gseq, i) ((unsigned char)((gseq)*5 + (i)*11 + 3))
#define CT_SEEN_VALUE(k) ((unsigned long long)(k) * 3 + 1)
#define CT_MAX_EVENTS 64

struct ct_event {
	unsigned long long rodata; /* the .rodata value the BPF program read */
	unsigned int gseq;	   /* low half of the flags the guest passed */
	unsigned int pad;
	unsigned char payload[CT_PAYLOAD];
};

_Static_assert(sizeof(struct ct_event) == 64, "ct_event layout");

/* attach.bpf.c: the trigger program's comm, the UDP port the XDP program counts */
#define CT_TRIG_COMM "wbpfct-trig"
#define CT_UDP_PORT 47811

#endif
