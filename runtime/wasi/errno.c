// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The one host errno -> WASI errno table.
 *
 * Every errno WASI preview1 defines has its Linux counterpart here (they share
 * names, not numbers). A host errno WASI has no name for (ENOTBLK, ENOMEDIUM,
 * ...) becomes EIO: an unexpected failure of the host, not "function not
 * implemented" (ENOSYS), which would tell the guest to stop trying.
 */
#include <errno.h>
#include <stddef.h>

#include "wasi-priv.h"

static const uint16_t table[] = {
	[0] = 0, /* SUCCESS */
	[E2BIG] = 1,
	[EACCES] = 2,
	[EADDRINUSE] = 3,
	[EADDRNOTAVAIL] = 4,
	[EAFNOSUPPORT] = 5,
	[EAGAIN] = 6, /* = EWOULDBLOCK */
	[EALREADY] = 7,
	[EBADF] = 8,
	[EBADMSG] = 9,
	[EBUSY] = 10,
	[ECANCELED] = 11,
	[ECHILD] = 12,
	[ECONNABORTED] = 13,
	[ECONNREFUSED] = 14,
	[ECONNRESET] = 15,
	[EDEADLK] = 16, /* = EDEADLOCK */
	[EDESTADDRREQ] = 17,
	[EDOM] = 18,
	[EDQUOT] = 19,
	[EEXIST] = 20,
	[EFAULT] = 21,
	[EFBIG] = 22,
	[EHOSTUNREACH] = 23,
	[EIDRM] = 24,
	[EILSEQ] = 25,
	[EINPROGRESS] = 26,
	[EINTR] = 27,
	[EINVAL] = 28,
	[EIO] = 29,
	[EISCONN] = 30,
	[EISDIR] = 31,
	[ELOOP] = 32,
	[EMFILE] = 33,
	[EMLINK] = 34,
	[EMSGSIZE] = 35,
	[EMULTIHOP] = 36,
	[ENAMETOOLONG] = 37,
	[ENETDOWN] = 38,
	[ENETRESET] = 39,
	[ENETUNREACH] = 40,
	[ENFILE] = 41,
	[ENOBUFS] = 42,
	[ENODEV] = 43,
	[ENOENT] = 44,
	[ENOEXEC] = 45,
	[ENOLCK] = 46,
	[ENOLINK] = 47,
	[ENOMEM] = 48,
	[ENOMSG] = 49,
	[ENOPROTOOPT] = 50,
	[ENOSPC] = 51,
	[ENOSYS] = 52,
	[ENOTCONN] = 53,
	[ENOTDIR] = 54,
	[ENOTEMPTY] = 55,
	[ENOTRECOVERABLE] = 56,
	[ENOTSOCK] = 57,
	[ENOTSUP] = 58, /* = EOPNOTSUPP */
	[ENOTTY] = 59,
	[ENXIO] = 60,
	[EOVERFLOW] = 61,
	[EOWNERDEAD] = 62,
	[EPERM] = 63,
	[EPIPE] = 64,
	[EPROTO] = 65,
	[EPROTONOSUPPORT] = 66,
	[EPROTOTYPE] = 67,
	[ERANGE] = 68,
	[EROFS] = 69,
	[ESPIPE] = 70,
	[ESRCH] = 71,
	[ESTALE] = 72,
	[ETIMEDOUT] = 73,
	[ETXTBSY] = 74,
	[EXDEV] = 75,
};

uint16_t wbpf_wasi_errno(int host_errno)
{
	if (host_errno < 0)
		host_errno = -host_errno;
	if (host_errno == 0)
		return W_ESUCCESS;
	/* every entry but [0] is non-zero, so a zero entry is an unnamed errno */
	if ((size_t)host_errno >= sizeof(table) / sizeof(table[0]) || !table[host_errno])
		return W_EIO;
	return table[host_errno];
}
