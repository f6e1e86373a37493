/* UNIT-LINK: runtime/wasi/errno.c */
// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * wbpf_wasi_errno(): every host errno WASI preview1 names maps to the WASI
 * number of the same name (the numbering of the wasi_snapshot_preview1 witx),
 * and nothing else maps to a WASI errno by accident.
 */
#include <errno.h>

#include <wbpf/wasi.h>

#include "check.h"

/* The witx numbering, written out from the spec (names in spec order). */
static const struct {
	int host;
	unsigned wasi;
	const char *name;
} spec[] = {
	{E2BIG, 1, "2BIG"},
	{EACCES, 2, "ACCES"},
	{EADDRINUSE, 3, "ADDRINUSE"},
	{EADDRNOTAVAIL, 4, "ADDRNOTAVAIL"},
	{EAFNOSUPPORT, 5, "AFNOSUPPORT"},
	{EAGAIN, 6, "AGAIN"},
	{EALREADY, 7, "ALREADY"},
	{EBADF, 8, "BADF"},
	{EBADMSG, 9, "BADMSG"},
	{EBUSY, 10, "BUSY"},
	{ECANCELED, 11, "CANCELED"},
	{ECHILD, 12, "CHILD"},
	{ECONNABORTED, 13, "CONNABORTED"},
	{ECONNREFUSED, 14, "CONNREFUSED"},
	{ECONNRESET, 15, "CONNRESET"},
	{EDEADLK, 16, "DEADLK"},
	{EDESTADDRREQ, 17, "DESTADDRREQ"},
	{EDOM, 18, "DOM"},
	{EDQUOT, 19, "DQUOT"},
	{EEXIST, 20, "EXIST"},
	{EFAULT, 21, "FAULT"},
	{EFBIG, 22, "FBIG"},
	{EHOSTUNREACH, 23, "HOSTUNREACH"},
	{EIDRM, 24, "IDRM"},
	{EILSEQ, 25, "ILSEQ"},
	{EINPROGRESS, 26, "INPROGRESS"},
	{EINTR, 27, "INTR"},
	{EINVAL, 28, "INVAL"},
	{EIO, 29, "IO"},
	{EISCONN, 30, "ISCONN"},
	{EISDIR, 31, "ISDIR"},
	{ELOOP, 32, "LOOP"},
	{EMFILE, 33, "MFILE"},
	{EMLINK, 34, "MLINK"},
	{EMSGSIZE, 35, "MSGSIZE"},
	{EMULTIHOP, 36, "MULTIHOP"},
	{ENAMETOOLONG, 37, "NAMETOOLONG"},
	{ENETDOWN, 38, "NETDOWN"},
	{ENETRESET, 39, "NETRESET"},
	{ENETUNREACH, 40, "NETUNREACH"},
	{ENFILE, 41, "NFILE"},
	{ENOBUFS, 42, "NOBUFS"},
	{ENODEV, 43, "NODEV"},
	{ENOENT, 44, "NOENT"},
	{ENOEXEC, 45, "NOEXEC"},
	{ENOLCK, 46, "NOLCK"},
	{ENOLINK, 47, "NOLINK"},
	{ENOMEM, 48, "NOMEM"},
	{ENOMSG, 49, "NOMSG"},
	{ENOPROTOOPT, 50, "NOPROTOOPT"},
	{ENOSPC, 51, "NOSPC"},
	{ENOSYS, 52, "NOSYS"},
	{ENOTCONN, 53, "NOTCONN"},
	{ENOTDIR, 54, "NOTDIR"},
	{ENOTEMPTY, 55, "NOTEMPTY"},
	{ENOTRECOVERABLE, 56, "NOTRECOVERABLE"},
	{ENOTSOCK, 57, "NOTSOCK"},
	{ENOTSUP, 58, "NOTSUP"},
	{ENOTTY, 59, "NOTTY"},
	{ENXIO, 60, "NXIO"},
	{EOVERFLOW, 61, "OVERFLOW"},
	{EOWNERDEAD, 62, "OWNERDEAD"},
	{EPERM, 63, "PERM"},
	{EPIPE, 64, "PIPE"},
	{EPROTO, 65, "PROTO"},
	{EPROTONOSUPPORT, 66, "PROTONOSUPPORT"},
	{EPROTOTYPE, 67, "PROTOTYPE"},
	{ERANGE, 68, "RANGE"},
	{EROFS, 69, "ROFS"},
	{ESPIPE, 70, "SPIPE"},
	{ESRCH, 71, "SRCH"},
	{ESTALE, 72, "STALE"},
	{ETIMEDOUT, 73, "TIMEDOUT"},
	{ETXTBSY, 74, "TXTBSY"},
	{EXDEV, 75, "XDEV"},
};
#define NSPEC (sizeof(spec) / sizeof(spec[0]))

static void every_named_errno_maps_to_its_wasi_number(void)
{
	size_t i;

	for (i = 0; i < NSPEC; i++) {
		if (wbpf_wasi_errno(spec[i].host) != spec[i].wasi)
			fprintf(stderr, "  E%s:\n", spec[i].name);
		CHECK_EQ(wbpf_wasi_errno(spec[i].host), spec[i].wasi);
	}
}

static void the_numbers_the_runtime_returns_by_name(void)
{
	/* the ones the handlers and tests rely on, spelled out once more */
	CHECK_EQ(wbpf_wasi_errno(EACCES), 2);
	CHECK_EQ(wbpf_wasi_errno(EBADF), 8);
	CHECK_EQ(wbpf_wasi_errno(EEXIST), 20);
	CHECK_EQ(wbpf_wasi_errno(EFAULT), 21);
	CHECK_EQ(wbpf_wasi_errno(EINTR), 27);
	CHECK_EQ(wbpf_wasi_errno(EINVAL), 28);
	CHECK_EQ(wbpf_wasi_errno(ENOENT), 44);
	CHECK_EQ(wbpf_wasi_errno(ENOSYS), 52);
	CHECK_EQ(wbpf_wasi_errno(ENOTDIR), 54);
	CHECK_EQ(wbpf_wasi_errno(ENOTEMPTY), 55);
	CHECK_EQ(wbpf_wasi_errno(EROFS), 69);
}

static void zero_is_success(void)
{
	CHECK_EQ(wbpf_wasi_errno(0), 0);
}

static void aliases_map_like_their_twins(void)
{
	CHECK_EQ(wbpf_wasi_errno(EWOULDBLOCK), wbpf_wasi_errno(EAGAIN));
	CHECK_EQ(wbpf_wasi_errno(EDEADLOCK), wbpf_wasi_errno(EDEADLK));
	CHECK_EQ(wbpf_wasi_errno(EOPNOTSUPP), wbpf_wasi_errno(ENOTSUP));
}

static void negative_errno_is_accepted(void)
{
	size_t i;

	for (i = 0; i < NSPEC; i++)
		CHECK_EQ(wbpf_wasi_errno(-spec[i].host), spec[i].wasi);
}

static int named(int e)
{
	size_t i;

	for (i = 0; i < NSPEC; i++)
		if (spec[i].host == e || (e == EWOULDBLOCK && spec[i].host == EAGAIN) ||
		    (e == EDEADLOCK && spec[i].host == EDEADLK) ||
		    (e == EOPNOTSUPP && spec[i].host == ENOTSUP))
			return 1;
	return 0;
}

static void unnamed_errnos_are_eio(void)
{
	int e;

	/* ENOTBLK, ECHRNG, ENOMEDIUM, ... have no WASI name: EIO (29) */
	CHECK_EQ(wbpf_wasi_errno(ENOTBLK), 29);
	CHECK_EQ(wbpf_wasi_errno(ENOMEDIUM), 29);
	for (e = 1; e < 300; e++)
		if (!named(e))
			CHECK_EQ(wbpf_wasi_errno(e), 29);
	CHECK_EQ(wbpf_wasi_errno(4095), 29);
	CHECK_EQ(wbpf_wasi_errno(1 << 30), 29);
}

static void never_notcapable_from_a_host_errno(void)
{
	int e;

	/* ENOTCAPABLE (76) is the sandbox's own answer, never a host errno's */
	for (e = 0; e < 300; e++)
		CHECK(wbpf_wasi_errno(e) != 76);
}

int main(void)
{
	RUN(every_named_errno_maps_to_its_wasi_number);
	RUN(the_numbers_the_runtime_returns_by_name);
	RUN(zero_is_success);
	RUN(aliases_map_like_their_twins);
	RUN(negative_errno_is_accepted);
	RUN(unnamed_errnos_are_eio);
	RUN(never_notcapable_from_a_host_errno);
	return check_exit();
}
