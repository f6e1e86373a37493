// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: hard links (path_link). Between a read-only and a writable grant
 * on one file system, either way, and within the read-only one: a link out
 * of the read-only tree would make its file writable under the new name, so
 * each fails with EROFS, also through a directory opened beneath the
 * read-only grant and renumbered. A source outside the grants (by "..", an
 * absolute path, a symlink followed, a directory symlink) or a target outside
 * fails with ENOTCAPABLE. Linking a symlink that points out without
 * following it makes a second symlink, which cannot be followed either.
 * Nothing outside gains a link (the tier checks link counts). argv[1] is the
 * host path of the fixture.
 * grant: rw::/rw
 * grant: ro::/ro:ro
 * fixture: ln -s ../outside/secret.txt rw/rel_out && ln -s ../outside rw/dir_out
 * args: @FIXTURE@
 * absent: rw/hl
 * exit: 0
 * stdout: -- between the read-only and the writable grant
 * stdout: link ro sentinel.txt to rw hl: EROFS
 * stdout: link ro sentinel.txt to rw hl, following: EROFS
 * stdout: link ro sub/inner.txt to rw hl: EROFS
 * stdout: link rw sentinel.txt to ro hl: EROFS
 * stdout: link ro sentinel.txt to ro hl: EROFS
 * stdout: open ro sub as a directory: ok
 * stdout: link inner.txt beneath ro sub to rw hl: EROFS
 * stdout: open rw sub as a directory: ok
 * stdout: renumber ro sub over rw sub: ok
 * stdout: link inner.txt beneath the renumbered ro sub to rw hl: EROFS
 * stdout: -- sources outside the grants
 * stdout: link ../outside/secret.txt to hl: ENOTCAPABLE
 * stdout: link sub/../../outside/linked.txt to hl: ENOTCAPABLE
 * stdout: link HOST/outside/secret.txt to hl: ENOTCAPABLE
 * stdout: link rel_out to hl, following: ENOTCAPABLE
 * stdout: link dir_out/secret.txt to hl: ENOTCAPABLE
 * stdout: link ../outside/dir to hl: ENOTCAPABLE
 * stdout: -- targets outside the grants
 * stdout: link sentinel.txt to ../hl: ENOTCAPABLE
 * stdout: link sentinel.txt to HOST/hl: ENOTCAPABLE
 * stdout: link sentinel.txt to dir_out/hl: ENOTCAPABLE
 * stdout: -- a symlink out, linked as it is
 * stdout: link rel_out to hl_sym: ok
 * stdout: open hl_sym: ENOTCAPABLE
 * stdout: open for writing hl_sym: ENOTCAPABLE
 * stdout: -- nothing else was linked
 * stdout: stat rw hl: ENOENT
 * stdout: stat ro hl: ENOENT
 */
#include "fs.h"

static char host[4096];

static const char *h(const char *rest)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", host, rest);
	return buf;
}

int main(int argc, char **argv)
{
	__wasi_fd_t rw = preopen("/rw"), ro = preopen("/ro"), rosub, rwsub;

	if (argc < 2 || argv[1][0] != '/') {
		puts("usage: path_hardlinks HOST-FIXTURE-PATH");
		return 2;
	}
	snprintf(host, sizeof(host), "%s", argv[1]);

	puts("-- between the read-only and the writable grant");
	show("link ro sentinel.txt to rw hl", __wasi_path_link(ro, 0, "sentinel.txt", rw, "hl"));
	show("link ro sentinel.txt to rw hl, following",
	     __wasi_path_link(ro, FOLLOW, "sentinel.txt", rw, "hl"));
	show("link ro sub/inner.txt to rw hl", __wasi_path_link(ro, 0, "sub/inner.txt", rw, "hl"));
	show("link rw sentinel.txt to ro hl", __wasi_path_link(rw, 0, "sentinel.txt", ro, "hl"));
	show("link ro sentinel.txt to ro hl", __wasi_path_link(ro, 0, "sentinel.txt", ro, "hl"));
	show("open ro sub as a directory",
	     open_at(ro, 0, "sub", __WASI_OFLAGS_DIRECTORY,
		     READ_RIGHTS | R(PATH_OPEN) | R(PATH_LINK_SOURCE) | R(PATH_LINK_TARGET), 0,
		     &rosub));
	show("link inner.txt beneath ro sub to rw hl",
	     __wasi_path_link(rosub, 0, "inner.txt", rw, "hl"));
	show("open rw sub as a directory",
	     open_at(rw, 0, "sub", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, 0, &rwsub));
	show("renumber ro sub over rw sub", __wasi_fd_renumber(rosub, rwsub));
	show("link inner.txt beneath the renumbered ro sub to rw hl",
	     __wasi_path_link(rwsub, 0, "inner.txt", rw, "hl"));

	puts("-- sources outside the grants");
	show("link ../outside/secret.txt to hl",
	     __wasi_path_link(rw, 0, "../outside/secret.txt", rw, "hl"));
	show("link sub/../../outside/linked.txt to hl",
	     __wasi_path_link(rw, 0, "sub/../../outside/linked.txt", rw, "hl"));
	show("link HOST/outside/secret.txt to hl",
	     __wasi_path_link(rw, 0, h("outside/secret.txt"), rw, "hl"));
	show("link rel_out to hl, following", __wasi_path_link(rw, FOLLOW, "rel_out", rw, "hl"));
	show("link dir_out/secret.txt to hl",
	     __wasi_path_link(rw, 0, "dir_out/secret.txt", rw, "hl"));
	show("link ../outside/dir to hl", __wasi_path_link(rw, 0, "../outside/dir", rw, "hl"));

	puts("-- targets outside the grants");
	show("link sentinel.txt to ../hl", __wasi_path_link(rw, 0, "sentinel.txt", rw, "../hl"));
	show("link sentinel.txt to HOST/hl", __wasi_path_link(rw, 0, "sentinel.txt", rw, h("hl")));
	show("link sentinel.txt to dir_out/hl",
	     __wasi_path_link(rw, 0, "sentinel.txt", rw, "dir_out/hl"));

	puts("-- a symlink out, linked as it is");
	show("link rel_out to hl_sym", __wasi_path_link(rw, 0, "rel_out", rw, "hl_sym"));
	show("open hl_sym", try_read(rw, FOLLOW, "hl_sym"));
	show("open for writing hl_sym", try_clobber(rw, FOLLOW, "hl_sym"));

	puts("-- nothing else was linked");
	show("stat rw hl", stat_at(rw, 0, "hl"));
	show("stat ro hl", stat_at(ro, 0, "hl"));
	return 0;
}
