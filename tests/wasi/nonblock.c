/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * stdio flags stay the guest's own. With "flags", make fds 0, 1 and 2
 * non-blocking (and 2 append) and read an empty stdin; then, in any mode,
 * write 2 MiB to stdout (into a pipe the test drains slowly) and a line to
 * stderr. Report lines start with "# "; the test checks every data line
 * arrived and the parent's descriptions did not change.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <wasi/api.h>

#include "wt.h"

#define LINES 44000

static void show(const char *what, __wasi_errno_t e)
{
	printf("# %s: %s\n", what, e ? errname(e) : "ok");
}

int main(int argc, char **argv)
{
	bool set = argc > 1 && !strcmp(argv[1], "flags");
	__wasi_fdstat_t st;
	char c;
	__wasi_iovec_t iov = {.buf = (uint8_t *)&c, .buf_len = 1};
	__wasi_size_t n;
	int fd, i;

	if (set) {
		show("set_flags(0, NONBLOCK)",
		     __wasi_fd_fdstat_set_flags(0, __WASI_FDFLAGS_NONBLOCK));
		show("set_flags(1, NONBLOCK)",
		     __wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_NONBLOCK));
		show("set_flags(2, NONBLOCK | APPEND)",
		     __wasi_fd_fdstat_set_flags(2,
						__WASI_FDFLAGS_NONBLOCK | __WASI_FDFLAGS_APPEND));
	}
	for (fd = 0; fd < 3; fd++) {
		__wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);

		if (e) {
			printf("# fdstat_get(%d): %s\n", fd, errname(e));
			continue;
		}
		printf("# fd %d: nonblock %s, append %s\n", fd,
		       yesno(st.fs_flags & __WASI_FDFLAGS_NONBLOCK),
		       yesno(st.fs_flags & __WASI_FDFLAGS_APPEND));
	}
	if (set)
		show("read(0) with nothing to read", __wasi_fd_read(0, &iov, 1, &n));
	fflush(stdout);
	fprintf(stderr, "to stderr\n");

	for (i = 0; i < LINES; i++)
		printf("line %05d of the output that must arrive whole\n", i);
	printf("# end\n");
	return 0;
}
