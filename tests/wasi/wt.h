/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers shared by the WASI test guests. Every guest that makes sense
 * natively is also built with the host cc, so this header works on both:
 * errno values differ between WASI and Linux, their names do not.
 */
#ifndef WT_H
#define WT_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define E(x)                                                                                       \
	{                                                                                          \
		x, #x                                                                              \
	}
static const struct __attribute__((unused)) {
	int e;
	const char *name;
} errnames[] = {
	E(EPERM),	E(ENOENT),    E(EINTR),	 E(EIO),      E(EBADF),	  E(EAGAIN),
	E(EACCES),	E(EFAULT),    E(EEXIST), E(EXDEV),    E(ENOTDIR), E(EISDIR),
	E(EINVAL),	E(ENOSPC),    E(ESPIPE), E(EROFS),    E(EMLINK),  E(ENAMETOOLONG),
	E(ENOSYS),	E(ENOTEMPTY), E(ELOOP),	 E(ENOTSOCK), E(ENOTSUP), E(ENOTCONN),
#ifdef ENOTCAPABLE
	E(ENOTCAPABLE),
#endif
};
#undef E

/* The name of errno value e ("errno N" for one not in the table). */
static inline const char *errname(int e)
{
	static char buf[32];

	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].e == e)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* Print "WHAT: ok" when r >= 0, else "WHAT: ENAME". Returns r. */
static inline long report(const char *what, long r)
{
	if (r < 0)
		printf("%s: %s\n", what, errname(errno));
	else
		printf("%s: ok\n", what);
	return r;
}

#define TRY(expr) report(#expr, (long)(expr))

static inline long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline const char *yesno(int b)
{
	return b ? "yes" : "no";
}

#endif /* WT_H */
