// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: fd_fdstat_set_flags NONBLOCK and APPEND on fds 0, 1 and 2, whose
 * open file descriptions the guest shares with its parent (an empty FIFO
 * that stays open, a pipe drained slowly, a file). The guest sees its flags
 * (fd_fdstat_get) and a read of the empty stdin answers EAGAIN at once, but
 * the parent's descriptions keep their flags while the guest runs and after
 * it exits (the tier checks), and 2 MiB written into the full pipe all
 * arrive, no write short or refused. docs/abi.md, "stdio".
 * stdio: pipes
 * exit: 0
 * stdout: # set flags of 0 to NONBLOCK: ok
 * stdout: # set flags of 1 to NONBLOCK | APPEND: ok
 * stdout: # set flags of 2 to NONBLOCK | APPEND: ok
 * stdout: # fd 0: nonblock yes, append no
 * stdout: # fd 1: nonblock yes, append yes
 * stdout: # fd 2: nonblock yes, append yes
 * stdout: # read fd 0 with nothing to read: EAGAIN
 * stdout-repeat: 44000 a line of the output that must all arrive whole
 * stdout: # short or refused writes: 0
 * stderr-has: to stderr, append
 */
#include "fs.h"

#define LINE "a line of the output that must all arrive whole\n"
#define LINES 44000
#define CHUNK 1000 /* lines a write */

static char chunk[CHUNK * (sizeof(LINE) - 1)];

/* fd_write all of [p, p + len) to fd; counts the writes that fell short */
static int write_all(__wasi_fd_t fd, const char *p, size_t len, unsigned *bad)
{
	while (len) {
		__wasi_ciovec_t civ = {.buf = (const uint8_t *)p, .buf_len = len};
		__wasi_size_t n = 0;
		__wasi_errno_t e = __wasi_fd_write(fd, &civ, 1, &n);

		if (e && e != __WASI_ERRNO_AGAIN) {
			printf("# fd_write: %s\n", wasi_errname(e));
			return -1;
		}
		if (e || n < len)
			(*bad)++;
		p += n;
		len -= n;
	}
	return 0;
}

int main(void)
{
	const __wasi_fdflags_t nb = __WASI_FDFLAGS_NONBLOCK, ap = __WASI_FDFLAGS_APPEND;
	unsigned bad = 0;
	__wasi_fdstat_t st;
	__wasi_size_t n;
	char c;
	__wasi_iovec_t iov = {.buf = (uint8_t *)&c, .buf_len = 1};
	int fd, i;

	show("# set flags of 0 to NONBLOCK", __wasi_fd_fdstat_set_flags(0, nb));
	show("# set flags of 1 to NONBLOCK | APPEND", __wasi_fd_fdstat_set_flags(1, nb | ap));
	show("# set flags of 2 to NONBLOCK | APPEND", __wasi_fd_fdstat_set_flags(2, nb | ap));
	for (fd = 0; fd < 3; fd++) {
		__wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);

		if (e) {
			printf("# fdstat of %d: %s\n", fd, wasi_errname(e));
			continue;
		}
		printf("# fd %d: nonblock %s, append %s\n", fd, st.fs_flags & nb ? "yes" : "no",
		       st.fs_flags & ap ? "yes" : "no");
	}
	show("# read fd 0 with nothing to read", __wasi_fd_read(0, &iov, 1, &n));
	/* the tier reads this much before it looks at the flags */
	fflush(stdout);
	fprintf(stderr, "to stderr, append\n");

	for (i = 0; i < CHUNK; i++)
		memcpy(chunk + i * (sizeof(LINE) - 1), LINE, sizeof(LINE) - 1);
	for (i = 0; i < LINES / CHUNK; i++)
		if (write_all(1, chunk, sizeof(chunk), &bad))
			return 1;
	printf("# short or refused writes: %u\n", bad);
	return 0;
}
