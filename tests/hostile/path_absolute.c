// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: absolute paths given with a writable grant's descriptor, through
 * every call that takes a path: host paths (/etc/passwd, /, the fixture's
 * own files outside the grant and inside it), the grant's guest name
 * (/rw/...), doubled slashes. A path is always relative to the descriptor:
 * each fails with ENOTCAPABLE, even one that names a file inside the grant.
 * Then descriptors that are no directory grant: one not open (EBADF), stdin
 * and a file (ENOTDIR). argv[1] is the host path of the fixture.
 * path_link: path_hardlinks.c.
 * grant: rw::/rw
 * args: @FIXTURE@
 * exit: 0
 * stdout: -- host paths
 * stdout: open /etc/passwd: ENOTCAPABLE
 * stdout: open /etc/passwd, following symlinks: ENOTCAPABLE
 * stdout: open //etc/passwd: ENOTCAPABLE
 * stdout: open / as a directory: ENOTCAPABLE
 * stdout: open HOST/outside/secret.txt: ENOTCAPABLE
 * stdout: open HOST/rw/sentinel.txt: ENOTCAPABLE
 * stdout: open /rw/sentinel.txt: ENOTCAPABLE
 * stdout: open for writing HOST/outside/secret.txt: ENOTCAPABLE
 * stdout: create HOST/made.txt: ENOTCAPABLE
 * stdout: create /made.txt: ENOTCAPABLE
 * stdout: mkdir HOST/made_dir: ENOTCAPABLE
 * stdout: mkdir /made_dir: ENOTCAPABLE
 * stdout: symlink HOST/made_link: ENOTCAPABLE
 * stdout: rename sentinel.txt to HOST/stolen.txt: ENOTCAPABLE
 * stdout: rename HOST/outside/secret.txt to got.txt: ENOTCAPABLE
 * stdout: unlink HOST/outside/secret.txt: ENOTCAPABLE
 * stdout: unlink /rw/sentinel.txt: ENOTCAPABLE
 * stdout: rmdir HOST/outside/dir: ENOTCAPABLE
 * stdout: rmdir /: ENOTCAPABLE
 * stdout: stat /etc/passwd: ENOTCAPABLE
 * stdout: stat HOST/outside/secret.txt, following symlinks: ENOTCAPABLE
 * stdout: set times of HOST/outside/secret.txt: ENOTCAPABLE
 * stdout: readlink HOST/outside/to-secret: ENOTCAPABLE
 * stdout: readlink /proc/self/exe: ENOTCAPABLE
 * stdout: -- no directory grant
 * stdout: open x beneath descriptor 1000: EBADF
 * stdout: open x beneath stdin: ENOTDIR
 * stdout: open sentinel.txt: ok
 * stdout: open x beneath that file: ENOTDIR
 */
#include "fs.h"

static char host[4096];

/* FIXTURE/rest in a buffer of its own */
static const char *h(const char *rest)
{
	static char bufs[4][4096];
	static int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s", host, rest);
	return b;
}

int main(int argc, char **argv)
{
	__wasi_fd_t rw = preopen("/rw"), fd;

	if (argc < 2 || argv[1][0] != '/') {
		puts("usage: path_absolute HOST-FIXTURE-PATH");
		return 2;
	}
	snprintf(host, sizeof(host), "%s", argv[1]);

	puts("-- host paths");
	show("open /etc/passwd", try_read(rw, 0, "/etc/passwd"));
	show("open /etc/passwd, following symlinks", try_read(rw, FOLLOW, "/etc/passwd"));
	show("open //etc/passwd", try_read(rw, 0, "//etc/passwd"));
	show("open / as a directory", try_open(rw, 0, "/", __WASI_OFLAGS_DIRECTORY, READ_RIGHTS, 0));
	show("open HOST/outside/secret.txt", try_read(rw, 0, h("outside/secret.txt")));
	show("open HOST/rw/sentinel.txt", try_read(rw, 0, h("rw/sentinel.txt")));
	show("open /rw/sentinel.txt", try_read(rw, 0, "/rw/sentinel.txt"));
	show("open for writing HOST/outside/secret.txt",
	     try_clobber(rw, 0, h("outside/secret.txt")));
	show("create HOST/made.txt", try_clobber(rw, 0, h("made.txt")));
	show("create /made.txt", try_clobber(rw, 0, "/made.txt"));
	show("mkdir HOST/made_dir", __wasi_path_create_directory(rw, h("made_dir")));
	show("mkdir /made_dir", __wasi_path_create_directory(rw, "/made_dir"));
	show("symlink HOST/made_link", __wasi_path_symlink("sentinel.txt", rw, h("made_link")));
	show("rename sentinel.txt to HOST/stolen.txt",
	     __wasi_path_rename(rw, "sentinel.txt", rw, h("stolen.txt")));
	show("rename HOST/outside/secret.txt to got.txt",
	     __wasi_path_rename(rw, h("outside/secret.txt"), rw, "got.txt"));
	show("unlink HOST/outside/secret.txt", __wasi_path_unlink_file(rw, h("outside/secret.txt")));
	show("unlink /rw/sentinel.txt", __wasi_path_unlink_file(rw, "/rw/sentinel.txt"));
	show("rmdir HOST/outside/dir", __wasi_path_remove_directory(rw, h("outside/dir")));
	show("rmdir /", __wasi_path_remove_directory(rw, "/"));
	show("stat /etc/passwd", stat_at(rw, 0, "/etc/passwd"));
	show("stat HOST/outside/secret.txt, following symlinks",
	     stat_at(rw, FOLLOW, h("outside/secret.txt")));
	show("set times of HOST/outside/secret.txt", touch_at(rw, 0, h("outside/secret.txt")));
	show("readlink HOST/outside/to-secret", readlink_at(rw, h("outside/to-secret")));
	show("readlink /proc/self/exe", readlink_at(rw, "/proc/self/exe"));

	puts("-- no directory grant");
	show("open x beneath descriptor 1000", try_read(1000, 0, "x"));
	show("open x beneath stdin", try_read(0, 0, "x"));
	show("open sentinel.txt", open_at(rw, 0, "sentinel.txt", 0, READ_RIGHTS, 0, &fd));
	show("open x beneath that file", try_read(fd, 0, "x"));
	return 0;
}
