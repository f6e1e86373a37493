// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * wasm_bpf_buffer_poll: ring buffers and perf buffers (docs/abi.md, "Polling a buffer").
 *
 * How the rules of docs/abi.md, "Polling a buffer", are kept:
 * - [data, data + max_size) is checked before polling, whether or not a
 *   sample comes: -EFAULT. Memory only grows, so it stays valid; the host
 *   pointer is still re-derived for every sample, after every callback.
 * - The callback is checked when it is called: an index out of the table or
 *   a null entry stops the poll with -ERANGE, an entry of another type with
 *   -EINVAL (TinyGo: no export "go-callback" is -ENOENT); a message says
 *   which on stderr. The sample it was meant for is consumed.
 * - A negative return from the guest stops the poll and is its result. The
 *   ring buffer leaves the samples after it in the ring. The perf buffer has
 *   by then read a batch from the kernel: the samples after the stop are
 *   kept on the host, in order, and the next poll of that map delivers them
 *   first (returning how many it delivered) before it waits on the kernel.
 * - While a callback runs, polling any map is -EBUSY (libbpf's buffers are
 *   not reentrant) and closing the object being polled is -EBUSY.
 * - After SIGINT/SIGTERM the poll returns -27, WASI's EINTR: before it waits,
 *   and within SLICE_MS while it waits (it waits in slices up to timeout_ms,
 *   or forever for a negative timeout_ms). Other signals do not end the wait.
 *   Every other error is a Linux errno, as libbpf returns it (and as the
 *   existing hosts do); this one is WASI's because its only purpose is the
 *   guest's `if (err == -EINTR) break;`, compiled against wasi-libc, where
 *   EINTR is 27 (Linux: 4). No existing host ever returned EINTR here.
 * - Samples the kernel reports lost (perf buffer overrun) are counted on
 *   stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf-priv.h"

#define SLICE_MS 100
#define GUEST_EINTR 27	     /* WASI's EINTR: what -EINTR means in guest code */
#define PERF_BUFFER_PAGES 64 /* per CPU, as the existing hosts use */

/* Copy one sample into the guest and call it. 0, or the stop value. */
static int deliver(struct wbpf_poll_call *c, const void *sample, size_t size)
{
	struct wbpf_guest *g = c->g;
	uint32_t n = size < c->max_size ? (uint32_t)size : c->max_size;
	int32_t ret = 0;
	void *dst;
	int err;

	dst = wbpf_guest_range(g, c->data, n);
	if (!dst)
		return -EFAULT;
	memcpy(dst, sample, n);
	if (c->go)
		err = g->ops->call_go_callback(g, c->ctx, c->data, n, &ret);
	else
		err = g->ops->call_table_iii_i(g, c->sample_fn, c->ctx, c->data, n, &ret);
	if (err) {
		if (c->go)
			fprintf(stderr, "%s: buffer poll: cannot call export 'go-callback': %s\n",
				g->prog, strerror(-err));
		else if (err == -ERANGE)
			fprintf(stderr,
				"%s: buffer poll: callback %u is not in the function table\n",
				g->prog, c->sample_fn);
		else
			fprintf(stderr,
				"%s: buffer poll: callback %u is not of type (i32, i32, i32) -> "
				"i32\n",
				g->prog, c->sample_fn);
		return err;
	}
	c->delivered++;
	return ret < 0 ? ret : 0;
}

static int ring_sample(void *ctx, void *data, size_t size)
{
	struct wbpf_map *m = ctx;
	int err = deliver(m->call, data, size);

	if (err < 0)
		m->call->stop = err;
	return err; /* negative: libbpf stops and ring_buffer__poll() returns it */
}

static void perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct wbpf_map *m = ctx;
	struct wbpf_pending *p;
	int err;

	if (!m->call->stop) {
		err = deliver(m->call, data, size);
		if (err < 0)
			m->call->stop = err;
		return;
	}
	/* stopped: keep it for the next poll */
	p = malloc(sizeof(*p) + size);
	if (!p) {
		fprintf(stderr, "%s: buffer poll: out of memory, lost 1 sample on CPU %d\n",
			m->call->g->prog, cpu);
		return;
	}
	p->next = NULL;
	p->size = size;
	memcpy(p->data, data, size);
	*m->pending_tail = p;
	m->pending_tail = &p->next;
}

static void perf_lost(void *ctx, int cpu, __u64 cnt)
{
	struct wbpf_map *m = ctx;

	fprintf(stderr, "%s: buffer poll: lost %llu samples on CPU %d\n", m->call->g->prog,
		(unsigned long long)cnt, cpu);
}

static int create_buffer(struct wbpf_guest *g, struct wbpf_map *m)
{
	int err;

	if (m->rb || m->pb)
		return 0;
	if (m->type == BPF_MAP_TYPE_RINGBUF)
		m->rb = ring_buffer__new(m->fd, ring_sample, m, NULL);
	else
		m->pb = perf_buffer__new(m->fd, PERF_BUFFER_PAGES, perf_sample, perf_lost, m, NULL);
	if (m->rb || m->pb)
		return 0;
	err = errno ? -errno : -EINVAL;
	fprintf(stderr, "%s: failed to create %s buffer: %s\n", g->prog,
		m->type == BPF_MAP_TYPE_RINGBUF ? "ring" : "perf", strerror(-err));
	return err;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Deliver samples the perf buffer read before an earlier poll stopped. */
static int drain_pending(struct wbpf_map *m, struct wbpf_poll_call *c)
{
	struct wbpf_pending *p;
	int err;

	while ((p = m->pending)) {
		m->pending = p->next;
		if (!m->pending)
			m->pending_tail = &m->pending;
		err = deliver(c, p->data, p->size);
		free(p);
		if (err < 0)
			return err;
	}
	return c->delivered;
}

static int wait_samples(struct wbpf_map *m, struct wbpf_poll_call *c, int timeout_ms)
{
	long long deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : 0;
	int slice, n;

	for (;;) {
		slice = SLICE_MS;
		if (timeout_ms >= 0) {
			long long left = deadline - now_ms();

			if (left < slice)
				slice = left > 0 ? (int)left : 0;
		}
		n = m->rb ? ring_buffer__poll(m->rb, slice) : perf_buffer__poll(m->pb, slice);
		if (c->stop)
			return c->stop;
		if (n == -EINTR)
			n = 0; /* a signal: the stop request is checked below */
		if (n != 0)
			return n;
		if (wbpf_stop_requested())
			return -GUEST_EINTR;
		if (timeout_ms >= 0 && now_ms() >= deadline)
			return 0;
	}
}

static int buffer_poll(struct wbpf_guest *g, struct wbpf_poll_call *c, uint64_t handle,
		       uint32_t map_fd, int timeout_ms)
{
	struct wbpf_obj *o = wbpf_bpf__obj(g, handle);
	struct wbpf_map *m;
	int err;

	if (!o)
		return -EINVAL;
	m = wbpf_bpf__map(g, (int)map_fd);
	if (!m || m->obj != o)
		return -EINVAL;
	if (m->type != BPF_MAP_TYPE_RINGBUF && m->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return -EINVAL;
	if (!wbpf_guest_range(g, c->data, c->max_size))
		return -EFAULT;
	if (g->bpf->polling)
		return -EBUSY;
	if (wbpf_stop_requested())
		return -GUEST_EINTR;
	err = create_buffer(g, m);
	if (err)
		return err;

	m->call = c;
	g->bpf->polling = o;
	if (m->pending)
		err = drain_pending(m, c);
	else
		err = wait_samples(m, c, timeout_ms);
	g->bpf->polling = NULL;
	m->call = NULL;
	return err;
}

uint64_t wbpf_bpf_buffer_poll(struct wbpf_guest *g, const uint64_t *args)
{
	struct wbpf_poll_call c = {
		.g = g,
		.sample_fn = (uint32_t)args[2],
		.ctx = (uint32_t)args[3],
		.data = (uint32_t)args[4],
		.max_size = (uint32_t)args[5],
	};

	return wbpf_ret_i32(
		buffer_poll(g, &c, args[0], (uint32_t)args[1], (int32_t)(uint32_t)args[6]));
}

uint64_t wbpf_bpf_buffer_poll_go(struct wbpf_guest *g, const uint64_t *args)
{
	struct wbpf_poll_call c = {
		.g = g,
		.go = true,
		.ctx = (uint32_t)args[2],
		.data = (uint32_t)args[3],
		.max_size = (uint32_t)args[4],
	};

	return wbpf_ret_i32(
		buffer_poll(g, &c, args[0], (uint32_t)args[1], (int32_t)(uint32_t)args[5]));
}
