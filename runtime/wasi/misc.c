// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * args, environ, clocks, random, sched_yield, proc_exit and the functions
 * this host does not implement (proc_raise, sock_*: ENOSYS).
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "wasi-priv.h"

/* ---------------------------------------------------------------- args, environ */

static uint64_t strings_size(char **strs, size_t n)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += strlen(strs[i]) + 1;
	return total;
}

/* Write n pointers at guest ptrs to the strings copied one after the other at guest buf. */
static uint64_t put_strings(struct wbpf_guest *g, char **strs, size_t n, uint64_t ptrs,
			    uint64_t buf)
{
	uint64_t total = strings_size(strs, n), off = 0;
	uint8_t *p, *b;
	size_t i;

	p = wbpf_guest_range(g, ptrs, (uint64_t)n * 4);
	b = wbpf_guest_range(g, buf, total);
	if (!p || !b)
		return W_EFAULT;
	for (i = 0; i < n; i++) {
		size_t len = strlen(strs[i]) + 1;

		put_u32(p + 4 * i, (uint32_t)(buf + off));
		memcpy(b + off, strs[i], len);
		off += len;
	}
	return 0;
}

static uint64_t put_sizes(struct wbpf_guest *g, char **strs, size_t n, uint64_t count_ptr,
			  uint64_t size_ptr)
{
	uint64_t total = strings_size(strs, n);
	uint8_t *c = wbpf_guest_range(g, count_ptr, 4);
	uint8_t *s = wbpf_guest_range(g, size_ptr, 4);

	if (!c || !s)
		return W_EFAULT;
	if (n > UINT32_MAX || total > UINT32_MAX)
		return W_EOVERFLOW;
	put_u32(c, (uint32_t)n);
	put_u32(s, (uint32_t)total);
	return 0;
}

uint64_t wbpf_wasi_args_get(struct wbpf_guest *g, const uint64_t *args)
{
	return put_strings(g, g->wasi->argv, g->wasi->argc, args[0], args[1]);
}

uint64_t wbpf_wasi_args_sizes_get(struct wbpf_guest *g, const uint64_t *args)
{
	return put_sizes(g, g->wasi->argv, g->wasi->argc, args[0], args[1]);
}

uint64_t wbpf_wasi_environ_get(struct wbpf_guest *g, const uint64_t *args)
{
	return put_strings(g, g->wasi->env, g->wasi->envc, args[0], args[1]);
}

uint64_t wbpf_wasi_environ_sizes_get(struct wbpf_guest *g, const uint64_t *args)
{
	return put_sizes(g, g->wasi->env, g->wasi->envc, args[0], args[1]);
}

/* ---------------------------------------------------------------- clocks */

/* clock_res_get and clock_time_get: read clock id with fn, store ns at guest out_ptr */
static uint64_t clock_read(struct wbpf_guest *g, uint64_t id, uint64_t out_ptr,
			   int (*fn)(clockid_t, struct timespec *))
{
	uint8_t *out = wbpf_guest_range(g, out_ptr, 8);
	struct timespec ts;
	clockid_t c;

	if (!out)
		return W_EFAULT;
	if (host_clock(id, &c))
		return W_EINVAL;
	if (fn(c, &ts))
		return werr();
	put_u64(out, ts_ns(&ts));
	return 0;
}

uint64_t wbpf_wasi_clock_res_get(struct wbpf_guest *g, const uint64_t *args)
{
	return clock_read(g, args[0], args[1], clock_getres);
}

uint64_t wbpf_wasi_clock_time_get(struct wbpf_guest *g, const uint64_t *args)
{
	/* args[1], the precision, is a hint: every clock reads at full precision */
	return clock_read(g, args[0], args[2], clock_gettime);
}

/* ---------------------------------------------------------------- random, sched, proc */

uint64_t wbpf_wasi_random_get(struct wbpf_guest *g, const uint64_t *args)
{
	uint8_t *buf = wbpf_guest_range(g, args[0], args[1]);
	size_t len = args[1], done = 0;

	if (!buf)
		return W_EFAULT;
	while (done < len) {
		ssize_t n = getrandom(buf + done, len - done, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return werr();
		}
		done += (size_t)n;
	}
	return 0;
}

uint64_t wbpf_wasi_sched_yield(struct wbpf_guest *g, const uint64_t *args)
{
	sched_yield();
	return 0;
}

uint64_t wbpf_wasi_proc_exit(struct wbpf_guest *g, const uint64_t *args)
{
	wbpf_guest_exit(g, (uint32_t)args[0]);
}

/* WASI signals are not delivered by this host (nor by wasmtime). */
uint64_t wbpf_wasi_proc_raise(struct wbpf_guest *g, const uint64_t *args)
{
	return W_ENOSYS;
}

/* ---------------------------------------------------------------- sockets */

/*
 * No socket is ever preopened for the guest (it can only meet one as its
 * stdio), so the socket calls are not implemented: ENOSYS, as proc_raise.
 */
uint64_t wbpf_wasi_sock_accept(struct wbpf_guest *g, const uint64_t *args)
{
	return W_ENOSYS;
}

uint64_t wbpf_wasi_sock_recv(struct wbpf_guest *g, const uint64_t *args)
{
	return W_ENOSYS;
}

uint64_t wbpf_wasi_sock_send(struct wbpf_guest *g, const uint64_t *args)
{
	return W_ENOSYS;
}

uint64_t wbpf_wasi_sock_shutdown(struct wbpf_guest *g, const uint64_t *args)
{
	return W_ENOSYS;
}
