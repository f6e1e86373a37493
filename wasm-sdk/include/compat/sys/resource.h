/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sys/resource.h for Wasm-eBPF guests. libbpf tools include it to raise
 * RLIMIT_MEMLOCK before loading; in a guest the host loads the object (and
 * libbpf 1.x on kernels >= 5.11 charges BPF memory to the memory cgroup, not
 * to RLIMIT_MEMLOCK), so setrlimit(RLIMIT_MEMLOCK, ...) here succeeds and
 * does nothing. Other limits are not available to a Wasm guest: -1, ENOSYS.
 * getrusage() needs -D_WASI_EMULATED_PROCESS_CLOCKS (WASI's own header).
 */
#ifndef __WBPF_COMPAT_SYS_RESOURCE_H
#define __WBPF_COMPAT_SYS_RESOURCE_H

#include <errno.h>

#ifdef _WASI_EMULATED_PROCESS_CLOCKS
#include_next <sys/resource.h>
#endif

typedef unsigned long long rlim_t;

struct rlimit {
	rlim_t rlim_cur;
	rlim_t rlim_max;
};

#define RLIM_INFINITY (~0ULL)
#define RLIMIT_MEMLOCK 8

/* RLIMIT_MEMLOCK: 0 (nothing to do in a guest); any other limit: -1, ENOSYS. */
static inline int __wbpf_setrlimit(int resource, const struct rlimit *rlim)
{
	(void)rlim;
	if (resource == RLIMIT_MEMLOCK)
		return 0;
	errno = ENOSYS;
	return -1;
}

/* RLIMIT_MEMLOCK reads as unlimited; any other limit: -1, ENOSYS. */
static inline int __wbpf_getrlimit(int resource, struct rlimit *rlim)
{
	if (resource != RLIMIT_MEMLOCK) {
		errno = ENOSYS;
		return -1;
	}
	rlim->rlim_cur = rlim->rlim_max = RLIM_INFINITY;
	return 0;
}

#define setrlimit(r, l) __wbpf_setrlimit(r, l)
#define getrlimit(r, l) __wbpf_getrlimit(r, l)

#endif /* __WBPF_COMPAT_SYS_RESOURCE_H */
