// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * args, environ, clocks, random, sched_yield, proc_exit, proc_raise (not
 * delivered) and the sock_* calls on sockets the guest got as its stdio.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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
static uint32_t put_strings(struct wbpf_guest *g, char **strs, size_t n, uint32_t ptrs,
			    uint32_t buf)
{
	uint64_t total = strings_size(strs, n), off = 0;
	uint8_t *p, *b;
	size_t i;

	p = wbpf_guest_range(g, ptrs, (uint64_t)n * W_PTR_SIZE);
	b = wbpf_guest_range(g, buf, total);
	if (!p || !b)
		return W_EFAULT;
	for (i = 0; i < n; i++) {
		size_t len = strlen(strs[i]) + 1;

		put_u32(p + W_PTR_SIZE * i, (uint32_t)(buf + off));
		memcpy(b + off, strs[i], len);
		off += len;
	}
	return 0;
}

static uint32_t put_sizes(struct wbpf_guest *g, char **strs, size_t n, uint32_t count_ptr,
			  uint32_t size_ptr)
{
	uint64_t total = strings_size(strs, n);
	uint8_t *c = wbpf_guest_range(g, count_ptr, W_SIZE_T_SIZE);
	uint8_t *s = wbpf_guest_range(g, size_ptr, W_SIZE_T_SIZE);

	if (!c || !s)
		return W_EFAULT;
	if (n > UINT32_MAX || total > UINT32_MAX)
		return W_EOVERFLOW;
	put_u32(c, (uint32_t)n);
	put_u32(s, (uint32_t)total);
	return 0;
}

uint32_t wbpf_wasi_args_get(struct wbpf_guest *g, uint32_t argv, uint32_t argv_buf)
{
	return put_strings(g, g->wasi->argv, g->wasi->argc, argv, argv_buf);
}

uint32_t wbpf_wasi_args_sizes_get(struct wbpf_guest *g, uint32_t argc_out, uint32_t buf_size_out)
{
	return put_sizes(g, g->wasi->argv, g->wasi->argc, argc_out, buf_size_out);
}

uint32_t wbpf_wasi_environ_get(struct wbpf_guest *g, uint32_t env, uint32_t env_buf)
{
	return put_strings(g, g->wasi->env, g->wasi->envc, env, env_buf);
}

uint32_t wbpf_wasi_environ_sizes_get(struct wbpf_guest *g, uint32_t count_out,
				     uint32_t buf_size_out)
{
	return put_sizes(g, g->wasi->env, g->wasi->envc, count_out, buf_size_out);
}

/* ---------------------------------------------------------------- clocks */

/* clock_res_get and clock_time_get: read clock id with fn, store ns at guest out_ptr */
static uint32_t clock_read(struct wbpf_guest *g, uint32_t id, uint32_t out_ptr,
			   int (*fn)(clockid_t, struct timespec *))
{
	uint8_t *out = wbpf_guest_range(g, out_ptr, W_TIMESTAMP_SIZE);
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

uint32_t wbpf_wasi_clock_res_get(struct wbpf_guest *g, uint32_t id, uint32_t res_out)
{
	return clock_read(g, id, res_out, clock_getres);
}

uint32_t wbpf_wasi_clock_time_get(struct wbpf_guest *g, uint32_t id, uint64_t precision,
				  uint32_t time_out)
{
	/* the precision is a hint: every clock reads at full precision */
	return clock_read(g, id, time_out, clock_gettime);
}

/* ---------------------------------------------------------------- random, sched, proc */

uint32_t wbpf_wasi_random_get(struct wbpf_guest *g, uint32_t buf_ptr, uint32_t buf_len)
{
	uint8_t *buf = wbpf_guest_range(g, buf_ptr, buf_len);
	size_t len = buf_len, done = 0;

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

uint32_t wbpf_wasi_sched_yield(struct wbpf_guest *g)
{
	sched_yield();
	return 0;
}

void wbpf_wasi_proc_exit(struct wbpf_guest *g, uint32_t code)
{
	wbpf_guest_exit(g, code);
}

/* WASI signal numbers run from 0 (none) to 30 (SIGSYS). */
#define W_SIG_MAX 30

/*
 * WASI signals are not delivered by this host (wasmtime traps instead): a
 * number WASI does not define is EINVAL, any other ENOTSUP, and the guest
 * goes on.
 */
uint32_t wbpf_wasi_proc_raise(struct wbpf_guest *g, uint32_t sig)
{
	return sig > W_SIG_MAX ? W_EINVAL : W_ENOTSUP;
}

/* ---------------------------------------------------------------- sockets */

/*
 * No socket is ever preopened for the guest: it can only meet one as its
 * stdio (or accepted from such a one). The calls check the descriptor as
 * other runtimes do: EBADF when it is not open, ENOTSOCK when it is not a
 * socket, ENOTCAPABLE without the right; then act on the socket.
 */
static uint16_t get_sock(struct wbpf_guest *g, uint32_t fd, uint64_t rights, struct wasi_fd **out)
{
	struct wasi_fd *f = wbpf_wasi__fd_get(g, fd);

	*out = f;
	if (!f)
		return W_EBADF;
	if (f->type != W_FT_SOCKET_STREAM && f->type != W_FT_SOCKET_DGRAM)
		return W_ENOTSOCK;
	if ((f->rights & rights) != rights)
		return W_ENOTCAPABLE;
	return 0;
}

struct accept_arg {
	int flags;
};

static ssize_t do_accept(int host, void *arg)
{
	struct accept_arg *a = arg;

	return accept4(host, NULL, NULL, a->flags);
}

uint32_t wbpf_wasi_sock_accept(struct wbpf_guest *g, uint32_t fd, uint32_t flags, uint32_t fd_out)
{
	uint32_t fdflags = flags & 0xffff, newfd;
	struct accept_arg a = {SOCK_CLOEXEC};
	socklen_t len = sizeof(int);
	uint64_t base, inh;
	int listening = 0;
	struct wasi_fd *f;
	struct stat st;
	uint8_t *out;
	uint16_t err;
	ssize_t host;
	uint8_t type;

	err = get_sock(g, fd, W_R_SOCK_ACCEPT, &f);
	if (err)
		return err;
	out = wbpf_guest_range(g, fd_out, W_FD_SIZE);
	if (!out)
		return W_EFAULT;
	if (fdflags & ~W_FDFLAG_NONBLOCK)
		return W_EINVAL;
	/* not listening: the kernel's EINVAL now, not after a wait for a connection */
	if (getsockopt(f->host, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) || !listening)
		return W_EINVAL;
	if (fdflags & W_FDFLAG_NONBLOCK)
		a.flags |= SOCK_NONBLOCK;
	host = wbpf_wasi__read(f, do_accept, &a, &err);
	if (host < 0)
		return err;
	if (fstat((int)host, &st)) {
		err = werr();
		goto cleanup;
	}
	type = wbpf_wasi__filetype((int)host, st.st_mode);
	wbpf_wasi__type_rights((int)host, type, &base, &inh);
	err = wbpf_wasi__fd_add(g, (int)host, type, base, inh, false, &newfd);
	if (err)
		goto cleanup;
	host = -1;
	put_u32(out, newfd);
cleanup:
	if (host >= 0)
		close((int)host);
	return err;
}

/* sock_recv's ri_flags and ro_flags */
#define W_RECV_PEEK (1 << 0)
#define W_RECV_WAITALL (1 << 1)
#define W_RECV_DATA_TRUNCATED (1 << 0)

struct recv_arg {
	struct msghdr msg;
	int flags;
};

static ssize_t do_recv(int host, void *arg)
{
	struct recv_arg *a = arg;

	return recvmsg(host, &a->msg, a->flags);
}

#define IOV_STACK 16

uint32_t wbpf_wasi_sock_recv(struct wbpf_guest *g, uint32_t fd, uint32_t ri_data,
			     uint32_t ri_data_len, uint32_t ri_flags, uint32_t ro_datalen_out,
			     uint32_t ro_flags_out)
{
	uint32_t riflags = ri_flags & 0xffff;
	struct iovec stack[IOV_STACK], *v = NULL;
	struct recv_arg a = {.flags = 0};
	uint8_t *datalen, *roflags;
	struct wasi_fd *f;
	uint32_t ret;
	uint16_t err;
	ssize_t n;
	int cnt;

	ret = get_sock(g, fd, W_R_FD_READ, &f);
	if (ret)
		return ret;
	datalen = wbpf_guest_range(g, ro_datalen_out, W_SIZE_T_SIZE);
	roflags = wbpf_guest_range(g, ro_flags_out, W_ROFLAGS_SIZE);
	if (!datalen || !roflags)
		return W_EFAULT;
	if (riflags & ~(W_RECV_PEEK | W_RECV_WAITALL))
		return W_EINVAL;
	ret = wbpf_wasi__iovs(g, ri_data, ri_data_len, stack, IOV_STACK, &v, &cnt);
	if (ret)
		return ret;
	if (riflags & W_RECV_PEEK)
		a.flags |= MSG_PEEK;
	if (riflags & W_RECV_WAITALL)
		a.flags |= MSG_WAITALL;
	/* stdio the guest made non-blocking: never block, even if another reader took the data */
	if (f->keep_host && f->fdflags & W_FDFLAG_NONBLOCK)
		a.flags |= MSG_DONTWAIT;
	a.msg.msg_iov = v;
	a.msg.msg_iovlen = (size_t)cnt;
	n = wbpf_wasi__read(f, do_recv, &a, &err);
	if (n < 0) {
		ret = err;
		goto cleanup;
	}
	put_u32(datalen, (uint32_t)n);
	put_u16(roflags, a.msg.msg_flags & MSG_TRUNC ? W_RECV_DATA_TRUNCATED : 0);
cleanup:
	if (v != stack)
		free(v);
	return ret;
}

/* With no flags (the only ones WASI has), a send is a write: fd_write's path. */
uint32_t wbpf_wasi_sock_send(struct wbpf_guest *g, uint32_t fd, uint32_t si_data,
			     uint32_t si_data_len, uint32_t si_flags, uint32_t so_datalen_out)
{
	struct wasi_fd *f;
	uint16_t err;

	err = get_sock(g, fd, W_R_FD_WRITE, &f);
	if (err)
		return err;
	if (si_flags & 0xffff)
		return W_ENOTSUP;
	return wbpf_wasi_fd_write(g, fd, si_data, si_data_len, so_datalen_out);
}

/* sdflags */
#define W_SHUT_RD (1 << 0)
#define W_SHUT_WR (1 << 1)

uint32_t wbpf_wasi_sock_shutdown(struct wbpf_guest *g, uint32_t fd, uint32_t how_arg)
{
	static const int how[] = {
		[W_SHUT_RD] = SHUT_RD, [W_SHUT_WR] = SHUT_WR, [W_SHUT_RD | W_SHUT_WR] = SHUT_RDWR};
	uint32_t sd = how_arg & 0xff;
	struct wasi_fd *f;
	uint16_t err;

	err = get_sock(g, fd, W_R_SOCK_SHUTDOWN, &f);
	if (err)
		return err;
	if (sd == 0 || sd > (W_SHUT_RD | W_SHUT_WR))
		return W_EINVAL;
	return shutdown(f->host, how[sd]) ? werr() : 0;
}
