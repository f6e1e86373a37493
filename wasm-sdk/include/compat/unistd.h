/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * unistd.h for Wasm-eBPF guests: WASI's, plus a getpid() that gives the real
 * host pid, which BPF programs see in bpf_get_current_pid_tgid() ("only my
 * process" filters). WASI has no process ids (wasi-libc's getpid is missing or
 * a fixed placeholder), so the guest reads it from /proc/self/stat, which it
 * sees only when the user grants the directory:
 *
 *	WASMBPF_DIR=/proc/self:ro ./tool        (or wasmbpf-aot --dir /proc/self:ro)
 *
 * The grant shows the guest its own process's /proc entries (command line,
 * environment, memory maps): grant it only to tools that need their pid.
 * Without it getpid() returns -1 (errno ENOSYS) and says why once, through
 * libbpf_set_print()'s callback or on stderr.
 */
#ifndef __WBPF_COMPAT_UNISTD_H
#define __WBPF_COMPAT_UNISTD_H

#include_next <unistd.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/types.h>
#include "wbpf-print.h"

static inline pid_t wbpf_getpid(void)
{
	static pid_t pid;
	static int warned;
	char buf[32];
	ssize_t n;
	long v;
	int fd;

	if (pid > 0)
		return pid;
	fd = open("/proc/self/stat", O_RDONLY);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			v = strtol(buf, NULL, 10);
			if (v > 0) {
				pid = (pid_t)v;
				return pid;
			}
		}
	}
	if (!warned++)
		__wbpf_pr(LIBBPF_WARN, "getpid: a Wasm guest cannot see its host pid unless "
				       "/proc/self is granted (WASMBPF_DIR=/proc/self:ro)\n");
	errno = ENOSYS;
	return -1;
}

#define getpid() wbpf_getpid()

#endif /* __WBPF_COMPAT_UNISTD_H */
