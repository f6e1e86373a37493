/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every way out of a granted directory fails. argv[1] is the guest name of
 * the grant (e.g. /sandbox). The test laid out, on the host:
 *   TOP/x                 a file just outside the grant
 *   TOP/root/             the granted directory, holding
 *     inside.txt, sub/, out -> /etc, up -> ../x, abs -> TOP/x
 * so that each escape below would succeed if the sandbox let it. argv[2] is
 * the host's absolute path of TOP/x. Wasm only.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "wt.h"

/*
 * A path under no grant never reaches the host: wasi-libc finds no preopen for
 * it and fails the call itself, with ENOTCAPABLE (releases before 2023) or
 * ENOENT (later ones, as in Debian 13). Either is a refusal.
 */
static void try_open_ungranted(const char *path, const char *shown)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		printf("open(%s): ok\n", shown);
		close(fd);
	} else {
		printf("open(%s): %s\n", shown,
		       errno == ENOTCAPABLE || errno == ENOENT ? "refused" : errname(errno));
	}
}

static void try_open(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		printf("open(%s): ok\n", path);
		close(fd);
	} else {
		printf("open(%s): %s\n", path, errname(errno));
	}
}

static void try_stat(const char *path)
{
	struct stat st;

	report(path, stat(path, &st));
}

/* path_open straight on the preopen fd, bypassing wasi-libc's path logic */
static void raw_open(int dirfd, const char *path, __wasi_lookupflags_t lf)
{
	__wasi_fd_t fd;
	__wasi_errno_t e = __wasi_path_open(dirfd, lf, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);

	if (e == 0) {
		printf("path_open(%d, %s%s): ok\n", dirfd, path, lf ? ", follow" : "");
		(void)__wasi_fd_close(fd);
	} else {
		printf("path_open(%d, %s%s): %s\n", dirfd, path, lf ? ", follow" : "", errname(e));
	}
}

static int find_preopen(const char *name)
{
	for (int fd = 3; fd < 64; fd++) {
		__wasi_prestat_t ps;
		char buf[256];

		if (__wasi_fd_prestat_get(fd, &ps) != 0)
			break;
		if (ps.u.dir.pr_name_len >= sizeof(buf) ||
		    __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len) != 0)
			continue;
		buf[ps.u.dir.pr_name_len] = 0;
		if (!strcmp(buf, name))
			return fd;
	}
	return -1;
}

int main(int argc, char **argv)
{
	char buf[64];
	ssize_t n;
	int pre;

	if (argc < 2 || chdir(argv[1]) < 0) {
		printf("chdir: %s\n", errname(errno));
		return 1;
	}
	pre = find_preopen(argv[1]);
	printf("preopen for %s found: %s\n", argv[1], yesno(pre >= 3));

	printf("-- inside the grant\n");
	try_open("inside.txt");
	try_open("sub/../inside.txt");
	try_open("./sub/./../inside.txt");
	memset(buf, 0, sizeof(buf));
	n = readlink("out", buf, sizeof(buf) - 1);
	printf("readlink(out)=%zd [%s]\n", n, n > 0 ? buf : "");

	printf("-- escapes\n");
	try_open("../x");
	try_open("sub/../../x");
	try_open("out/passwd");
	try_open("up");
	try_open("abs");
	try_stat("../x");
	try_stat("out/passwd");
	try_stat("up");
	TRY(mkdir("../made_by_guest", 0755));
	TRY(open("../created_by_guest", O_WRONLY | O_CREAT, 0644));
	TRY(open("out/created_by_guest", O_WRONLY | O_CREAT, 0644));
	TRY(rename("inside.txt", "../stolen"));
	TRY(link("../x", "hardlink_to_x"));
	TRY(symlink("/etc/passwd", "mylink"));
	try_open("mylink");
	TRY(chdir(".."));
	TRY(chdir("out"));

	printf("-- the host call itself, on the preopen fd\n");
	raw_open(pre, "inside.txt", 0);
	raw_open(pre, "/etc/passwd", 0);
	raw_open(pre, "/etc/passwd", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
	raw_open(pre, "..", 0);
	raw_open(pre, "../x", 0);
	raw_open(pre, "sub/../../x", 0);
	raw_open(pre, "out/passwd", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
	raw_open(pre, "up", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
	raw_open(pre, "abs", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);

	printf("-- no grant\n");
	try_open_ungranted("/tmp", "/tmp");
	try_open_ungranted("/etc/passwd", "/etc/passwd");
	try_open_ungranted("/", "/");
	if (argc > 2)
		try_open_ungranted(argv[2], "host path of x");
	raw_open(pre + 20, "x", 0);
	return 0;
}
