// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: symlinks out of a writable grant. The host left some in it: a
 * relative one and absolute ones pointing out, an absolute one pointing back
 * inside (an absolute target is refused wherever it points), a directory
 * symlink out used as a path component, a chain whose last link leaves the
 * grant, a dangling one out to create a file through. Following any of them
 * fails with ENOTCAPABLE, not following a final one with ELOOP. Then the
 * guest makes its own: an absolute target is refused with EPERM (nothing is
 * created), a relative one out is made but cannot be followed. A chain that
 * stays inside works. path_link through a symlink: path_hardlinks.c. argv[1]
 * is the host path of the fixture.
 * grant: rw::/rw
 * fixture: ln -s ../outside/secret.txt rw/rel_out && ln -s ../outside rw/dir_out
 * fixture: ln -s "$PWD/outside/secret.txt" rw/abs_out && ln -s /etc/passwd rw/etc_out
 * fixture: ln -s "$PWD/rw/sentinel.txt" rw/abs_in
 * fixture: ln -s chain2 rw/chain1 && ln -s sub/chain3 rw/chain2
 * fixture: ln -s ../../outside/secret.txt rw/sub/chain3
 * fixture: ln -s ok2 rw/ok1 && ln -s sentinel.txt rw/ok2
 * fixture: ln -s ../made_by_guest.txt rw/dangling_out
 * fixture: ln -s loop2 rw/loop1 && ln -s loop1 rw/loop2
 * args: @FIXTURE@
 * absent: rw/mk_abs
 * absent: rw/mk_root
 * absent: rw/mk_guest
 * absent: rw/mk_host
 * absent: rw/mk_slashes
 * exit: 0
 * stdout: -- symlinks the host made
 * stdout: open ok1 (ok1 -> ok2 -> sentinel.txt): ok
 * stdout: open rel_out: ENOTCAPABLE
 * stdout: open rel_out, not following: ELOOP
 * stdout: open abs_out: ENOTCAPABLE
 * stdout: open etc_out: ENOTCAPABLE
 * stdout: open abs_in: ENOTCAPABLE
 * stdout: open chain1: ENOTCAPABLE
 * stdout: open loop1: ELOOP
 * stdout: open dir_out/secret.txt: ENOTCAPABLE
 * stdout: open dir_out as a directory: ENOTCAPABLE
 * stdout: open for writing rel_out: ENOTCAPABLE
 * stdout: open for writing abs_out: ENOTCAPABLE
 * stdout: create through dangling_out: ENOTCAPABLE
 * stdout: create through dangling_out, not following: ELOOP
 * stdout: stat rel_out: ENOTCAPABLE
 * stdout: stat rel_out, not following: ok
 * stdout: stat dir_out/secret.txt: ENOTCAPABLE
 * stdout: set times of abs_out: ENOTCAPABLE
 * stdout: set times of chain1: ENOTCAPABLE
 * stdout: readlink rel_out: ../outside/secret.txt
 * stdout: readlink dir_out/to-secret: ENOTCAPABLE
 * stdout: mkdir dir_out/made_dir: ENOTCAPABLE
 * stdout: symlink dir_out/made_link: ENOTCAPABLE
 * stdout: unlink dir_out/secret.txt: ENOTCAPABLE
 * stdout: rmdir dir_out/dir: ENOTCAPABLE
 * stdout: rename sentinel.txt to dir_out/stolen.txt: ENOTCAPABLE
 * stdout: rename dir_out/secret.txt to got.txt: ENOTCAPABLE
 * stdout: -- symlinks the guest makes
 * stdout: symlink mk_abs -> /etc/passwd: EPERM
 * stdout: symlink mk_root -> /: EPERM
 * stdout: symlink mk_guest -> /rw/sentinel.txt: EPERM
 * stdout: symlink mk_host -> HOST/outside/secret.txt: EPERM
 * stdout: symlink mk_slashes -> //rw/sentinel.txt: EPERM
 * stdout: stat mk_abs, not following: ENOENT
 * stdout: symlink mk_rel -> ../outside/secret.txt: ok
 * stdout: open mk_rel: ENOTCAPABLE
 * stdout: open for writing mk_rel: ENOTCAPABLE
 * stdout: symlink mk_chain -> mk_rel: ok
 * stdout: open mk_chain: ENOTCAPABLE
 * stdout: symlink mk_dangling -> ../made_by_guest.txt: ok
 * stdout: create through mk_dangling: ENOTCAPABLE
 * stdout: symlink mk_up -> sub/../..: ok
 * stdout: open mk_up/outside/secret.txt: ENOTCAPABLE
 * stdout: symlink mk_in -> sub/inner.txt: ok
 * stdout: open mk_in: ok
 */
#include "fs.h"

static void show_readlink(const char *what, __wasi_fd_t dir, const char *path)
{
	char buf[256];
	__wasi_size_t n = 0;
	__wasi_errno_t e = __wasi_path_readlink(dir, path, (uint8_t *)buf, sizeof(buf) - 1, &n);

	if (e) {
		show(what, e);
		return;
	}
	buf[n] = '\0';
	printf("%s: %s\n", what, buf);
}

int main(int argc, char **argv)
{
	__wasi_fd_t rw = preopen("/rw");
	char host_target[4096];

	if (argc < 2 || argv[1][0] != '/') {
		puts("usage: path_symlinks HOST-FIXTURE-PATH");
		return 2;
	}
	snprintf(host_target, sizeof(host_target), "%s/outside/secret.txt", argv[1]);

	puts("-- symlinks the host made");
	show("open ok1 (ok1 -> ok2 -> sentinel.txt)", try_read(rw, FOLLOW, "ok1"));
	show("open rel_out", try_read(rw, FOLLOW, "rel_out"));
	show("open rel_out, not following", try_read(rw, 0, "rel_out"));
	show("open abs_out", try_read(rw, FOLLOW, "abs_out"));
	show("open etc_out", try_read(rw, FOLLOW, "etc_out"));
	show("open abs_in", try_read(rw, FOLLOW, "abs_in"));
	show("open chain1", try_read(rw, FOLLOW, "chain1"));
	show("open loop1", try_read(rw, FOLLOW, "loop1"));
	show("open dir_out/secret.txt", try_read(rw, 0, "dir_out/secret.txt"));
	show("open dir_out as a directory",
	     try_open(rw, FOLLOW, "dir_out", __WASI_OFLAGS_DIRECTORY, READ_RIGHTS, 0));
	show("open for writing rel_out", try_clobber(rw, FOLLOW, "rel_out"));
	show("open for writing abs_out", try_clobber(rw, FOLLOW, "abs_out"));
	show("create through dangling_out", try_clobber(rw, FOLLOW, "dangling_out"));
	show("create through dangling_out, not following", try_clobber(rw, 0, "dangling_out"));
	show("stat rel_out", stat_at(rw, FOLLOW, "rel_out"));
	show("stat rel_out, not following", stat_at(rw, 0, "rel_out"));
	show("stat dir_out/secret.txt", stat_at(rw, 0, "dir_out/secret.txt"));
	show("set times of abs_out", touch_at(rw, FOLLOW, "abs_out"));
	show("set times of chain1", touch_at(rw, FOLLOW, "chain1"));
	show_readlink("readlink rel_out", rw, "rel_out");
	show_readlink("readlink dir_out/to-secret", rw, "dir_out/to-secret");
	show("mkdir dir_out/made_dir", __wasi_path_create_directory(rw, "dir_out/made_dir"));
	show("symlink dir_out/made_link",
	     __wasi_path_symlink("sentinel.txt", rw, "dir_out/made_link"));
	show("unlink dir_out/secret.txt", __wasi_path_unlink_file(rw, "dir_out/secret.txt"));
	show("rmdir dir_out/dir", __wasi_path_remove_directory(rw, "dir_out/dir"));
	show("rename sentinel.txt to dir_out/stolen.txt",
	     __wasi_path_rename(rw, "sentinel.txt", rw, "dir_out/stolen.txt"));
	show("rename dir_out/secret.txt to got.txt",
	     __wasi_path_rename(rw, "dir_out/secret.txt", rw, "got.txt"));

	puts("-- symlinks the guest makes");
	show("symlink mk_abs -> /etc/passwd", __wasi_path_symlink("/etc/passwd", rw, "mk_abs"));
	show("symlink mk_root -> /", __wasi_path_symlink("/", rw, "mk_root"));
	show("symlink mk_guest -> /rw/sentinel.txt",
	     __wasi_path_symlink("/rw/sentinel.txt", rw, "mk_guest"));
	show("symlink mk_host -> HOST/outside/secret.txt",
	     __wasi_path_symlink(host_target, rw, "mk_host"));
	show("symlink mk_slashes -> //rw/sentinel.txt",
	     __wasi_path_symlink("//rw/sentinel.txt", rw, "mk_slashes"));
	show("stat mk_abs, not following", stat_at(rw, 0, "mk_abs"));
	show("symlink mk_rel -> ../outside/secret.txt",
	     __wasi_path_symlink("../outside/secret.txt", rw, "mk_rel"));
	show("open mk_rel", try_read(rw, FOLLOW, "mk_rel"));
	show("open for writing mk_rel", try_clobber(rw, FOLLOW, "mk_rel"));
	show("symlink mk_chain -> mk_rel", __wasi_path_symlink("mk_rel", rw, "mk_chain"));
	show("open mk_chain", try_read(rw, FOLLOW, "mk_chain"));
	show("symlink mk_dangling -> ../made_by_guest.txt",
	     __wasi_path_symlink("../made_by_guest.txt", rw, "mk_dangling"));
	show("create through mk_dangling", try_clobber(rw, FOLLOW, "mk_dangling"));
	show("symlink mk_up -> sub/../..", __wasi_path_symlink("sub/../..", rw, "mk_up"));
	show("open mk_up/outside/secret.txt", try_read(rw, 0, "mk_up/outside/secret.txt"));
	show("symlink mk_in -> sub/inner.txt", __wasi_path_symlink("sub/inner.txt", rw, "mk_in"));
	show("open mk_in", try_read(rw, FOLLOW, "mk_in"));
	return 0;
}
