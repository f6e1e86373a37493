// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: every writing call against a read-only grant. path_open asking to
 * write, truncate, create, append, allocate, resize or sync data fails with
 * EROFS (opening what exists with CREAT is a read). A descriptor opened for
 * reading lacks the write rights (fd_write, fd_pwrite, fd_filestat_set_size,
 * fd_allocate: ENOTCAPABLE) and cannot gain them (fd_fdstat_set_rights:
 * ENOTCAPABLE); setting times or APPEND on it fails with EROFS, also after
 * renumbering. Every entry call (mkdir, rmdir, unlink, symlink, set times,
 * rename within the grant and to or from the writable one) fails with EROFS,
 * also beneath a directory opened under the grant. A symlink the guest makes
 * in the writable grant to the read-only one cannot be followed. Reads work
 * and leave access times alone (the tier checks every time). Links between
 * the grants: path_hardlinks.c.
 * grant: ro::/ro:ro
 * grant: rw::/rw
 * absent: rw/moved.txt
 * absent: rw/subdir
 * exit: 0
 * stdout: -- path_open beneath /ro
 * stdout: open for writing: EROFS
 * stdout: open for reading and writing: EROFS
 * stdout: open with TRUNC: EROFS
 * stdout: open with CREAT a new file: EROFS
 * stdout: open with CREAT | EXCL a new file: EROFS
 * stdout: open with APPEND: EROFS
 * stdout: open with FD_ALLOCATE: EROFS
 * stdout: open with FD_FILESTAT_SET_SIZE: EROFS
 * stdout: open with FD_DATASYNC: EROFS
 * stdout: open the directory itself for writing: EROFS
 * stdout: open with CREAT what exists: ok
 * stdout: open with NONBLOCK: ok
 * stdout: -- a file opened for reading beneath /ro
 * stdout: open for reading: ok
 * stdout: read: [sentinel of ro]
 * stdout: fd_write: ENOTCAPABLE
 * stdout: fd_pwrite: ENOTCAPABLE
 * stdout: fd_filestat_set_size: ENOTCAPABLE
 * stdout: fd_allocate: ENOTCAPABLE
 * stdout: fd_filestat_set_times: EROFS
 * stdout: fd_filestat_set_times to now: EROFS
 * stdout: fd_fdstat_set_flags APPEND: EROFS
 * stdout: fd_fdstat_set_rights adding FD_WRITE: ENOTCAPABLE
 * stdout: fd_fdstat_set_rights adding FD_ALLOCATE: ENOTCAPABLE
 * stdout: has FD_WRITE: no
 * stdout: has APPEND: no
 * stdout: fd_sync: ok
 * stdout: open another for reading: ok
 * stdout: renumber the first over it: ok
 * stdout: fd_filestat_set_times after renumbering: EROFS
 * stdout: fd_write after renumbering: ENOTCAPABLE
 * stdout: fd_filestat_set_times on the grant's own descriptor: EROFS
 * stdout: -- entries beneath /ro
 * stdout: mkdir newdir: EROFS
 * stdout: rmdir sub: EROFS
 * stdout: unlink sentinel.txt: EROFS
 * stdout: symlink sl: EROFS
 * stdout: set times of sentinel.txt: EROFS
 * stdout: set times of sentinel.txt to now, following: EROFS
 * stdout: set times of sub: EROFS
 * stdout: rename sentinel.txt to moved.txt: EROFS
 * stdout: rename sub to subdir: EROFS
 * stdout: -- renames between /ro and /rw
 * stdout: rename ro sentinel.txt to rw moved.txt: EROFS
 * stdout: rename ro sub to rw subdir: EROFS
 * stdout: rename rw sentinel.txt to ro moved.txt: EROFS
 * stdout: rename rw sentinel.txt over ro sentinel.txt: EROFS
 * stdout: rename rw sub over ro sub: EROFS
 * stdout: -- a directory opened beneath /ro
 * stdout: open sub as a directory, with every directory right: ok
 * stdout: readdir: ok
 * stdout: create made.txt beneath it: EROFS
 * stdout: open inner.txt beneath it for writing: EROFS
 * stdout: mkdir beneath it: EROFS
 * stdout: unlink inner.txt beneath it: EROFS
 * stdout: symlink beneath it: EROFS
 * stdout: set times of inner.txt beneath it: EROFS
 * stdout: rename inner.txt beneath it to rw moved.txt: EROFS
 * stdout: -- a symlink in /rw to /ro
 * stdout: symlink rw to_ro -> ../ro/sentinel.txt: ok
 * stdout: open for writing to_ro: ENOTCAPABLE
 * stdout: -- and nothing changed
 * stdout: read: [sentinel of ro]
 */
#include "fs.h"

static __wasi_ciovec_t civ = {.buf = (const uint8_t *)"clobbered", .buf_len = 9};
static __wasi_size_t n;

static void show_read(__wasi_fd_t fd)
{
	char buf[64] = "";
	__wasi_iovec_t iov = {.buf = (uint8_t *)buf, .buf_len = sizeof(buf) - 1};
	__wasi_errno_t e = __wasi_fd_pread(fd, &iov, 1, 0, &n);

	if (e) {
		show("read", e);
		return;
	}
	buf[strcspn(buf, "\n")] = '\0';
	printf("read: [%s]\n", buf);
}

int main(void)
{
	__wasi_fd_t ro = preopen("/ro"), rw = preopen("/rw"), rd, fd, sub;
	__wasi_fdstat_t st;
	uint8_t dents[256];

	puts("-- path_open beneath /ro");
	show("open for writing", try_open(ro, 0, "sentinel.txt", 0, R(FD_WRITE), 0));
	show("open for reading and writing",
	     try_open(ro, 0, "sentinel.txt", 0, R(FD_READ) | R(FD_WRITE), 0));
	show("open with TRUNC", try_open(ro, 0, "sentinel.txt", __WASI_OFLAGS_TRUNC, R(FD_READ), 0));
	show("open with CREAT a new file",
	     try_open(ro, 0, "new.txt", __WASI_OFLAGS_CREAT, R(FD_READ), 0));
	show("open with CREAT | EXCL a new file",
	     try_open(ro, 0, "new.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, R(FD_READ), 0));
	show("open with APPEND",
	     try_open(ro, 0, "sentinel.txt", 0, R(FD_READ), __WASI_FDFLAGS_APPEND));
	show("open with FD_ALLOCATE", try_open(ro, 0, "sentinel.txt", 0, R(FD_ALLOCATE), 0));
	show("open with FD_FILESTAT_SET_SIZE",
	     try_open(ro, 0, "sentinel.txt", 0, R(FD_FILESTAT_SET_SIZE), 0));
	show("open with FD_DATASYNC", try_open(ro, 0, "sentinel.txt", 0, R(FD_DATASYNC), 0));
	show("open the directory itself for writing",
	     try_open(ro, 0, ".", __WASI_OFLAGS_DIRECTORY, R(FD_WRITE), 0));
	show("open with CREAT what exists",
	     try_open(ro, 0, "sentinel.txt", __WASI_OFLAGS_CREAT, R(FD_READ), 0));
	show("open with NONBLOCK",
	     try_open(ro, 0, "sentinel.txt", 0, R(FD_READ), __WASI_FDFLAGS_NONBLOCK));

	puts("-- a file opened for reading beneath /ro");
	show("open for reading", open_at(ro, 0, "sentinel.txt", 0, READ_RIGHTS, 0, &rd));
	show_read(rd);
	show("fd_write", __wasi_fd_write(rd, &civ, 1, &n));
	show("fd_pwrite", __wasi_fd_pwrite(rd, &civ, 1, 0, &n));
	show("fd_filestat_set_size", __wasi_fd_filestat_set_size(rd, 0));
	show("fd_allocate", __wasi_fd_allocate(rd, 0, 4096));
	show("fd_filestat_set_times", __wasi_fd_filestat_set_times(rd, 1, 1, __WASI_FSTFLAGS_MTIM));
	show("fd_filestat_set_times to now",
	     __wasi_fd_filestat_set_times(rd, 0, 0,
					  __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
	show("fd_fdstat_set_flags APPEND", __wasi_fd_fdstat_set_flags(rd, __WASI_FDFLAGS_APPEND));
	show("fd_fdstat_set_rights adding FD_WRITE",
	     __wasi_fd_fdstat_set_rights(rd, READ_RIGHTS | R(FD_WRITE), 0));
	show("fd_fdstat_set_rights adding FD_ALLOCATE",
	     __wasi_fd_fdstat_set_rights(rd, READ_RIGHTS | R(FD_ALLOCATE), 0));
	if (__wasi_fd_fdstat_get(rd, &st))
		st = (__wasi_fdstat_t){0};
	printf("has FD_WRITE: %s\n", st.fs_rights_base & R(FD_WRITE) ? "yes" : "no");
	printf("has APPEND: %s\n", st.fs_flags & __WASI_FDFLAGS_APPEND ? "yes" : "no");
	show("fd_sync", __wasi_fd_sync(rd));
	show("open another for reading", open_at(ro, 0, "sentinel.txt", 0, READ_RIGHTS, 0, &fd));
	show("renumber the first over it", __wasi_fd_renumber(rd, fd));
	show("fd_filestat_set_times after renumbering",
	     __wasi_fd_filestat_set_times(fd, 1, 1, __WASI_FSTFLAGS_MTIM));
	show("fd_write after renumbering", __wasi_fd_write(fd, &civ, 1, &n));
	show("fd_filestat_set_times on the grant's own descriptor",
	     __wasi_fd_filestat_set_times(ro, 1, 1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));

	puts("-- entries beneath /ro");
	show("mkdir newdir", __wasi_path_create_directory(ro, "newdir"));
	show("rmdir sub", __wasi_path_remove_directory(ro, "sub"));
	show("unlink sentinel.txt", __wasi_path_unlink_file(ro, "sentinel.txt"));
	show("symlink sl", __wasi_path_symlink("sentinel.txt", ro, "sl"));
	show("set times of sentinel.txt", touch_at(ro, 0, "sentinel.txt"));
	show("set times of sentinel.txt to now, following",
	     __wasi_path_filestat_set_times(ro, FOLLOW, "sentinel.txt", 0, 0,
					    __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
	show("set times of sub", touch_at(ro, 0, "sub"));
	show("rename sentinel.txt to moved.txt",
	     __wasi_path_rename(ro, "sentinel.txt", ro, "moved.txt"));
	show("rename sub to subdir", __wasi_path_rename(ro, "sub", ro, "subdir"));

	puts("-- renames between /ro and /rw");
	show("rename ro sentinel.txt to rw moved.txt",
	     __wasi_path_rename(ro, "sentinel.txt", rw, "moved.txt"));
	show("rename ro sub to rw subdir", __wasi_path_rename(ro, "sub", rw, "subdir"));
	show("rename rw sentinel.txt to ro moved.txt",
	     __wasi_path_rename(rw, "sentinel.txt", ro, "moved.txt"));
	show("rename rw sentinel.txt over ro sentinel.txt",
	     __wasi_path_rename(rw, "sentinel.txt", ro, "sentinel.txt"));
	show("rename rw sub over ro sub", __wasi_path_rename(rw, "sub", ro, "sub"));

	puts("-- a directory opened beneath /ro");
	show("open sub as a directory, with every directory right",
	     open_at(ro, 0, "sub", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, 0, &sub));
	show("readdir", __wasi_fd_readdir(sub, dents, sizeof(dents), 0, &n));
	show("create made.txt beneath it", try_clobber(sub, 0, "made.txt"));
	show("open inner.txt beneath it for writing",
	     try_open(sub, 0, "inner.txt", 0, R(FD_WRITE), 0));
	show("mkdir beneath it", __wasi_path_create_directory(sub, "newdir"));
	show("unlink inner.txt beneath it", __wasi_path_unlink_file(sub, "inner.txt"));
	show("symlink beneath it", __wasi_path_symlink("inner.txt", sub, "sl"));
	show("set times of inner.txt beneath it", touch_at(sub, 0, "inner.txt"));
	show("rename inner.txt beneath it to rw moved.txt",
	     __wasi_path_rename(sub, "inner.txt", rw, "moved.txt"));

	puts("-- a symlink in /rw to /ro");
	show("symlink rw to_ro -> ../ro/sentinel.txt",
	     __wasi_path_symlink("../ro/sentinel.txt", rw, "to_ro"));
	show("open for writing to_ro", try_open(rw, FOLLOW, "to_ro", 0, R(FD_WRITE), 0));

	puts("-- and nothing changed");
	show_read(fd);
	return 0;
}
