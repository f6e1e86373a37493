/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * An event struct shared by shared.bpf.c and shared-guest.c, as libbpf tools
 * share NAME.h. With SHARED_EVENT_LONG its timestamp is an unsigned long:
 * 8 bytes on the BPF target, 4 on wasm32, so a guest that includes this
 * header reads every member after it at the wrong place. wasmbpf-skel
 * --check event must turn that into a build error naming the member.
 */
#ifndef __SHARED_EVENT_H
#define __SHARED_EVENT_H

#include <linux/types.h>

struct event {
	__u32 pid;
#ifdef SHARED_EVENT_LONG
	unsigned long ts;
#else
	__u64 ts;
#endif
	char comm[16];
};

#endif /* __SHARED_EVENT_H */
