/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every way a guest could write to a read-only grant, through the raw WASI
 * calls (so each line shows the errno the runtime returns, not what libc
 * makes of it). The test grants two sibling directories of one file system:
 * /ro (read-only: host.txt, sub/inner.txt) and /rw (read-write: rw.txt).
 * It checks on the host that nothing under /ro changed.
 */
#include <stdlib.h>
#include <wasi/api.h>

#include "wt.h"

#define R(x) __WASI_RIGHTS_##x
/* what wasi-libc asks for an O_RDONLY open */
#define READ_RIGHTS                                                                                \
	(R(FD_READ) | R(FD_SEEK) | R(FD_TELL) | R(FD_FDSTAT_SET_FLAGS) | R(FD_SYNC) |              \
	 R(FD_ADVISE) | R(FD_FILESTAT_GET) | R(FD_FILESTAT_SET_TIMES) | R(POLL_FD_READWRITE))

static void show(const char *what, __wasi_errno_t e)
{
	printf("%s: %s\n", what, e ? errname(e) : "ok");
}

#define SHOW(expr) show(#expr, (expr))

/* The descriptor of the preopened directory named name, or exit. */
static __wasi_fd_t preopen(const char *name)
{
	char buf[64];

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

static __wasi_errno_t open_at(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags,
			      __wasi_rights_t rights, __wasi_fdflags_t fdflags, __wasi_fd_t *fd)
{
	__wasi_errno_t e;

	*fd = (__wasi_fd_t)-1;
	e = __wasi_path_open(dir, 0, path, oflags, rights, rights, fdflags, fd);
	if (!e && (int)*fd >= 0 && *fd != (__wasi_fd_t)-1)
		return 0;
	return e;
}

/* path_open that closes what it opened: only the errno matters */
static __wasi_errno_t try_open(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags,
			       __wasi_rights_t rights, __wasi_fdflags_t fdflags)
{
	__wasi_fd_t fd;
	__wasi_errno_t e = open_at(dir, path, oflags, rights, fdflags, &fd);

	if (!e)
		(void)__wasi_fd_close(fd);
	return e;
}

int main(void)
{
	__wasi_fd_t ro = preopen("/ro"), rw = preopen("/rw"), rd, sub, fd;
	__wasi_ciovec_t civ = {.buf = (const uint8_t *)"clobbered", .buf_len = 9};
	__wasi_fdstat_t st;
	__wasi_size_t n;
	char buf[64];
	__wasi_iovec_t iov = {.buf = (uint8_t *)buf, .buf_len = sizeof(buf) - 1};
	uint8_t dents[256];

	puts("-- path_open beneath /ro");
	SHOW(try_open(ro, "host.txt", 0, R(FD_WRITE), 0));
	SHOW(try_open(ro, "host.txt", 0, R(FD_READ) | R(FD_WRITE), 0));
	SHOW(try_open(ro, "host.txt", __WASI_OFLAGS_TRUNC, R(FD_READ), 0));
	SHOW(try_open(ro, "new.txt", __WASI_OFLAGS_CREAT, R(FD_READ), 0));
	SHOW(try_open(ro, "new.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, R(FD_READ), 0));
	SHOW(try_open(ro, "host.txt", 0, R(FD_READ), __WASI_FDFLAGS_APPEND));
	SHOW(try_open(ro, "host.txt", 0, R(FD_ALLOCATE), 0));
	SHOW(try_open(ro, "host.txt", 0, R(FD_FILESTAT_SET_SIZE), 0));
	SHOW(try_open(ro, "host.txt", 0, R(FD_DATASYNC), 0));
	/* opening what exists with O_CREAT is a read, not a create */
	SHOW(try_open(ro, "host.txt", __WASI_OFLAGS_CREAT, R(FD_READ), 0));
	SHOW(try_open(ro, "host.txt", 0, R(FD_READ), __WASI_FDFLAGS_NONBLOCK));

	puts("-- a file opened for reading beneath /ro");
	SHOW(open_at(ro, "host.txt", 0, READ_RIGHTS, 0, &rd));
	/* reading leaves even the access time alone */
	memset(buf, 0, sizeof(buf));
	SHOW(__wasi_fd_read(rd, &iov, 1, &n));
	printf("read [%s]\n", buf);
	SHOW(__wasi_fd_write(rd, &civ, 1, &n));
	SHOW(__wasi_fd_pwrite(rd, &civ, 1, 0, &n));
	SHOW(__wasi_fd_filestat_set_size(rd, 0));
	SHOW(__wasi_fd_allocate(rd, 0, 4096));
	SHOW(__wasi_fd_filestat_set_times(rd, 1, 1, __WASI_FSTFLAGS_MTIM));
	SHOW(__wasi_fd_filestat_set_times(rd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
	SHOW(__wasi_fd_fdstat_set_flags(rd, __WASI_FDFLAGS_APPEND));
	SHOW(__wasi_fd_fdstat_set_rights(rd, READ_RIGHTS | R(FD_WRITE), 0));
	SHOW(__wasi_fd_fdstat_get(rd, &st));
	printf("has FD_WRITE: %s\n", yesno(st.fs_rights_base & R(FD_WRITE)));
	printf("has FDFLAG_APPEND: %s\n", yesno(st.fs_flags & __WASI_FDFLAGS_APPEND));
	SHOW(__wasi_fd_sync(rd));
	/* renumbered, it is still read-only */
	SHOW(open_at(ro, "host.txt", 0, READ_RIGHTS, 0, &fd));
	SHOW(__wasi_fd_renumber(rd, fd));
	SHOW(__wasi_fd_filestat_set_times(fd, 1, 1, __WASI_FSTFLAGS_MTIM));
	SHOW(__wasi_fd_close(fd));

	puts("-- entries beneath /ro");
	SHOW(__wasi_path_create_directory(ro, "newdir"));
	SHOW(__wasi_path_remove_directory(ro, "sub"));
	SHOW(__wasi_path_unlink_file(ro, "host.txt"));
	SHOW(__wasi_path_symlink("host.txt", ro, "sl"));
	SHOW(__wasi_path_filestat_set_times(ro, 0, "host.txt", 1, 1, __WASI_FSTFLAGS_MTIM));
	SHOW(__wasi_path_filestat_set_times(ro, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "host.txt", 0, 0,
					    __WASI_FSTFLAGS_ATIM_NOW));
	SHOW(__wasi_path_rename(ro, "host.txt", ro, "moved.txt"));
	SHOW(__wasi_path_link(ro, 0, "host.txt", ro, "hl"));

	puts("-- between /ro and /rw (one file system)");
	SHOW(__wasi_path_link(ro, 0, "host.txt", rw, "hl"));
	SHOW(__wasi_path_link(ro, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "host.txt", rw, "hl"));
	SHOW(__wasi_path_link(ro, 0, "sub/inner.txt", rw, "hl"));
	SHOW(__wasi_path_rename(ro, "host.txt", rw, "moved.txt"));
	SHOW(__wasi_path_rename(ro, "sub", rw, "subdir"));
	SHOW(__wasi_path_link(rw, 0, "rw.txt", ro, "hl"));
	SHOW(__wasi_path_rename(rw, "rw.txt", ro, "moved.txt"));
	/* had a link been made, this would write host.txt */
	SHOW(open_at(rw, "hl", 0, R(FD_WRITE), 0, &fd));
	if (fd != (__wasi_fd_t)-1) {
		SHOW(__wasi_fd_write(fd, &civ, 1, &n));
		SHOW(__wasi_fd_close(fd));
	}

	puts("-- a directory opened beneath /ro is read-only too");
	SHOW(open_at(ro, "sub", __WASI_OFLAGS_DIRECTORY,
		     READ_RIGHTS | R(PATH_OPEN) | R(PATH_CREATE_FILE) | R(PATH_LINK_SOURCE) |
			     R(PATH_UNLINK_FILE) | R(PATH_RENAME_SOURCE) | R(FD_READDIR),
		     0, &sub));
	SHOW(__wasi_fd_readdir(sub, dents, sizeof(dents), 0, &n));
	SHOW(__wasi_fd_readdir(ro, dents, sizeof(dents), 0, &n));
	SHOW(try_open(sub, "made.txt", __WASI_OFLAGS_CREAT, R(FD_READ) | R(FD_WRITE), 0));
	SHOW(try_open(sub, "inner.txt", 0, R(FD_WRITE), 0));
	SHOW(__wasi_path_unlink_file(sub, "inner.txt"));
	SHOW(__wasi_path_link(sub, 0, "inner.txt", rw, "hl"));
	SHOW(__wasi_path_rename(sub, "inner.txt", rw, "moved.txt"));

	puts("-- a symlink in /rw into /ro is never followed out of /rw");
	SHOW(__wasi_path_symlink("../ro/host.txt", rw, "to_ro"));
	SHOW(try_open(rw, "to_ro", 0, R(FD_READ), 0));
	SHOW(__wasi_path_open(rw, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "to_ro", 0,
			      R(FD_READ) | R(FD_WRITE), 0, 0, &fd));
	SHOW(__wasi_path_link(rw, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "to_ro", rw, "hl"));
	return 0;
}
