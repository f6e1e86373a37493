/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Output into a stdout the parent left non-blocking: report the flags of
 * fds 0, 1 and 2 as the guest sees them, then write 2 MiB to stdout (into a
 * pipe the test drains slowly) and a line to stderr. Report lines start
 * with "# "; the test checks every data line arrived. What the guest's own
 * flags do to the parent's descriptions is the hostile tier's
 * (tests/hostile/stdio_flags.c).
 */
#include <stdlib.h>
#include <wasi/api.h>

#include "wt.h"

#define LINES 44000

int main(void)
{
	__wasi_fdstat_t st;
	int fd, i;

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
	fflush(stdout);
	fprintf(stderr, "to stderr\n");

	for (i = 0; i < LINES; i++)
		printf("line %05d of the output that must arrive whole\n", i);
	printf("# end\n");
	return 0;
}
