/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A read-only grant reads as any directory through libc: argv[1] is the
 * granted directory; the test created host.txt and sub/ in it. What a write
 * there gets is the hostile tier's (tests/hostile/ro_grant_writes.c).
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wt.h"

int main(int argc, char **argv)
{
	struct dirent *e;
	struct stat st;
	char buf[64];
	ssize_t n;
	DIR *d;
	int fd, entries = 0;

	if (argc < 2 || chdir(argv[1]) < 0) {
		printf("chdir: %s\n", errname(errno));
		return 1;
	}
	fd = TRY(open("host.txt", O_RDONLY));
	memset(buf, 0, sizeof(buf));
	n = read(fd, buf, sizeof(buf) - 1);
	printf("read %zd bytes: [%s]\n", n, buf);
	TRY(close(fd));
	TRY(stat("sub", &st));
	printf("sub is a directory: %s\n", yesno(S_ISDIR(st.st_mode)));
	d = opendir(".");
	printf("opendir(.): %s\n", d ? "ok" : errname(errno));
	while (d && (e = readdir(d)))
		entries += !strcmp(e->d_name, "host.txt") || !strcmp(e->d_name, "sub");
	printf("host.txt and sub listed: %s\n", yesno(entries == 2));
	if (d)
		closedir(d);
	return 0;
}
