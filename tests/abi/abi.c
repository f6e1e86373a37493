// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The abi tier's guest: every edge of the six wasm_bpf imports (docs/abi.md).
 * It declares the imports with every pointer as a plain i32
 * (wbpf-raw-imports.h), so it can pass any offset. Usage: abi TEST [ARGS...];
 * one line a check (wbpf-test.h):
 *   ok NAME | FAIL NAME: got X want Y
 * Errors are the host's (Linux) errno values, except the stop request, which
 * is WASI's EINTR (what -EINTR means in guest code).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi-event.h"
#include "abi.bpf.inc" /* abi_bpf_o[], abi_bpf_o_len */
#include "bad.bpf.inc" /* bad_bpf_o[], bad_bpf_o_len */

#include "wbpf-raw-imports.h"
#include "wbpf-test.h"

IMPORT("env", "wasm_close_bpf_object") int env_close_obj(long long obj);
IMPORT("callback-wrapper", "wasm_bpf_buffer_poll")
int bpoll_go(long long obj, int fd, uint32_t ctx, uint32_t data, uint32_t max_size, int timeout_ms);

#define G_EINTR EINTR /* the stop request: WASI's value */

static long long load_abi(void)
{
	return load(P(abi_bpf_o), abi_bpf_o_len);
}

static int map_fd(long long h, const char *name)
{
	int fd = fd_by_name(h, P(name));

	if (fd < 0) {
		printf("FAIL fd_by_name %s: %d\n", name, fd);
		exit(1);
	}
	return fd;
}

/* ---------------------------------------------------------------- events */

#define GROW_MAX 4
#define GROW_MARK 4096 /* bytes marked at each end of a grow's new pages */

struct rx {
	uint32_t magic; /* proves ctx arrived */
	uint32_t next;	/* expected seq */
	uint32_t gnext; /* expected guest seq */
	uint32_t got;
	uint32_t bad;
	uint32_t want_size; /* exact size, or 0: at least sizeof(struct abi_event) */
	int stop_at;	    /* return -42 when got reaches this (0: never) */
	int grow;	    /* grow memory this many times: in callbacks 1, 3, 5, ... */
	int grown;	    /* how many times it did */
	uint32_t grown_pages;
	uint32_t fresh[GROW_MAX]; /* where each grow's new pages start */
	uint32_t fresh_len[GROW_MAX];
	int nest_poll, nest_close;
	long long h;
	int fd;
	char first_bad[160];
};

#define RX_MAGIC 0x52584d47

static void rx_bad(struct rx *r, const char *fmt, unsigned a, unsigned b)
{
	if (!r->bad++)
		snprintf(r->first_bad, sizeof(r->first_bad), fmt, a, b);
}

/* A memory.grow too big to be served in place: 64 pages or more, and more
 * than the current size, so that an engine whose memory is a growable array
 * must move it (a doubling array included). Both ends of the new pages are
 * marked with a pattern of this grow; grow_marks_ok() checks them later. */
static int grow_in_callback(struct rx *r)
{
	uint32_t old = mem_size(), pages = old / 65536 + 1, len, i;
	uint8_t *p;

	if (pages < 64)
		pages = 64;
	if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1)
		return -1;
	len = pages * 65536;
	p = (uint8_t *)(uintptr_t)old;
	for (i = 0; i < GROW_MARK; i++) {
		p[i] = (uint8_t)(0xa5 ^ r->grown ^ i);
		p[len - 1 - i] = (uint8_t)(0x3c ^ r->grown ^ i);
	}
	r->fresh[r->grown] = old;
	r->fresh_len[r->grown] = len;
	r->grown_pages += pages;
	r->grown++;
	return 0;
}

static int grow_marks_ok(const struct rx *r)
{
	for (int k = 0; k < r->grown; k++) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)r->fresh[k];
		uint32_t len = r->fresh_len[k];

		for (uint32_t i = 0; i < GROW_MARK; i++)
			if (p[i] != (uint8_t)(0xa5 ^ k ^ i) ||
			    p[len - 1 - i] != (uint8_t)(0x3c ^ k ^ i))
				return 0;
	}
	return 1;
}

static int on_event(void *ctx, void *data, uint32_t size)
{
	struct rx *r = ctx;
	const struct abi_event *e = data;
	int i;

	if (r->magic != RX_MAGIC)
		return -1000;
	if (r->want_size ? size != r->want_size : size < sizeof(*e))
		rx_bad(r, "size %u (event %u)", size, r->got);
	if (size >= 8) {
		if (e->seq != r->next)
			rx_bad(r, "seq %u want %u", e->seq, r->next);
		if (e->gseq != r->gnext)
			rx_bad(r, "gseq %u want %u", e->gseq, r->gnext);
	}
	if (size >= sizeof(*e))
		for (i = 0; i < ABI_PAYLOAD; i++)
			if (e->payload[i] != ABI_PATTERN(e->seq, i)) {
				rx_bad(r, "payload of seq %u at %u", e->seq, i);
				break;
			}
	r->next = (size >= 8 ? e->seq : r->next) + 1;
	r->gnext++;
	r->got++;
	if (r->grown < r->grow && r->got == 2u * r->grown + 1)
		if (grow_in_callback(r))
			return -1001;
	if (r->nest_poll || r->nest_close) {
		r->nest_poll = bpoll(r->h, r->fd, P(on_event), P(r), 0, 0, 0);
		r->nest_close = close_obj(r->h);
	}
	if (r->stop_at && (int)r->got == r->stop_at)
		return -42;
	return 0;
}

static int one_arg(int x)
{
	return x + 1;
}

static int on_trap(void *ctx, void *data, uint32_t size)
{
	printf("callback reached, trapping\n");
	fflush(stdout);
	__builtin_trap();
}

static struct rx *go_rx;

__attribute__((export_name("go-callback"))) int go_callback(uint32_t ctx, uint32_t data,
							    uint32_t size)
{
	if (ctx != P(go_rx))
		return -1002;
	return on_event(go_rx, (void *)(uintptr_t)data, size);
}

struct events {
	long long h;
	int ctl, buf_fd;
	uint64_t magic;
	uint32_t gseq;
	struct abi_event ev;
};

static void ctl_set(struct events *s, uint32_t k, uint64_t v)
{
	if (map_op(s->ctl, UPDATE, P(&k), P(&v), 0, 0)) {
		printf("FAIL ctl update %u\n", k);
		exit(1);
	}
}

/* Make the BPF program emit n events: one refused lookup each. */
static void trigger(struct events *s, uint32_t n)
{
	uint32_t k = 0;
	uint64_t v;
	int err;

	while (n--) {
		err = map_op(s->ctl, LOOKUP, P(&k), P(&v), 0,
			     (long long)(s->magic << 32 | s->gseq++));
		if (err != -L_EINVAL) {
			printf("FAIL trigger: lookup with bad flags gave %d\n", err);
			exit(1);
		}
	}
}

static void events_setup(struct events *s, const char *buf_map, int mode)
{
	uint32_t m;

	memset(s, 0, sizeof(*s));
	if (getentropy(&m, sizeof(m)))
		exit(1);
	s->magic = (m & 0x7fffffff) | 1;
	s->h = load_abi();
	if (!s->h) {
		printf("FAIL load\n");
		exit(1);
	}
	s->ctl = map_fd(s->h, "ctl");
	s->buf_fd = map_fd(s->h, buf_map);
	ctl_set(s, CTL_MAGIC, s->magic);
	ctl_set(s, CTL_MODE, mode);
	ctl_set(s, CTL_SEQ, 0);
	check("attach tracepoint", attach(s->h, P("wbpf_abi_tp"), 0), 0);
	/* the first poll creates the buffer (a perf buffer must exist before output) */
	check("first poll times out",
	      bpoll(s->h, s->buf_fd, P(on_event), 0, P(&s->ev), sizeof(s->ev), 0), 0);
}

/* Poll until r->got reaches want or 20 empty polls; returns the sum of
 * positive results, or the first negative one. */
static int poll_until(struct events *s, struct rx *r, uint32_t want, uint32_t fn, void *data,
		      uint32_t max_size)
{
	int n, sum = 0, idle = 0;

	while (r->got < want && idle < 20) {
		n = bpoll(s->h, s->buf_fd, fn, P(r), P(data), max_size, 100);
		if (n < 0)
			return n;
		sum += n;
		idle = n ? 0 : idle + 1;
	}
	return sum;
}

static void rx_init(struct rx *r, const struct events *s, uint32_t next)
{
	memset(r, 0, sizeof(*r));
	r->magic = RX_MAGIC;
	r->next = next;
	r->gnext = s->gseq;
	r->h = s->h;
	r->fd = s->buf_fd;
}

static void rx_check(const char *name, struct rx *r, uint32_t want)
{
	char n[96];

	snprintf(n, sizeof(n), "%s: every event", name);
	check(n, r->got, want);
	snprintf(n, sizeof(n), "%s: in order, intact", name);
	if (r->bad)
		printf("FAIL %s: %u bad, first: %s\n", n, r->bad, r->first_bad), failures++;
	else
		printf("ok %s\n", n);
}

static uint8_t keep[65536]; /* filled before the grows, checked after */

static void test_events(int perf, uint32_t count)
{
	struct events s;
	struct rx r;
	uint32_t seq = 0, before;
	int ret;
	struct {
		struct abi_event ev;
		uint8_t canary[64];
	} small;

	events_setup(&s, perf ? "pb" : "rb", perf ? MODE_PERF : MODE_RING);

	/* many events, each delivered once, in order, intact */
	rx_init(&r, &s, seq);
	r.want_size = perf ? 0 : sizeof(struct abi_event);
	trigger(&s, count);
	ret = poll_until(&s, &r, count, P(on_event), &s.ev, sizeof(s.ev));
	check_true("poll result positive", ret > 0, ret);
	if (!perf)
		check("ring poll counts samples", ret, count);
	rx_check("bulk", &r, count);
	seq += count;

	/* a negative return stops the poll and is its result; nothing is lost */
	rx_init(&r, &s, seq);
	r.stop_at = 3;
	trigger(&s, 10);
	ret = poll_until(&s, &r, 10, P(on_event), &s.ev, sizeof(s.ev));
	check("negative return is the result", ret, -42);
	check("stopped after the third", r.got, 3);
	r.stop_at = 0;
	ret = poll_until(&s, &r, 10, P(on_event), &s.ev, sizeof(s.ev));
	check_true("next poll continues", ret > 0, ret);
	rx_check("after stop", &r, 10);
	seq += 10;

	/* max_size smaller than the sample: min(size, max_size) bytes */
	rx_init(&r, &s, seq);
	r.want_size = 8;
	memset(&small, 0xee, sizeof(small));
	trigger(&s, 3);
	poll_until(&s, &r, 3, P(on_event), &small, 8);
	rx_check("max_size 8", &r, 3);
	check("bytes after max_size untouched",
	      small.ev.payload[0] == 0xee && small.canary[63] == 0xee, 1);
	seq += 3;

	/* The callback grows memory, three times, so much that an engine whose
	 * memory is a growable array moves it each time: every later sample
	 * still lands intact at data, in the same poll and in the next ones,
	 * and what memory held before the grows is still there. */
	rx_init(&r, &s, seq);
	r.grow = 3;
	for (uint32_t i = 0; i < sizeof(keep); i++)
		keep[i] = (uint8_t)(i * 31 + 7);
	before = mem_size();
	trigger(&s, 8);
	poll_until(&s, &r, 8, P(on_event), &s.ev, sizeof(s.ev));
	rx_check("memory grown in callback", &r, 8);
	check("grown three times", r.grown, 3);
	check("memory grew by what the callback asked", mem_size() - before,
	      (long long)r.grown_pages * 65536);
	check("grown pages keep what the callback wrote", grow_marks_ok(&r), 1);
	ret = 1;
	for (uint32_t i = 0; i < sizeof(keep); i++)
		ret &= keep[i] == (uint8_t)(i * 31 + 7);
	check("memory from before the grows intact", ret, 1);
	seq += 8;
	rx_init(&r, &s, seq);
	trigger(&s, 6);
	poll_until(&s, &r, 6, P(on_event), &s.ev, sizeof(s.ev));
	rx_check("after the grows", &r, 6);
	seq += 6;

	/* no poll and no close of the polled object from a callback */
	rx_init(&r, &s, seq);
	r.nest_poll = r.nest_close = 1;
	trigger(&s, 1);
	poll_until(&s, &r, 1, P(on_event), &s.ev, sizeof(s.ev));
	check("poll inside callback", r.nest_poll, -L_EBUSY);
	check("close inside callback", r.nest_close, -L_EBUSY);
	seq += 1;

	/* TinyGo: the export go-callback, which grows memory in its first call */
	rx_init(&r, &s, seq);
	r.grow = 1;
	go_rx = &r;
	trigger(&s, 4);
	ret = 0;
	for (int i = 0; i < 20 && r.got < 4 && ret >= 0; i++)
		ret = bpoll_go(s.h, s.buf_fd, P(&r), P(&s.ev), sizeof(s.ev), 100);
	check_true("go poll result", ret >= 0, ret);
	rx_check("go-callback", &r, 4);
	check("go-callback grew memory", r.grown, 1);
	check("... keeps what it wrote", grow_marks_ok(&r), 1);
	seq += 4;

	/* bad callbacks: documented errors, the sample is consumed, no crash */
	rx_init(&r, &s, seq);
	trigger(&s, 1);
	check("callback index out of range", poll_until(&s, &r, 1, 0x7fffff, &s.ev, sizeof(s.ev)),
	      -L_ERANGE);
	trigger(&s, 1);
	check("callback of another type", poll_until(&s, &r, 1, P(one_arg), &s.ev, sizeof(s.ev)),
	      -L_EINVAL);
	trigger(&s, 1);
	check("null callback", poll_until(&s, &r, 1, 0, &s.ev, sizeof(s.ev)), -L_ERANGE);
	seq += 3;
	rx_init(&r, &s, seq);
	trigger(&s, 2);
	poll_until(&s, &r, 2, P(on_event), &s.ev, sizeof(s.ev));
	rx_check("after bad callbacks", &r, 2);

	check("close", close_obj(s.h), 0);
}

/* Blocks in a poll without timeout; the runner sends SIGINT. */
static int on_count(void *ctx, void *data, uint32_t size)
{
	(*(uint32_t *)ctx)++;
	return 0;
}

/* ring-drops N / perf-drops N: N events caused while nobody polls, far more
 * than the buffer holds; then polled until empty. Every event is either
 * delivered or counted in .bss by wbpf-drops.bpf.h (the runner checks the
 * host's perf loss lines against the "dropped" figure printed here). */
static void test_drops(int perf, uint32_t n)
{
	uint64_t bss[2] = {}, dropped;
	uint32_t got = 0, k = 0;
	struct events s;
	int ret = 0, idle = 0;

	events_setup(&s, perf ? "pb" : "rb", perf ? MODE_PERF : MODE_RING);
	trigger(&s, n);
	while (idle < 3) {
		ret = bpoll(s.h, s.buf_fd, P(on_count), P(&got), P(&s.ev), sizeof(s.ev), 100);
		if (ret < 0)
			break;
		idle = ret ? 0 : idle + 1;
	}
	check("polls end without error", ret < 0 ? ret : 0, 0);
	check("read .bss", map_op(map_fd(s.h, ".bss"), LOOKUP, P(&k), P(bss), 0, 0), 0);
	dropped = bss[0] + bss[1]; /* the other counter stays 0 */
	printf("caused %u delivered %u dropped %llu\n", n, got, (unsigned long long)dropped);
	check_true("some dropped", dropped > 0, (long long)dropped);
	check("delivered + dropped == caused", got + dropped, n);
	check("close", close_obj(s.h), 0);
}

static void test_sigint(void)
{
	struct events s;
	struct rx r;
	int ret;

	events_setup(&s, "rb", MODE_RING);
	rx_init(&r, &s, 0);
	printf("waiting\n");
	fflush(stdout);
	ret = bpoll(s.h, s.buf_fd, P(on_event), P(&r), P(&s.ev), sizeof(s.ev), -1);
	check("poll after SIGINT", ret, -G_EINTR);
	check("poll after stop, again",
	      bpoll(s.h, s.buf_fd, P(on_event), P(&r), P(&s.ev), sizeof(s.ev), 1000), -G_EINTR);
	/* a long tail of output that must not be lost */
	for (int i = 0; i < 200; i++)
		printf("line %d of the tail after the stop request\n", i);
	printf("end\n");
}

static void test_trap(void)
{
	struct events s;

	events_setup(&s, "rb", MODE_RING);
	trigger(&s, 1);
	printf("polling\n");
	bpoll(s.h, s.buf_fd, P(on_trap), 0, P(&s.ev), sizeof(s.ev), 1000);
	printf("FAIL trap: poll returned\n");
	failures++;
}

static void test_round_trip(void)
{
	struct events s;
	uint64_t in[RT_KEYS], v;
	uint32_t k;
	int fd_in, fd_out, err;

	events_setup(&s, "rb", MODE_ROUND_TRIP);
	fd_in = map_fd(s.h, "in");
	fd_out = map_fd(s.h, "out");
	if (getentropy(in, sizeof(in)))
		exit(1);
	for (k = 0; k < RT_KEYS; k++)
		if (k != 5 && map_op(fd_in, UPDATE, P(&k), P(&in[k]), 0, 0))
			printf("FAIL update in[%u]\n", k), failures++;
	trigger(&s, 1);
	for (k = 0; k < RT_KEYS; k++) {
		char name[64];

		v = 0;
		err = map_op(fd_out, LOOKUP, P(&k), P(&v), 0, 0);
		snprintf(name, sizeof(name), "round trip key %u", k);
		if (k == 5) {
			check(name, err, -L_ENOENT);
		} else if (err || v != RT_FN(in[k])) {
			printf("FAIL %s: err %d value %llx want %llx\n", name, err,
			       (unsigned long long)v, (unsigned long long)RT_FN(in[k]));
			failures++;
		} else {
			printf("ok %s\n", name);
		}
	}
	close_obj(s.h);
}

/* ---------------------------------------------------------------- ranges */

static int untouched(const uint8_t *p, uint32_t n, uint8_t fill)
{
	while (n--)
		if (p[n] != fill)
			return 0;
	return 1;
}

static void test_ranges(void)
{
	const char *prog = "wbpf_abi_tp";
	uint8_t junk[64] = {1, 2, 3};
	uint32_t k = 0, v = 0, *kp, *vp;
	uint8_t ev[64], *s;
	long long h;
	int arr, rb, ret;

	/* load */
	check("load: buf out of memory", load(0xfffffff0, 0x20), 0);
	check("load: size overflows", load(P(abi_bpf_o), 0xffffffff), 0);
	check("load: size 0xffffffff at 0", load(0, 0xffffffff), 0);
	s = tail(16, 0x7f);
	check("load: range past the end", load(P(s), 32), 0);
	check("load: not ELF", load(P(junk), sizeof(junk)), 0);
	check("load: empty", load(P(abi_bpf_o), 0), 0);
	h = load_abi();
	check("load: first handle is 1", h, 1);

	/* map_fd_by_name */
	s = tail(8, 'a');
	check("fd_by_name: name out of memory", fd_by_name(h, 0xfffffff0), -L_EFAULT);
	check("fd_by_name: name without NUL", fd_by_name(h, P(s)), -L_EFAULT);
	check("fd_by_name: unknown map", fd_by_name(h, P("nope")), -L_ENOENT);
	check("fd_by_name: bad handle", fd_by_name(h + 100, P("arr")), -L_EINVAL);
	check("fd_by_name: handle 0", fd_by_name(0, P("arr")), -L_EINVAL);
	arr = fd_by_name(h, P("arr"));
	check_true("fd_by_name: arr", arr >= 0, arr);
	rb = map_fd(h, "rb");

	/* attach */
	s = tail(11, 'w');
	memcpy(s, prog, 11); /* "wbpf_abi_tp" with its NUL cut off by the end */
	check("attach: name out of memory", attach(h, 0xfffffff0, 0), -L_EFAULT);
	check("attach: name without NUL", attach(h, P(s), 0), -L_EFAULT);
	check("attach: target without NUL", attach(h, P(prog), P(s)), -L_EFAULT);
	check("attach: target out of memory", attach(h, P(prog), 0xffffffff), -L_EFAULT);
	check("attach: unknown program", attach(h, P("nope"), 0), -L_ENOENT);
	check("attach: bad handle", attach(h + 100, P(prog), 0), -L_EINVAL);
	check("attach: handle 0", attach(0, P(prog), 0), -L_EINVAL);

	/* map_operate */
	check("map: key out of memory", map_op(arr, LOOKUP, 0xfffffff0, P(&v), 0, 0), -L_EFAULT);
	kp = (uint32_t *)tail(2, 0);
	check("map: key past the end", map_op(arr, LOOKUP, P(kp), P(&v), 0, 0), -L_EFAULT);
	kp = (uint32_t *)tail(4, 0);
	check("map: key at the very end", map_op(arr, LOOKUP, P(kp), P(&v), 0, 0), 0);
	vp = (uint32_t *)tail(3, 0xaa);
	check("map: value past the end", map_op(arr, LOOKUP, P(&k), P(vp), 0, 0), -L_EFAULT);
	check("... wrote nothing", untouched((uint8_t *)vp, 3, 0xaa), 1);
	check("map: update value past the end", map_op(arr, UPDATE, P(&k), P(vp), 0, 0), -L_EFAULT);
	check("map: value 0xffffffff", map_op(arr, LOOKUP, P(&k), 0xffffffff, 0, 0), -L_EFAULT);
	vp = (uint32_t *)tail(4, 0);
	check("map: value at the very end", map_op(arr, LOOKUP, P(&k), P(vp), 0, 0), 0);
	check("map: delete key out of memory", map_op(arr, DELETE, 0xfffffffe, 0, 0, 0), -L_EFAULT);
	s = tail(3, 0xaa);
	check("map: next_key past the end", map_op(arr, NEXT_KEY, P(&k), 0, P(s), 0), -L_EFAULT);
	check("... wrote nothing", untouched(s, 3, 0xaa), 1);
	check("map: next_key out of memory", map_op(arr, NEXT_KEY, 0, 0, 0xfffffff0, 0), -L_EFAULT);
	check("map: cmd 0", map_op(arr, 0, P(&k), P(&v), 0, 0), -L_EINVAL);
	check("map: cmd 5", map_op(arr, 5, P(&k), P(&v), 0, 0), -L_EINVAL);
	check("map: cmd -1", map_op(arr, -1, P(&k), P(&v), 0, 0), -L_EINVAL);

	/* buffer poll */
	check("poll: data out of memory", bpoll(h, rb, P(on_event), 0, 0xfffffff0, 0x20, 0),
	      -L_EFAULT);
	s = tail(16, 0);
	check("poll: data past the end", bpoll(h, rb, P(on_event), 0, P(s), 32, 0), -L_EFAULT);
	check("poll: max_size 0xffffffff", bpoll(h, rb, P(on_event), 0, P(ev), 0xffffffff, 0),
	      -L_EFAULT);
	check("poll: not a buffer map", bpoll(h, arr, P(on_event), 0, P(ev), sizeof(ev), 0),
	      -L_EINVAL);
	check("poll: not a map", bpoll(h, 0, P(on_event), 0, P(ev), sizeof(ev), 0), -L_EINVAL);
	check("poll: fd 12345", bpoll(h, 12345, P(on_event), 0, P(ev), sizeof(ev), 0), -L_EINVAL);
	check("poll: bad handle", bpoll(h + 100, rb, P(on_event), 0, P(ev), sizeof(ev), 0),
	      -L_EINVAL);
	ret = bpoll(h, rb, P(on_event), 0, P(ev), sizeof(ev), 0);
	check("poll: empty ring times out", ret, 0);

	/* close */
	check("close: unknown handle", close_obj(h + 100), -L_EINVAL);
	check("close: handle 0", close_obj(0), -L_EINVAL);
	check("close: handle -1", close_obj(-1), -L_EINVAL);
	check("close: handle 1<<40", close_obj(1LL << 40), -L_EINVAL);
	check("close: env alias, unknown handle", env_close_obj(77), -L_EINVAL);
	check("close", close_obj(h), 0);
	check("close: twice", close_obj(h), -L_EINVAL);
	check("map: fd of a closed object", map_op(arr, LOOKUP, P(&k), P(&v), 0, 0), -L_EBADF);
	check("poll: closed handle", bpoll(h, rb, P(on_event), 0, P(ev), sizeof(ev), 0), -L_EINVAL);
	check("attach: closed handle", attach(h, P(prog), 0), -L_EINVAL);
	check("load: next handle is 2", (h = load_abi()), 2);
	close_obj(h);
}

/* Every fd that is not a map of the guest's objects is EBADF. */
static void test_fds(void)
{
	static const char *const names[] = {"rb", "pb", "ctl", "in", "out", "pcpu", "pcpuh", "arr",
					    ".bss"};
	const int n = sizeof(names) / sizeof(names[0]);
	int fds[2][9], fd, i, o, ret, mine, wrong = 0, bad_ok = 0;
	long long h[2];
	uint8_t next[64], ev[64];

	for (o = 0; o < 2; o++) {
		h[o] = load_abi();
		for (i = 0; i < n; i++)
			fds[o][i] = map_fd(h[o], names[i]);
	}
	check("attach with target \"\"", attach(h[0], P("wbpf_abi_tp"), P("")), 0);
	/* buffers add epoll and perf event fds */
	bpoll(h[0], fds[0][0], P(on_event), 0, P(ev), sizeof(ev), 0);
	bpoll(h[0], fds[0][1], P(on_event), 0, P(ev), sizeof(ev), 0);
	check("poll: map of another object",
	      bpoll(h[0], fds[1][0], P(on_event), 0, P(ev), sizeof(ev), 0), -L_EINVAL);
	for (fd = 0; fd < 1024; fd++) {
		mine = 0;
		for (o = 0; o < 2; o++)
			for (i = 0; i < n; i++)
				mine |= fds[o][i] == fd;
		ret = map_op(fd, NEXT_KEY, 0, 0, P(next), 0);
		if (mine ? ret == -L_EBADF : ret != -L_EBADF) {
			printf("FAIL fd %d (%s): %d\n", fd, mine ? "map" : "not a map", ret);
			wrong++;
		} else if (!mine) {
			bad_ok++;
		}
	}
	failures += wrong;
	check("every other fd below 1024 is EBADF", wrong, 0);
	check_true("fds that are not maps were tried", bad_ok > 1000, bad_ok);
	check("fd -1", map_op(-1, LOOKUP, P(next), P(next), 0, 0), -L_EBADF);
	check("fd 0x7fffffff", map_op(0x7fffffff, LOOKUP, P(next), P(next), 0, 0), -L_EBADF);
	check("close first", close_obj(h[0]), 0);
	for (i = 0, wrong = 0; i < n; i++)
		wrong += map_op(fds[0][i], NEXT_KEY, 0, 0, P(next), 0) != -L_EBADF;
	check("fds of the closed object are EBADF", wrong, 0);
	check("maps of the other object still work", map_op(fds[1][7], NEXT_KEY, 0, 0, P(next), 0),
	      0);
	close_obj(h[1]);
}

static void test_maps(void)
{
	long long h = load_abi();
	int arr = map_fd(h, "arr"), in = map_fd(h, "in");
	uint32_t k, next = 0xdead;
	uint64_t v, w;

	check("next_key NULL on array", map_op(arr, NEXT_KEY, 0, 0, P(&next), 0), 0);
	check("... is key 0", next, 0);
	k = 0;
	check("next_key of 0", map_op(arr, NEXT_KEY, P(&k), 0, P(&next), 0), 0);
	check("... is key 1", next, 1);
	k = 7;
	check("next_key of the last", map_op(arr, NEXT_KEY, P(&k), 0, P(&next), 0), -L_ENOENT);
	check("next_key NULL on empty hash", map_op(in, NEXT_KEY, 0, 0, P(&next), 0), -L_ENOENT);
	k = 5;
	v = 0x1122334455667788ULL;
	check("hash update", map_op(in, UPDATE, P(&k), P(&v), 0, 0), 0);
	check("next_key NULL on hash", map_op(in, NEXT_KEY, 0, 0, P(&next), 0), 0);
	check("... is the one key", next, 5);
	w = 0;
	check("hash lookup", map_op(in, LOOKUP, P(&k), P(&w), 0, 0), 0);
	check("... gives the value", w == v, 1);
	check("flags pass through (BPF_NOEXIST)", map_op(in, UPDATE, P(&k), P(&v), 0, 1),
	      -L_EEXIST);
	check("hash delete", map_op(in, DELETE, P(&k), 0, 0, 0), 0);
	check("lookup after delete", map_op(in, LOOKUP, P(&k), P(&w), 0, 0), -L_ENOENT);
	check("delete again", map_op(in, DELETE, P(&k), 0, 0, 0), -L_ENOENT);
	close_obj(h);
}

static void test_percpu(int ncpus)
{
	long long h = load_abi();
	const char *names[] = {"pcpu", "pcpuh"};
	uint32_t full = 8 * ncpus, k = 1, i;
	uint64_t *vals = calloc(ncpus, 8);
	uint8_t *t;
	char name[96];

	for (int m = 0; m < 2; m++) {
		int fd = map_fd(h, names[m]);

#define C(what, got, want)                                                                         \
	snprintf(name, sizeof(name), "%s: %s", names[m], what), check(name, got, want)
		t = tail(4, 0);
		C("update, value_size at the end", map_op(fd, UPDATE, P(&k), P(t), 0, 0),
		  -L_EFAULT);
		t = tail(full - 1, 0);
		C("update, one byte short", map_op(fd, UPDATE, P(&k), P(t), 0, 0), -L_EFAULT);
		t = tail(full, 0);
		for (i = 0; i < (uint32_t)ncpus; i++) {
			uint64_t x = 0xc0de0000u + i * 0x101 + m;

			memcpy(t + 8 * i, &x, 8);
		}
		C("update, round_up(4, 8) * ncpus at the end",
		  map_op(fd, UPDATE, P(&k), P(t), 0, 0), 0);
		/* refused before the kernel runs: it would have written the part
		 * that fits before faulting */
		t = tail(4, 0xaa);
		C("lookup, value_size at the end", map_op(fd, LOOKUP, P(&k), P(t), 0, 0),
		  -L_EFAULT);
		C("... wrote nothing", untouched(t, 4, 0xaa), 1);
		t = tail(full - 1, 0xaa);
		C("lookup, one byte short", map_op(fd, LOOKUP, P(&k), P(t), 0, 0), -L_EFAULT);
		C("... wrote nothing", untouched(t, full - 1, 0xaa), 1);
		t = tail(full, 0);
		C("lookup, full at the end", map_op(fd, LOOKUP, P(&k), P(t), 0, 0), 0);
		memset(vals, 0, 8 * ncpus);
		C("lookup", map_op(fd, LOOKUP, P(&k), P(vals), 0, 0), 0);
		for (i = 0; i < (uint32_t)ncpus; i++)
			if ((uint32_t)vals[i] != 0xc0de0000u + i * 0x101 + m)
				break;
		C("every CPU's value", i, ncpus);
#undef C
	}
	free(vals);
	close_obj(h);
}

static void test_attach(const char *cgroup, const char *libc)
{
	long long h = load_abi();
	char target[512];

	check("sockops: cgroup dir", attach(h, P("wbpf_abi_sockops"), P(cgroup)), 0);
	check("sockops: missing dir", attach(h, P("wbpf_abi_sockops"), P("/nonexistent/cg")),
	      -L_ENOENT);
	check("xdp: lo", attach(h, P("wbpf_abi_xdp"), P("lo")), 0);
	check("xdp: unknown interface", attach(h, P("wbpf_abi_xdp"), P("nosuchif0")), -L_ENODEV);
	check("socket filter: lo", attach(h, P("wbpf_abi_sockfilter"), P("lo")), 0);
	check("socket filter: lo again", attach(h, P("wbpf_abi_sockfilter"), P("lo")), 0);
	check("socket filter: unknown interface",
	      attach(h, P("wbpf_abi_sockfilter"), P("nosuchif0")), -L_ENODEV);
	check("socket filter: name too long",
	      attach(h, P("wbpf_abi_sockfilter"), P("a-name-longer-than-ifnamsiz")), -L_ENODEV);
	/* no target: libbpf cannot attach a socket filter by itself */
	check("socket filter: no target", attach(h, P("wbpf_abi_sockfilter"), 0), -L_EOPNOTSUPP);
	snprintf(target, sizeof(target), "%s:getpid", libc);
	check("uprobe: BINARY:FUNCTION", attach(h, P("wbpf_abi_uprobe"), P(target)), 0);
	check("uprobe: no function", attach(h, P("wbpf_abi_uprobe"), P(libc)), -L_EINVAL);
	check("close with links", close_obj(h), 0);
}

/* see docs/abi.md, section "Loading an object" */
#define LOAD_ERRNO_BASE 0x10000

/* The sockets of two socket filters on lo go with their object: run.sh counts
 * this process's packet sockets at each line it writes, and answers on stdin. */
static void test_sockfilter_close(void)
{
	long long h = load_abi();
	char line[16];

	check("attach to lo", attach(h, P("wbpf_abi_sockfilter"), P("lo")), 0);
	check("attach to lo again", attach(h, P("wbpf_abi_sockfilter"), P("lo")), 0);
	printf("attached\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return;
	check("close", close_obj(h), 0);
	printf("closed\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return;
}

static void test_load_fail(void)
{
	static const char not_elf[] = "not an ELF object";

	check("load error: none before a failed load", fd_by_name(0, 0), -L_EINVAL);
	check("load refused by the verifier", load(P(bad_bpf_o), bad_bpf_o_len), 0);
	check("load error: the verifier's EACCES", fd_by_name(0, 0),
	      -(LOAD_ERRNO_BASE + L_EACCES));
	check("load error: asked again, the same", fd_by_name(0, 0),
	      -(LOAD_ERRNO_BASE + L_EACCES));
	check("load error: handle 0 with a name is a bad handle", fd_by_name(0, P("arr")),
	      -L_EINVAL);
	check("load refused: not an ELF object", load(P(not_elf), sizeof(not_elf)), 0);
	check("load error: the refused object's EINVAL", fd_by_name(0, 0),
	      -(LOAD_ERRNO_BASE + L_EINVAL));
	check("load refused: buffer outside memory", load(0xfffffff0, 64), 0);
	check("load error: EFAULT", fd_by_name(0, 0), -(LOAD_ERRNO_BASE + L_EFAULT));
	check_true("a good object loads after", load_abi() > 0, 0);
	check("load error: cleared by a good load", fd_by_name(0, 0), -L_EINVAL);
}

/* run.sh sets WASMBPF_BTF: want_errno 0, a BTF the object loads with; else one
 * the host cannot use, and the guest reads why (see docs/abi.md, section "BTF") */
static void test_load_btf(int want_errno)
{
	long long h;

	if (!want_errno) {
		h = load_abi();
		check_true("loads with the custom BTF", h > 0, h);
		check("load error: none", fd_by_name(0, 0), -L_EINVAL);
		return;
	}
	check("load with an unusable custom BTF", load_abi(), 0);
	check("load error: the BTF's", fd_by_name(0, 0), -(LOAD_ERRNO_BASE + want_errno));
	check("load again: the same", load_abi(), 0);
	check("load error: the same", fd_by_name(0, 0), -(LOAD_ERRNO_BASE + want_errno));
}

/* copy = abi.bpf.o with the changes OFFSET:VALUE[,OFFSET:VALUE...]; false
 * (and a FAIL line) if they are not that */
static bool mutated(uint8_t *copy, const char *changes)
{
	unsigned long off, val;
	const char *p = changes;
	int used;

	memcpy(copy, abi_bpf_o, abi_bpf_o_len);
	do {
		if (sscanf(p, "%lu:%lu%n", &off, &val, &used) != 2 || off >= abi_bpf_o_len ||
		    val > 255) {
			printf("FAIL bad mutation '%s'\n", changes);
			failures++;
			return false;
		}
		copy[off] = (uint8_t)val;
		p += used;
	} while (*p++ == ',');
	return true;
}

/* CHANGES...: abi.bpf.o with each set of byte changes (OFFSET:VALUE, or a
 * comma-separated list of them: one that crashes libbpf in-process, found by
 * tests/fuzz/mutate, or makes it loop) is refused, as is the object cut
 * short, and the unchanged object still loads and attaches after. */
static void test_hostile(int n, char **args)
{
	uint8_t *copy = malloc(abi_bpf_o_len);
	long long h;
	char name[160];
	int i;

	for (i = 0; i < n; i++) {
		if (!mutated(copy, args[i]))
			continue;
		snprintf(name, sizeof(name), "bytes %s: refused", args[i]);
		check(name, load(P(copy), abi_bpf_o_len), 0);
	}
	free(copy);
	/* cut short: libbpf refuses it (no crash), also in one line */
	check("a truncated object is refused", load(P(abi_bpf_o), 1000), 0);
	h = load_abi();
	check_true("the unchanged object loads after", h > 0, h);
	check("... and attaches", attach(h, P("wbpf_abi_tp"), 0), 0);
	check("... and closes", close_obj(h), 0);
}

/*
 * CHANGES: the object checker (docs/abi.md, "Loading an object"). The guest
 * loads and polls, so that the host holds map fds and an epoll fd, and says
 * "loaded"; run.sh looks at the checker's fds and kills it, then answers.
 * Loads still work and a crashing object (CHANGES; "none" when this libbpf
 * has none) is still refused, now checked in a child the host forks;
 * "reloaded", and run.sh looks for a zombie before it answers again.
 */
static void test_checker(const char *changes)
{
	uint8_t *copy = malloc(abi_bpf_o_len), buf[64];
	long long h = load_abi(), h2;
	char line[16];

	check_true("load", h > 0, h);
	check("poll the ring buffer", bpoll(h, map_fd(h, "rb"), 1, 0, P(buf), sizeof(buf), 0), 0);
	printf("loaded\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return;
	h2 = load_abi();
	check_true("load without the checker", h2 > 0, h2);
	if (strcmp(changes, "none") && mutated(copy, changes))
		check("a crashing object is refused without the checker",
		      load(P(copy), abi_bpf_o_len), 0);
	check("close", close_obj(h2), 0);
	check("close the first", close_obj(h), 0);
	free(copy);
	printf("reloaded\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return;
}

int main(int argc, char **argv)
{
	const char *t = argc > 1 ? argv[1] : "";

	if (!strcmp(t, "ranges"))
		test_ranges();
	else if (!strcmp(t, "fds"))
		test_fds();
	else if (!strcmp(t, "maps"))
		test_maps();
	else if (!strcmp(t, "percpu") && argc > 2)
		test_percpu(atoi(argv[2]));
	else if (!strcmp(t, "ring"))
		test_events(0, argc > 2 ? atoi(argv[2]) : 1000);
	else if (!strcmp(t, "perf"))
		test_events(1, argc > 2 ? atoi(argv[2]) : 1000);
	else if (!strcmp(t, "round-trip"))
		test_round_trip();
	else if (!strcmp(t, "sigint"))
		test_sigint();
	else if (!strcmp(t, "trap"))
		test_trap();
	else if (!strcmp(t, "attach") && argc > 3)
		test_attach(argv[2], argv[3]);
	else if (!strcmp(t, "sockfilter-close"))
		test_sockfilter_close();
	else if (!strcmp(t, "load-fail"))
		test_load_fail();
	else if (!strcmp(t, "load-btf") && argc > 2)
		test_load_btf(atoi(argv[2]));
	else if (!strcmp(t, "ring-drops") && argc > 2)
		test_drops(0, (uint32_t)atoi(argv[2]));
	else if (!strcmp(t, "perf-drops") && argc > 2)
		test_drops(1, (uint32_t)atoi(argv[2]));
	else if (!strcmp(t, "hostile"))
		test_hostile(argc - 2, argv + 2);
	else if (!strcmp(t, "checker") && argc > 2)
		test_checker(argv[2]);
	else {
		fprintf(stderr, "usage: abi TEST [ARGS]\n");
		return 2;
	}
	return failures ? 1 : 0;
}
