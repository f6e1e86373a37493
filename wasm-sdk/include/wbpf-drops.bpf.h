/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * wbpf-drops.bpf.h: count the events a BPF program could not send (BPF
 * side; see docs/abi.md, section "Lost events").
 *
 * A ring buffer that is full makes bpf_ringbuf_reserve() return NULL and
 * bpf_ringbuf_output() fail; the event is gone and nothing tells the reader.
 * These wrappers count every such failure in a global of the object's .bss,
 * which the guest reads with its skeleton:
 *
 *	#include "wbpf-drops.bpf.h"	(BPF side, once per object)
 *	e = wbpf_ringbuf_reserve(&rb, sizeof(*e), 0);
 *	if (!e)
 *		return 0;		(already counted)
 *
 *	NAME_bpf__pull_globals(skel);	(guest side)
 *	skel->bss->wbpf_ringbuf_drops	(events dropped since load)
 *
 * wbpf_perf_event_output() does the same for a perf event array (a full
 * per-CPU ring: -ENOSPC) into wbpf_perf_drops; the host also reports perf
 * buffer losses itself, on stderr, for every module.
 *
 * The counters are plain __u64 globals updated with an atomic add, so they
 * are exact whatever CPU the program runs on. The header defines them: include
 * it in one .bpf.c per object. Needs <bpf/bpf_helpers.h> first.
 */
#ifndef WBPF_DROPS_BPF_H
#define WBPF_DROPS_BPF_H

/* events lost because the ring buffer was full, since the object was loaded */
__u64 wbpf_ringbuf_drops SEC(".bss");
/* events lost because the perf buffer's ring of that CPU was full */
__u64 wbpf_perf_drops SEC(".bss");

/* bpf_ringbuf_reserve(), counting a NULL in wbpf_ringbuf_drops */
static __always_inline void *wbpf_ringbuf_reserve(void *ringbuf, __u64 size, __u64 flags)
{
	void *p = bpf_ringbuf_reserve(ringbuf, size, flags);

	if (!p)
		__sync_fetch_and_add(&wbpf_ringbuf_drops, 1);
	return p;
}

/* bpf_ringbuf_output(), counting a failure in wbpf_ringbuf_drops */
static __always_inline long wbpf_ringbuf_output(void *ringbuf, void *data, __u64 size,
						__u64 flags)
{
	long err = bpf_ringbuf_output(ringbuf, data, size, flags);

	if (err)
		__sync_fetch_and_add(&wbpf_ringbuf_drops, 1);
	return err;
}

/* bpf_perf_event_output(), counting a failure in wbpf_perf_drops */
static __always_inline long wbpf_perf_event_output(void *ctx, void *map, __u64 flags, void *data,
						   __u64 size)
{
	long err = bpf_perf_event_output(ctx, map, flags, data, size);

	if (err)
		__sync_fetch_and_add(&wbpf_perf_drops, 1);
	return err;
}

#endif /* WBPF_DROPS_BPF_H */
