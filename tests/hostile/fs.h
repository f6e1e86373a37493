/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared by the hostile tier's file-system guests. They call the WASI imports
 * themselves (<wasi/api.h>), never libc's file functions: wasi-libc resolves
 * paths against its preopens before the host sees them, and releases differ
 * in how they refuse (ENOTCAPABLE before 2023, ENOENT after), so a libc call
 * would test libc. Each attempt prints one line "WHAT: RESULT", RESULT "ok"
 * or the WASI errno's name; the case's header lists the lines the documented
 * contract gives (docs/abi.md, "Directory grants").
 */
#ifndef WBPF_HOSTILE_FS_H
#define WBPF_HOSTILE_FS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define R(x) __WASI_RIGHTS_##x
/* what wasi-libc asks for an O_RDONLY open */
#define READ_RIGHTS                                                                                \
	(R(FD_READ) | R(FD_SEEK) | R(FD_TELL) | R(FD_FDSTAT_SET_FLAGS) | R(FD_SYNC) |              \
	 R(FD_ADVISE) | R(FD_FILESTAT_GET) | R(FD_FILESTAT_SET_TIMES) | R(POLL_FD_READWRITE))
/* every right but those that open for writing: what a directory is opened with */
#define DIR_RIGHTS                                                                                 \
	(~(__wasi_rights_t)0 &                                                                     \
	 ~(R(FD_WRITE) | R(FD_DATASYNC) | R(FD_ALLOCATE) | R(FD_FILESTAT_SET_SIZE)))
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static const char *wasi_errname(__wasi_errno_t e)
{
#define N(x)                                                                                       \
	case __WASI_ERRNO_##x:                                                                     \
		return "E" #x
	static char buf[24];

	switch (e) {
		N(ACCES);
		N(AGAIN);
		N(BADF);
		N(BUSY);
		N(EXIST);
		N(FAULT);
		N(INVAL);
		N(IO);
		N(ISDIR);
		N(LOOP);
		N(MLINK);
		N(NAMETOOLONG);
		N(NOENT);
		N(NOSPC);
		N(NOSYS);
		N(NOTDIR);
		N(NOTEMPTY);
		N(NOTSUP);
		N(PERM);
		N(ROFS);
		N(XDEV);
		N(NOTCAPABLE);
	default:
		snprintf(buf, sizeof(buf), "errno %u", (unsigned)e);
		return buf;
	}
#undef N
}

static void show(const char *what, __wasi_errno_t e)
{
	printf("%s: %s\n", what, e ? wasi_errname(e) : "ok");
}

/* The descriptor of the preopened directory named name, or exit 1. */
static __wasi_fd_t preopen(const char *name)
{
	char buf[256];

	for (__wasi_fd_t fd = 3; fd < 64; fd++) {
		__wasi_prestat_t ps;

		if (__wasi_fd_prestat_get(fd, &ps) || ps.u.dir.pr_name_len >= sizeof(buf))
			continue;
		if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len))
			continue;
		buf[ps.u.dir.pr_name_len] = '\0';
		if (!strcmp(buf, name))
			return fd;
	}
	printf("no preopen %s\n", name);
	exit(1);
}

/* path_open; *fd is -1 unless it succeeded */
static __wasi_errno_t open_at(__wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path,
			      __wasi_oflags_t oflags, __wasi_rights_t rights, __wasi_fdflags_t fdflags,
			      __wasi_fd_t *fd)
{
	__wasi_errno_t e;

	*fd = (__wasi_fd_t)-1;
	e = __wasi_path_open(dir, lf, path, oflags, rights, rights, fdflags, fd);
	if (e)
		*fd = (__wasi_fd_t)-1;
	return e;
}

/* path_open that closes what it opened: only the answer matters */
static __wasi_errno_t try_open(__wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path,
			       __wasi_oflags_t oflags, __wasi_rights_t rights, __wasi_fdflags_t fdflags)
{
	__wasi_fd_t fd;
	__wasi_errno_t e = open_at(dir, lf, path, oflags, rights, fdflags, &fd);

	if (!e)
		(void)__wasi_fd_close(fd);
	return e;
}

/* read an existing file for reading, plain */
static __wasi_errno_t try_read(__wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path)
{
	return try_open(dir, lf, path, 0, READ_RIGHTS, 0);
}

/* open for writing, creating and truncating: what an attacker would do */
static __wasi_errno_t try_clobber(__wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path)
{
	return try_open(dir, lf, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
			R(FD_READ) | R(FD_WRITE), 0);
}

static __wasi_errno_t stat_at(__wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path)
{
	__wasi_filestat_t st;

	return __wasi_path_filestat_get(dir, lf, path, &st);
}

static __wasi_errno_t touch_at(__wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path)
{
	return __wasi_path_filestat_set_times(dir, lf, path, 1, 1,
					      __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
}

static __wasi_errno_t readlink_at(__wasi_fd_t dir, const char *path)
{
	char buf[256];
	__wasi_size_t n;

	return __wasi_path_readlink(dir, path, (uint8_t *)buf, sizeof(buf), &n);
}

#endif
