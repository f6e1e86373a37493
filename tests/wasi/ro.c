/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A read-only grant: reads work, every write and create fails. argv[1] is
 * the granted directory; the test created host.txt and sub/ in it.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wt.h"

int main(int argc, char **argv)
{
	char buf[64];
	ssize_t n;
	DIR *d;
	int fd;

	if (argc < 2 || chdir(argv[1]) < 0) {
		printf("chdir: %s\n", errname(errno));
		return 1;
	}
	/* reads work */
	fd = TRY(open("host.txt", O_RDONLY));
	memset(buf, 0, sizeof(buf));
	n = read(fd, buf, sizeof(buf) - 1);
	printf("read %zd bytes: [%s]\n", n, buf);
	TRY(write(fd, "x", 1));
	TRY(ftruncate(fd, 0));
	TRY(close(fd));
	d = opendir(".");
	printf("opendir(.): %s\n", d ? "ok" : errname(errno));
	if (d)
		closedir(d);

	/* writes and creates fail */
	TRY(open("new.txt", O_WRONLY | O_CREAT, 0644));
	TRY(open("new.txt", O_RDWR | O_CREAT | O_EXCL, 0644));
	TRY(open("host.txt", O_WRONLY | O_TRUNC));
	fd = TRY(open("host.txt", O_WRONLY));
	if (fd >= 0) {
		TRY(write(fd, "clobbered", 9));
		close(fd);
	}
	fd = TRY(open("host.txt", O_RDWR));
	if (fd >= 0) {
		TRY(write(fd, "clobbered", 9));
		close(fd);
	}
	fd = TRY(open("host.txt", O_WRONLY | O_APPEND));
	if (fd >= 0) {
		TRY(write(fd, "clobbered", 9));
		close(fd);
	}
	TRY(mkdir("newdir", 0755));
	TRY(rmdir("sub"));
	TRY(unlink("host.txt"));
	TRY(rename("host.txt", "moved.txt"));
	TRY(symlink("host.txt", "sl"));
	TRY(link("host.txt", "hl"));

	/* and nothing changed */
	fd = TRY(open("host.txt", O_RDONLY));
	memset(buf, 0, sizeof(buf));
	n = read(fd, buf, sizeof(buf) - 1);
	printf("read %zd bytes: [%s]\n", n, buf);
	close(fd);
	return 0;
}
