/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every guest range a WASI call takes is checked, without overflow, before
 * anything happens: EFAULT, and nothing written, created or consumed. The
 * calls are the raw imports, with every pointer a plain i32, so that any
 * offset can be passed. argv[1] is the guest name of a granted, empty,
 * writable directory; the runner checks on the host that created_by_guest,
 * which a path_open with its fd out-pointer outside memory must not create,
 * does not exist. Wasm only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wt.h"

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

IMPORT("args_get") int raw_args_get(uint32_t argv, uint32_t buf);
IMPORT("args_sizes_get") int raw_args_sizes_get(uint32_t argc, uint32_t size);
IMPORT("environ_get") int raw_environ_get(uint32_t env, uint32_t buf);
IMPORT("clock_time_get") int raw_clock_time_get(uint32_t id, uint64_t precision, uint32_t out);
IMPORT("random_get") int raw_random_get(uint32_t buf, uint32_t len);
IMPORT("fd_write") int raw_fd_write(uint32_t fd, uint32_t iovs, uint32_t n, uint32_t out);
IMPORT("fd_pread")
int raw_fd_pread(uint32_t fd, uint32_t iovs, uint32_t n, uint64_t offset, uint32_t out);
IMPORT("fd_readdir")
int raw_fd_readdir(uint32_t fd, uint32_t buf, uint32_t len, uint64_t cookie, uint32_t out);
IMPORT("fd_prestat_dir_name") int raw_fd_prestat_dir_name(uint32_t fd, uint32_t buf, uint32_t len);
IMPORT("path_open")
int raw_path_open(uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t path_len, uint32_t oflags,
		  uint64_t base, uint64_t inheriting, uint32_t fdflags, uint32_t out);
IMPORT("path_filestat_get")
int raw_path_filestat_get(uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
			  uint32_t out);
IMPORT("path_create_directory")
int raw_path_create_directory(uint32_t fd, uint32_t path, uint32_t path_len);
IMPORT("path_readlink")
int raw_path_readlink(uint32_t fd, uint32_t path, uint32_t path_len, uint32_t buf, uint32_t len,
		      uint32_t out);
IMPORT("poll_oneoff") int raw_poll_oneoff(uint32_t in, uint32_t out, uint32_t n, uint32_t nev);

#define P(x) ((uint32_t)(uintptr_t)(x))
#define W_O_CREAT 1
#define W_R_FD_READ (1ULL << 1)
#define W_R_FD_SEEK (1ULL << 2)
#define W_R_FD_WRITE (1ULL << 6)

static uint32_t mem_size(void)
{
	return (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
}

/* n bytes filled with `fill` that end exactly at the end of linear memory,
 * on a freshly grown page that nothing else uses. */
static uint8_t *tail(uint32_t n, uint8_t fill)
{
	uint8_t *p;

	if (__builtin_wasm_memory_grow(0, 1) == (size_t)-1) {
		printf("memory.grow failed\n");
		exit(1);
	}
	p = (uint8_t *)(uintptr_t)(mem_size() - n);
	memset(p, fill, n);
	return p;
}

static int untouched(const uint8_t *p, uint32_t n, uint8_t fill)
{
	while (n--)
		if (p[n] != fill)
			return 0;
	return 1;
}

/* "WHAT: ENAME" (or ok), and for an out-range: whether it was left alone */
static void show(const char *what, int e)
{
	printf("%s: %s\n", what, e ? errname(e) : "ok");
}

static void show_untouched(const char *what, int e, const uint8_t *p, uint32_t n, uint8_t fill)
{
	printf("%s: %s, %s\n", what, e ? errname(e) : "ok",
	       untouched(p, n, fill) ? "nothing written" : "WRITTEN");
}

static int find_preopen(const char *name)
{
	for (int fd = 3; fd < 64; fd++) {
		char buf[256];
		uint8_t ps[8];
		uint32_t len;

		if (__wasi_fd_prestat_get(fd, (__wasi_prestat_t *)ps) != 0)
			break;
		memcpy(&len, ps + 4, 4);
		if (len >= sizeof(buf) || raw_fd_prestat_dir_name(fd, P(buf), len) != 0)
			continue;
		buf[len] = 0;
		if (!strcmp(buf, name))
			return fd;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static const char marker[] = "this line must not be written\n";
	static const char created[] = "created_by_guest", data[] = "data";
	uint32_t iov[2], size, fd, *s32;
	uint8_t *t, buf[64];
	int dir, e;

	if (argc < 2 || (dir = find_preopen(argv[1])) < 0) {
		printf("no preopen %s\n", argc > 1 ? argv[1] : "(none)");
		return 1;
	}
	memset(buf, 0, sizeof(buf));

	/* args, environ, clock, random */
	t = tail(4, 0xaa);
	show_untouched("args_sizes_get, size past the end", raw_args_sizes_get(P(&size), P(t) + 1),
		       t, 4, 0xaa);
	show("args_get, pointers past the end", raw_args_get(mem_size() - 4, P(buf)));
	t = tail(8, 0xaa);
	show_untouched("args_get, strings past the end", raw_args_get(P(buf), P(t) + 4), t, 8,
		       0xaa);
	show("environ_get, pointers at 0xffffffff", raw_environ_get(0xffffffff, P(buf)));
	t = tail(8, 0xaa);
	show_untouched("clock_time_get, out past the end", raw_clock_time_get(1, 0, P(t) + 1), t, 8,
		       0xaa);
	t = tail(16, 0xaa);
	show_untouched("random_get, 17 bytes in 16", raw_random_get(P(t), 17), t, 16, 0xaa);
	show("random_get, length 0xffffffff", raw_random_get(P(buf), 0xffffffff));

	/* fd_write: the iovec array, each buffer, the count out-pointer */
	/*
	 * 0x20000000 * 8 and 0x20000001 * 8 wrap to 0 and 8 in 32 bits. The
	 * array starts a fresh page whose other entries are zero, i.e. valid
	 * empty buffers: a host that checked only the wrapped size would walk
	 * them all and then read past the end of memory.
	 */
	s32 = (uint32_t *)tail(65536, 0);
	s32[0] = P(marker);
	s32[1] = sizeof(marker) - 1;
	show("fd_write, 0x20000000 iovecs", raw_fd_write(1, P(s32), 0x20000000, P(&size)));
	show("fd_write, 0x20000001 iovecs", raw_fd_write(1, P(s32), 0x20000001, P(&size)));
	iov[0] = P(marker);
	iov[1] = sizeof(marker) - 1;
	s32 = (uint32_t *)tail(8, 0);
	s32[0] = P(marker);
	s32[1] = sizeof(marker) - 1;
	show("fd_write, 2 iovecs, the second past the end", raw_fd_write(1, P(s32), 2, P(&size)));
	t = tail(7, 0);
	show("fd_write, iovec array one byte short", raw_fd_write(1, P(t), 1, P(&size)));
	t = tail(4, 0xaa);
	iov[0] = P(t) + 1;
	iov[1] = 4;
	show("fd_write, buffer past the end", raw_fd_write(1, P(iov), 1, P(&size)));
	iov[0] = P(marker);
	iov[1] = 0xffffffff;
	show("fd_write, buffer length 0xffffffff", raw_fd_write(1, P(iov), 1, P(&size)));
	iov[1] = sizeof(marker) - 1;
	t = tail(4, 0xaa);
	show_untouched("fd_write, count past the end", raw_fd_write(1, P(iov), 1, P(t) + 1), t, 4,
		       0xaa);
	e = raw_path_open(dir, 0, P(data), sizeof(data) - 1, W_O_CREAT,
			  W_R_FD_READ | W_R_FD_WRITE | W_R_FD_SEEK, 0, 0, P(&fd));
	show("path_open data", e);
	if (!e) {
		s32 = (uint32_t *)tail(65536, 0);
		s32[0] = P(buf);
		s32[1] = sizeof(buf);
		show("fd_pread, 0x20000001 iovecs",
		     raw_fd_pread(fd, P(s32), 0x20000001, 0, P(&size)));
		t = tail(4, 0xaa);
		show_untouched("fd_pread, count past the end",
			       raw_fd_pread(fd, P(s32), 1, 0, P(t) + 1), t, 4, 0xaa);
		(void)__wasi_fd_close(fd);
	}

	/* fd_readdir: the buffer and the used-bytes out-pointer */
	t = tail(24, 0xaa);
	show_untouched("fd_readdir, buffer past the end",
		       raw_fd_readdir(dir, P(t), 25, 0, P(&size)), t, 24, 0xaa);
	show("fd_readdir, length 0xffffffff", raw_fd_readdir(dir, P(buf), 0xffffffff, 0, P(&size)));
	t = tail(4, 0xaa);
	show_untouched("fd_readdir, used past the end",
		       raw_fd_readdir(dir, P(buf), sizeof(buf), 0, P(t) + 2), t, 4, 0xaa);

	/* prestat name */
	t = tail(4, 0xaa);
	show_untouched("fd_prestat_dir_name, buffer past the end",
		       raw_fd_prestat_dir_name(dir, P(t), 5), t, 4, 0xaa);

	/* paths: the path range, and out-pointers checked before the change */
	show("path_open, path past the end",
	     raw_path_open(dir, 0, mem_size() - 3, 4, W_O_CREAT, W_R_FD_WRITE, 0, 0, P(&size)));
	show("path_open, path length 0xffffffff",
	     raw_path_open(dir, 0, P(created), 0xffffffff, W_O_CREAT, W_R_FD_WRITE, 0, 0,
			   P(&size)));
	t = tail(4, 0xaa);
	show_untouched("path_open O_CREAT, fd out past the end",
		       raw_path_open(dir, 0, P(created), sizeof(created) - 1, W_O_CREAT,
				     W_R_FD_READ | W_R_FD_WRITE, 0, 0, P(t) + 1),
		       t, 4, 0xaa);
	e = raw_path_filestat_get(dir, 0, P(created), sizeof(created) - 1, P(buf));
	show("... and the file was not created", e);
	t = tail(64, 0xaa);
	show_untouched("path_filestat_get, out past the end",
		       raw_path_filestat_get(dir, 0, P("."), 1, P(t) + 1), t, 64, 0xaa);
	show("path_create_directory, path past the end",
	     raw_path_create_directory(dir, mem_size() - 4, sizeof(created) - 1));
	t = tail(4, 0xaa);
	show_untouched("path_readlink, buffer past the end",
		       raw_path_readlink(dir, P("."), 1, P(t), 5, P(&size)), t, 4, 0xaa);

	/* poll_oneoff: 0x05555556 subscriptions * 48 bytes wraps to 0x20 in 32 bits */
	show("poll_oneoff, 0x05555556 subscriptions",
	     raw_poll_oneoff(P(buf), P(buf), 0x05555556, P(&size)));
	t = tail(4, 0xaa);
	show_untouched("poll_oneoff, nevents past the end",
		       raw_poll_oneoff(P(buf), P(buf), 1, P(t) + 1), t, 4, 0xaa);
	printf("end\n");
	return 0;
}
