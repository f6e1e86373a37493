/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * File operations inside one directory, argv[1] (a granted directory under
 * the runtime, a plain directory natively). The test created host.txt there
 * ("from host\n"); this program leaves guest.txt, b.txt, hard and link behind
 * for the test to check on the host side.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wt.h"

static void show_file(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		printf("open(%s): %s\n", path, errname(errno));
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		printf("read(%s): %s\n", path, errname(errno));
	} else {
		buf[n] = 0;
		printf("%s holds %zd bytes: [%s]\n", path, n, buf);
	}
	close(fd);
}

static const char *kind(mode_t m)
{
	if (S_ISREG(m))
		return "file";
	if (S_ISDIR(m))
		return "dir";
	if (S_ISLNK(m))
		return "symlink";
	return "other";
}

static void show_stat(const char *path, int follow)
{
	struct stat st;
	int r = follow ? stat(path, &st) : lstat(path, &st);

	if (r < 0) {
		printf("%s(%s): %s\n", follow ? "stat" : "lstat", path, errname(errno));
		return;
	}
	printf("%s(%s): %s", follow ? "stat" : "lstat", path, kind(st.st_mode));
	if (S_ISREG(st.st_mode))
		printf(", size %lld, nlink %llu", (long long)st.st_size,
		       (unsigned long long)st.st_nlink);
	printf("\n");
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path)
{
	char *names[64];
	struct dirent *de;
	size_t n = 0;
	DIR *d = opendir(path);

	if (!d) {
		printf("opendir(%s): %s\n", path, errname(errno));
		return;
	}
	while ((de = readdir(d)) && n < 64) {
		char line[300];
		const char *t = de->d_type == DT_REG   ? "file"
				: de->d_type == DT_DIR ? "dir"
				: de->d_type == DT_LNK ? "symlink"
						       : "other";

		/* "." and ".." are host-dependent in WASI; leave them out */
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(line, sizeof(line), "%s (%s)", de->d_name, t);
		names[n++] = strdup(line);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	printf("listing of %s: %zu entries\n", path, n);
	for (size_t i = 0; i < n; i++) {
		printf("  %s\n", names[i]);
		free(names[i]);
	}
}

int main(int argc, char **argv)
{
	char buf[64], lnk[64];
	struct stat st;
	ssize_t n;
	int fd;

	if (argc < 2 || chdir(argv[1]) < 0) {
		printf("chdir: %s\n", errname(errno));
		return 1;
	}
	show_file("host.txt");

	/* create, write, read back */
	fd = TRY(open("a.txt", O_RDWR | O_CREAT | O_EXCL, 0644));
	if (fd < 0)
		return 1;
	TRY(write(fd, "hello world\n", 12));
	TRY(open("a.txt", O_RDWR | O_CREAT | O_EXCL, 0644));
	printf("lseek(fd, 0, SEEK_CUR)=%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
	TRY(pwrite(fd, "WASI!", 5, 6));
	printf("after pwrite, lseek(fd, 0, SEEK_CUR)=%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
	memset(buf, 0, sizeof(buf));
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	printf("pread(0)=%zd [%s]\n", n, buf);
	printf("lseek(fd, 0, SEEK_END)=%lld\n", (long long)lseek(fd, 0, SEEK_END));
	printf("lseek(fd, 6, SEEK_SET)=%lld\n", (long long)lseek(fd, 6, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	n = read(fd, buf, 5);
	printf("read 5 at 6: %zd [%s]\n", n, buf);
	printf("lseek(fd, -3, SEEK_CUR)=%lld\n", (long long)lseek(fd, -3, SEEK_CUR));
	TRY(lseek(fd, -100, SEEK_SET));

	/* sizes */
	TRY(fstat(fd, &st));
	printf("fstat size %lld\n", (long long)st.st_size);
	TRY(ftruncate(fd, 5));
	TRY(fstat(fd, &st));
	printf("after ftruncate(5): size %lld\n", (long long)st.st_size);
	TRY(ftruncate(fd, 4096));
	show_stat("a.txt", 1);
	TRY(ftruncate(fd, 5));
	TRY(close(fd));
	show_file("a.txt");

	/* append */
	fd = TRY(open("a.txt", O_WRONLY | O_APPEND));
	TRY(write(fd, " appended", 9));
	TRY(close(fd));
	show_file("a.txt");

	/* rename */
	TRY(rename("a.txt", "b.txt"));
	show_stat("a.txt", 1);
	show_file("b.txt");

	/* directories */
	TRY(mkdir("d", 0755));
	TRY(mkdir("d", 0755));
	fd = TRY(open("d/inner.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644));
	TRY(write(fd, "inner", 5));
	TRY(close(fd));
	show_stat("d", 1);
	TRY(rmdir("d"));
	TRY(unlink("d"));
	list_dir("d");
	TRY(unlink("d/inner.txt"));
	TRY(rmdir("d"));
	show_stat("d", 1);

	/* symlink and hard link */
	TRY(symlink("b.txt", "link"));
	memset(lnk, 0, sizeof(lnk));
	n = readlink("link", lnk, sizeof(lnk) - 1);
	printf("readlink(link)=%zd [%s]\n", n, n >= 0 ? lnk : "");
	show_stat("link", 0);
	show_stat("link", 1);
	show_file("link");
	TRY(readlink("b.txt", lnk, sizeof(lnk)));
	TRY(link("b.txt", "hard"));
	show_stat("hard", 1);
	show_stat("b.txt", 1);

	/* remove a file */
	fd = TRY(open("gone.txt", O_WRONLY | O_CREAT, 0644));
	TRY(close(fd));
	TRY(unlink("gone.txt"));
	show_stat("gone.txt", 1);
	TRY(unlink("gone.txt"));

	/* a file for the host to check */
	fd = TRY(open("guest.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644));
	TRY(write(fd, "written by guest\n", 17));
	TRY(close(fd));

	list_dir(".");
	return 0;
}
