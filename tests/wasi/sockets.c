/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The socket calls of WASI preview1 on descriptors that are not sockets
 * (stdin /dev/null, stdout a file) or not open fail with ENOTSOCK or EBADF,
 * and the program goes on. Wasm only (wasi-libc has no socket(); these act
 * on existing fds).
 */
#include <sys/socket.h>
#include <unistd.h>
#include <wasi/api.h>

#include "wt.h"

int main(void)
{
	char buf[16] = "data";
	__wasi_fd_t nfd;

	TRY(accept(0, NULL, NULL));
	TRY(recv(0, buf, sizeof(buf), 0));
	TRY(send(1, buf, 4, 0));
	TRY(shutdown(1, SHUT_RDWR));
	printf("sock_accept(0): %s\n", errname(__wasi_sock_accept(0, 0, &nfd)));
	printf("sock_accept(99): %s\n", errname(__wasi_sock_accept(99, 0, &nfd)));
	printf("still running: yes\n");
	return 0;
}
