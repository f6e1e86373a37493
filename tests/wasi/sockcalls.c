/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The socket calls and proc_raise, through the raw WASI calls (each line
 * shows the errno the runtime returns).
 *   errors   stdin is not a socket; /d is granted: every socket call checks
 *            its fd (EBADF, ENOTSOCK), proc_raise fails
 *   pair     stdin is a connected socket whose peer sent "hello" and then
 *            waits for what the guest sends until it shuts down writing
 *   listen   stdin is a listening socket with one connection pending, whose
 *            peer sent "hi from client"
 */
#include <stdlib.h>
#include <wasi/api.h>

#include "wt.h"

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) extern uint16_t
raw_proc_raise(uint32_t sig);

/* WASI signal numbers (wasi-libc no longer names them) */
#define W_SIGKILL 9
#define W_SIGTERM 15

static void show(const char *what, __wasi_errno_t e)
{
	printf("%s: %s\n", what, e ? errname(e) : "ok");
}

#define SHOW(expr) show(#expr, (expr))

static char buf[64];
static __wasi_iovec_t iov = {.buf = (uint8_t *)buf, .buf_len = sizeof(buf) - 1};
static __wasi_size_t n;
static __wasi_roflags_t ro;

static __wasi_errno_t send_str(__wasi_fd_t fd, const char *s, __wasi_siflags_t flags)
{
	__wasi_ciovec_t civ = {.buf = (const uint8_t *)s, .buf_len = strlen(s)};

	return __wasi_sock_send(fd, &civ, 1, flags, &n);
}

/* sock_recv and show what came */
static void recv_show(const char *what, __wasi_fd_t fd, __wasi_riflags_t flags)
{
	__wasi_errno_t e;

	memset(buf, 0, sizeof(buf));
	e = __wasi_sock_recv(fd, &iov, 1, flags, &n, &ro);
	if (e)
		show(what, e);
	else
		printf("%s: %u bytes [%s], roflags %u\n", what, (unsigned)n, buf, (unsigned)ro);
}

static void filetype(__wasi_fd_t fd)
{
	__wasi_fdstat_t st;
	__wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);

	if (e)
		printf("fdstat_get(%u): %s\n", fd, errname(e));
	else
		printf("fd %u: filetype %u (socket stream is %u)\n", fd, st.fs_filetype,
		       __WASI_FILETYPE_SOCKET_STREAM);
}

static __wasi_fd_t preopen_d(void)
{
	__wasi_prestat_t ps;

	for (__wasi_fd_t fd = 3; fd < 64; fd++)
		if (!__wasi_fd_prestat_get(fd, &ps))
			return fd;
	return 0;
}

static void errors(void)
{
	__wasi_fd_t d = preopen_d(), nfd;

	puts("-- a descriptor that is not open: EBADF");
	recv_show("sock_recv(99)", 99, 0);
	SHOW(send_str(99, "x", 0));
	SHOW(__wasi_sock_shutdown(99, __WASI_SDFLAGS_WR));
	SHOW(__wasi_sock_accept(99, 0, &nfd));
	puts("-- stdio and a directory, not sockets: ENOTSOCK");
	recv_show("sock_recv(0)", 0, 0);
	SHOW(send_str(1, "x", 0));
	SHOW(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR));
	SHOW(__wasi_sock_shutdown(1, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR));
	SHOW(__wasi_sock_accept(0, 0, &nfd));
	SHOW(__wasi_sock_shutdown(d, __WASI_SDFLAGS_RD));
	SHOW(__wasi_sock_accept(d, 0, &nfd));
	puts("-- proc_raise: not delivered");
	SHOW(raw_proc_raise(W_SIGTERM));
	SHOW(raw_proc_raise(W_SIGKILL));
	SHOW(raw_proc_raise(31));
	SHOW(raw_proc_raise(0xffffffffu));
	puts("still running: yes");
}

static void pair(void)
{
	__wasi_fd_t nfd;

	filetype(0);
	recv_show("sock_recv(0, PEEK)", 0, __WASI_RIFLAGS_RECV_PEEK);
	recv_show("sock_recv(0)", 0, 0);
	recv_show("sock_recv(0, bad flags)", 0, 4);
	SHOW(send_str(0, "reply", 0));
	printf("sent %u bytes\n", (unsigned)n);
	SHOW(send_str(0, "x", 1));
	SHOW(__wasi_sock_accept(0, 0, &nfd));
	SHOW(__wasi_sock_shutdown(0, 0));
	SHOW(__wasi_sock_shutdown(0, 4));
	SHOW(__wasi_sock_shutdown(0, __WASI_SDFLAGS_WR));
	/* the peer has all we sent now: it closes, and the guest reads the end */
	recv_show("sock_recv(0) after the peer closed", 0, 0);
}

static void listen_(void)
{
	__wasi_fd_t c = 0;

	filetype(0);
	SHOW(__wasi_sock_accept(0, 8, &c));
	SHOW(__wasi_sock_accept(0, 0, &c));
	filetype(c);
	recv_show("sock_recv(accepted)", c, 0);
	SHOW(send_str(c, "bye", 0));
	SHOW(__wasi_sock_shutdown(c, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR));
	SHOW(__wasi_fd_close(c));
	/* nothing more is pending: a non-blocking guest is told so */
	SHOW(__wasi_fd_fdstat_set_flags(0, __WASI_FDFLAGS_NONBLOCK));
	SHOW(__wasi_sock_accept(0, 0, &c));
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "errors";

	if (!strcmp(mode, "pair"))
		pair();
	else if (!strcmp(mode, "listen"))
		listen_();
	else
		errors();
	return 0;
}
