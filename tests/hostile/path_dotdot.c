// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: ".." out of a writable grant, through every call that takes a
 * path: plain, after a subdirectory (a/../../x), after a symlink that stays
 * inside the grant (the kernel goes up from the symlink's target), at the end
 * of a path, and through a directory opened beneath the grant (paths stay
 * beneath the descriptor they are given with). Each escape fails with
 * ENOTCAPABLE; ".." that stays inside works. path_link: path_hardlinks.c.
 * grant: rw::/rw
 * fixture: mkdir rw/sub/deeper && ln -s sub/deeper rw/deep && ln -s . rw/self
 * exit: 0
 * stdout: -- inside the grant
 * stdout: open sub/../sentinel.txt: ok
 * stdout: open deep/../inner.txt: ok
 * stdout: open sub/.. as a directory: ok
 * stdout: -- out of it
 * stdout: open ..: ENOTCAPABLE
 * stdout: open ../outside/secret.txt: ENOTCAPABLE
 * stdout: open sub/../../outside/secret.txt: ENOTCAPABLE
 * stdout: open sub/deeper/../../../outside/secret.txt: ENOTCAPABLE
 * stdout: open deep/../../../outside/secret.txt: ENOTCAPABLE
 * stdout: open self/../outside/secret.txt: ENOTCAPABLE
 * stdout: open for writing ../outside/secret.txt: ENOTCAPABLE
 * stdout: create ../made.txt: ENOTCAPABLE
 * stdout: create deep/../../../made.txt: ENOTCAPABLE
 * stdout: mkdir ../made_dir: ENOTCAPABLE
 * stdout: mkdir sub/../../made_dir: ENOTCAPABLE
 * stdout: symlink ../made_link: ENOTCAPABLE
 * stdout: rename sentinel.txt to ../stolen.txt: ENOTCAPABLE
 * stdout: rename sentinel.txt to deep/../../../stolen.txt: ENOTCAPABLE
 * stdout: rename ../outside/secret.txt to got.txt: ENOTCAPABLE
 * stdout: rename ../outside to got: ENOTCAPABLE
 * stdout: unlink ../outside/secret.txt: ENOTCAPABLE
 * stdout: unlink self/../outside/to-secret: ENOTCAPABLE
 * stdout: unlink ..: ENOTCAPABLE
 * stdout: rmdir ../outside/dir: ENOTCAPABLE
 * stdout: rmdir ..: ENOTCAPABLE
 * stdout: rmdir sub/../..: ENOTCAPABLE
 * stdout: stat ../outside/secret.txt: ENOTCAPABLE
 * stdout: stat ..: ENOTCAPABLE
 * stdout: set times of ../outside/secret.txt: ENOTCAPABLE
 * stdout: set times of ..: ENOTCAPABLE
 * stdout: readlink ../outside/to-secret: ENOTCAPABLE
 * stdout: -- through a directory opened beneath the grant
 * stdout: open sub as a directory: ok
 * stdout: open ../sentinel.txt beneath sub: ENOTCAPABLE
 * stdout: open ../../outside/secret.txt beneath sub: ENOTCAPABLE
 * stdout: mkdir ../made_dir beneath sub: ENOTCAPABLE
 * stdout: unlink ../sentinel.txt beneath sub: ENOTCAPABLE
 */
#include "fs.h"

int main(void)
{
	__wasi_fd_t rw = preopen("/rw"), sub;

	puts("-- inside the grant");
	show("open sub/../sentinel.txt", try_read(rw, 0, "sub/../sentinel.txt"));
	show("open deep/../inner.txt", try_read(rw, 0, "deep/../inner.txt"));
	show("open sub/.. as a directory",
	     try_open(rw, 0, "sub/..", __WASI_OFLAGS_DIRECTORY, READ_RIGHTS, 0));

	puts("-- out of it");
	show("open ..", try_open(rw, 0, "..", __WASI_OFLAGS_DIRECTORY, READ_RIGHTS, 0));
	show("open ../outside/secret.txt", try_read(rw, 0, "../outside/secret.txt"));
	show("open sub/../../outside/secret.txt", try_read(rw, 0, "sub/../../outside/secret.txt"));
	show("open sub/deeper/../../../outside/secret.txt",
	     try_read(rw, 0, "sub/deeper/../../../outside/secret.txt"));
	show("open deep/../../../outside/secret.txt",
	     try_read(rw, 0, "deep/../../../outside/secret.txt"));
	show("open self/../outside/secret.txt", try_read(rw, FOLLOW, "self/../outside/secret.txt"));
	show("open for writing ../outside/secret.txt",
	     try_clobber(rw, 0, "../outside/secret.txt"));
	show("create ../made.txt", try_clobber(rw, 0, "../made.txt"));
	show("create deep/../../../made.txt", try_clobber(rw, 0, "deep/../../../made.txt"));
	show("mkdir ../made_dir", __wasi_path_create_directory(rw, "../made_dir"));
	show("mkdir sub/../../made_dir", __wasi_path_create_directory(rw, "sub/../../made_dir"));
	show("symlink ../made_link", __wasi_path_symlink("sentinel.txt", rw, "../made_link"));
	show("rename sentinel.txt to ../stolen.txt",
	     __wasi_path_rename(rw, "sentinel.txt", rw, "../stolen.txt"));
	show("rename sentinel.txt to deep/../../../stolen.txt",
	     __wasi_path_rename(rw, "sentinel.txt", rw, "deep/../../../stolen.txt"));
	show("rename ../outside/secret.txt to got.txt",
	     __wasi_path_rename(rw, "../outside/secret.txt", rw, "got.txt"));
	show("rename ../outside to got", __wasi_path_rename(rw, "../outside", rw, "got"));
	show("unlink ../outside/secret.txt", __wasi_path_unlink_file(rw, "../outside/secret.txt"));
	show("unlink self/../outside/to-secret",
	     __wasi_path_unlink_file(rw, "self/../outside/to-secret"));
	show("unlink ..", __wasi_path_unlink_file(rw, ".."));
	show("rmdir ../outside/dir", __wasi_path_remove_directory(rw, "../outside/dir"));
	show("rmdir ..", __wasi_path_remove_directory(rw, ".."));
	show("rmdir sub/../..", __wasi_path_remove_directory(rw, "sub/../.."));
	show("stat ../outside/secret.txt", stat_at(rw, 0, "../outside/secret.txt"));
	show("stat ..", stat_at(rw, 0, ".."));
	show("set times of ../outside/secret.txt", touch_at(rw, 0, "../outside/secret.txt"));
	show("set times of ..", touch_at(rw, 0, ".."));
	show("readlink ../outside/to-secret", readlink_at(rw, "../outside/to-secret"));

	puts("-- through a directory opened beneath the grant");
	show("open sub as a directory",
	     open_at(rw, 0, "sub", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, 0, &sub));
	show("open ../sentinel.txt beneath sub", try_read(sub, 0, "../sentinel.txt"));
	show("open ../../outside/secret.txt beneath sub",
	     try_read(sub, 0, "../../outside/secret.txt"));
	show("mkdir ../made_dir beneath sub", __wasi_path_create_directory(sub, "../made_dir"));
	show("unlink ../sentinel.txt beneath sub", __wasi_path_unlink_file(sub, "../sentinel.txt"));
	return 0;
}
