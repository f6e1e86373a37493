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
 * - Perf buffer samples lost (the consumer fell behind and a ring was full)
 *   are said on stderr, per CPU, each time a poll returns, and in total at
 *   exit (see docs/abi.md, section "Lost events"). The rings are opened with
 *   PERF_FORMAT_LOST (Linux 6.0) so their lost counts are read at once; the
 *   kernel's lost records, which only come with a later sample on the same
 *   CPU, are used only where the kernel lacks it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf-priv.h"

#define SLICE_MS 100
#define GUEST_EINTR 27	     /* WASI's EINTR: what -EINTR means in guest code */
#define PERF_BUFFER_PAGES 64 /* per CPU, as the existing hosts use */
#ifndef PERF_FORMAT_LOST
#define PERF_FORMAT_LOST (1U << 4)
#endif

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
		err = wbpf_guest_call_go_callback(g, c->ctx, c->data, n, &ret);
	else
		err = wbpf_guest_call_table_iii_i(g, c->sample_fn, c->ctx, c->data, n, &ret);
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

static void count_lost(struct wbpf_map *m, int cpu, uint64_t cnt)
{
	struct wbpf_bpf *b = m->obj->b;

	b->perf_lost += cnt;
	fprintf(stderr, "%s: lost %llu perf buffer samples on CPU %d\n", b->prog,
		(unsigned long long)cnt, cpu);
}

void wbpf_map__report_lost(struct wbpf_map *m, bool final)
{
	struct timespec ts;
	uint64_t now, v[2]; /* read_format PERF_FORMAT_LOST: value, lost */
	size_t i;
	int fd;

	if (!m->pb || !m->lost_counted)
		return;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	if (!final && now < m->lost_next_ns)
		return;
	m->lost_next_ns = now + 1000000000ull;
	for (i = 0; i < m->cpus_cnt; i++) {
		fd = perf_buffer__buffer_fd(m->pb, i);
		if (fd < 0 || read(fd, v, sizeof(v)) != sizeof(v) || v[1] <= m->lost_read[i])
			continue;
		count_lost(m, m->cpus[i], v[1] - m->lost_read[i]);
		m->lost_read[i] = v[1];
	}
}

/* libbpf's perf_buffer, raw: samples as perf_sample() does, and the kernel's
 * lost records where the rings cannot count their losses */
static enum bpf_perf_event_ret perf_event(void *ctx, int cpu, struct perf_event_header *e)
{
	struct wbpf_map *m = ctx;

	if (e->type == PERF_RECORD_SAMPLE) {
		struct {
			struct perf_event_header h;
			uint32_t size;
			char data[];
		} *s = (void *)e;

		perf_sample(m, cpu, s->data, s->size);
	} else if (e->type == PERF_RECORD_LOST && !m->lost_counted) {
		struct {
			struct perf_event_header h;
			uint64_t id;
			uint64_t lost;
		} *l = (void *)e;

		count_lost(m, cpu, l->lost);
	}
	return LIBBPF_PERF_EVENT_CONT;
}

/* The online CPUs below max_entries, as libbpf would pick them, into m->cpus. */
static int online_cpus(struct wbpf_map *m)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	char buf[4096], *p, *end;
	unsigned long a, z, c;
	ssize_t n;
	int fd, cap = 0;

	if (bpf_obj_get_info_by_fd(m->fd, &info, &len))
		return -errno;
	fd = open("/sys/devices/system/cpu/online", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	buf[n] = '\0';
	for (p = buf; *p && *p != '\n';) {
		a = strtoul(p, &end, 10);
		z = *end == '-' ? strtoul(end + 1, &end, 10) : a;
		if (end == p || z < a || (*end && *end != ',' && *end != '\n'))
			return -EINVAL;
		for (c = a; c <= z && c < info.max_entries; c++) {
			if ((int)m->cpus_cnt == cap) {
				int *q = realloc(m->cpus, (cap = cap ? cap * 2 : 64) * sizeof(*q));

				if (!q)
					return -ENOMEM;
				m->cpus = q;
			}
			m->cpus[m->cpus_cnt++] = (int)c;
		}
		p = *end == ',' ? end + 1 : end;
	}
	m->lost_read = calloc(m->cpus_cnt ? m->cpus_cnt : 1, sizeof(*m->lost_read));
	return m->lost_read ? 0 : -ENOMEM;
}

static struct perf_buffer *perf_buffer_open(struct wbpf_map *m)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.wakeup_events = 1,
		.read_format = PERF_FORMAT_LOST,
	};
	LIBBPF_OPTS(perf_buffer_raw_opts, opts);
	struct perf_buffer *pb;
	int err;

	err = online_cpus(m);
	if (err) {
		errno = -err;
		return NULL;
	}
	opts.cpu_cnt = (int)m->cpus_cnt;
	opts.cpus = m->cpus;
	opts.map_keys = m->cpus;
	pb = perf_buffer__new_raw(m->fd, PERF_BUFFER_PAGES, &attr, perf_event, m, &opts);
	if (!pb && errno == EINVAL) {
		/* before Linux 6.0: the kernel's lost records only */
		attr.read_format = 0;
		pb = perf_buffer__new_raw(m->fd, PERF_BUFFER_PAGES, &attr, perf_event, m, &opts);
	}
	m->lost_counted = pb && attr.read_format;
	return pb;
}

static int create_buffer(struct wbpf_guest *g, struct wbpf_map *m)
{
	int err;

	if (m->rb || m->pb)
		return 0;
	if (m->type == BPF_MAP_TYPE_RINGBUF)
		m->rb = ring_buffer__new(m->fd, ring_sample, m, NULL);
	else
		m->pb = perf_buffer_open(m);
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
	m = wbpf_bpf__map(g, map_fd);
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
	wbpf_map__report_lost(m, false);
	return err;
}

uint32_t wbpf_bpf_buffer_poll(struct wbpf_guest *g, uint64_t obj, uint32_t fd, uint32_t sample_fn,
			      uint32_t ctx, uint32_t data, uint32_t max_size, uint32_t timeout_ms)
{
	struct wbpf_poll_call c = {
		.g = g,
		.sample_fn = sample_fn,
		.ctx = ctx,
		.data = data,
		.max_size = max_size,
	};

	return (uint32_t)buffer_poll(g, &c, obj, fd, (int32_t)timeout_ms);
}

uint32_t wbpf_bpf_buffer_poll_go(struct wbpf_guest *g, uint64_t obj, uint32_t fd, uint32_t ctx,
				 uint32_t data, uint32_t max_size, uint32_t timeout_ms)
{
	struct wbpf_poll_call c = {
		.g = g,
		.go = true,
		.ctx = ctx,
		.data = data,
		.max_size = max_size,
	};

	return (uint32_t)buffer_poll(g, &c, obj, fd, (int32_t)timeout_ms);
}
