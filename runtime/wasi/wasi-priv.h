/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Private to runtime/wasi: the WASI preview1 constants and layouts we use, the
 * state behind struct wbpf_wasi and the helpers the handler files share.
 *
 * Values are those of the wasi_snapshot_preview1 witx (the same as
 * wasi-libc's <wasi/api.h>); guest structures are read and written byte by
 * byte in little-endian order at the offsets of wasi-layout.h, never through
 * host structs.
 */
#ifndef WBPF_WASI_PRIV_H
#define WBPF_WASI_PRIV_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

#include <wbpf/guest.h>
#include <wbpf/wasi.h>

#include "wasi-layout.h"
#include "wbpf-handlers.h"

/* errno (the ones the handlers return by name) */
#define W_ESUCCESS 0
#define W_EAGAIN 6
#define W_EBADF 8
#define W_EEXIST 20
#define W_EFAULT 21
#define W_EINTR 27
#define W_EINVAL 28
#define W_EIO 29
#define W_EISDIR 31
#define W_ENAMETOOLONG 37
#define W_ENOENT 44
#define W_ENOMEM 48
#define W_ENOSYS 52
#define W_ENOTDIR 54
#define W_ENOTSOCK 57
#define W_ENOTSUP 58
#define W_EOVERFLOW 61
#define W_EPERM 63
#define W_EROFS 69
#define W_ESPIPE 70
#define W_ENOTCAPABLE 76

/* filetype */
#define W_FT_UNKNOWN 0
#define W_FT_BLOCK_DEVICE 1
#define W_FT_CHARACTER_DEVICE 2
#define W_FT_DIRECTORY 3
#define W_FT_REGULAR_FILE 4
#define W_FT_SOCKET_DGRAM 5
#define W_FT_SOCKET_STREAM 6
#define W_FT_SYMBOLIC_LINK 7

/* rights */
#define W_R_FD_DATASYNC (1ULL << 0)
#define W_R_FD_READ (1ULL << 1)
#define W_R_FD_SEEK (1ULL << 2)
#define W_R_FD_FDSTAT_SET_FLAGS (1ULL << 3)
#define W_R_FD_SYNC (1ULL << 4)
#define W_R_FD_TELL (1ULL << 5)
#define W_R_FD_WRITE (1ULL << 6)
#define W_R_FD_ADVISE (1ULL << 7)
#define W_R_FD_ALLOCATE (1ULL << 8)
#define W_R_PATH_CREATE_DIRECTORY (1ULL << 9)
#define W_R_PATH_CREATE_FILE (1ULL << 10)
#define W_R_PATH_LINK_SOURCE (1ULL << 11)
#define W_R_PATH_LINK_TARGET (1ULL << 12)
#define W_R_PATH_OPEN (1ULL << 13)
#define W_R_FD_READDIR (1ULL << 14)
#define W_R_PATH_READLINK (1ULL << 15)
#define W_R_PATH_RENAME_SOURCE (1ULL << 16)
#define W_R_PATH_RENAME_TARGET (1ULL << 17)
#define W_R_PATH_FILESTAT_GET (1ULL << 18)
#define W_R_PATH_FILESTAT_SET_SIZE (1ULL << 19)
#define W_R_PATH_FILESTAT_SET_TIMES (1ULL << 20)
#define W_R_FD_FILESTAT_GET (1ULL << 21)
#define W_R_FD_FILESTAT_SET_SIZE (1ULL << 22)
#define W_R_FD_FILESTAT_SET_TIMES (1ULL << 23)
#define W_R_PATH_SYMLINK (1ULL << 24)
#define W_R_PATH_REMOVE_DIRECTORY (1ULL << 25)
#define W_R_PATH_UNLINK_FILE (1ULL << 26)
#define W_R_POLL_FD_READWRITE (1ULL << 27)
#define W_R_SOCK_SHUTDOWN (1ULL << 28)
#define W_R_SOCK_ACCEPT (1ULL << 29)
#define W_R_ALL ((1ULL << 30) - 1)

/* What each kind of descriptor can ever do (as uvwasi and wasmtime report). */
#define W_R_REGULAR_BASE                                                                           \
	(W_R_FD_DATASYNC | W_R_FD_READ | W_R_FD_SEEK | W_R_FD_FDSTAT_SET_FLAGS | W_R_FD_SYNC |     \
	 W_R_FD_TELL | W_R_FD_WRITE | W_R_FD_ADVISE | W_R_FD_ALLOCATE | W_R_FD_FILESTAT_GET |      \
	 W_R_FD_FILESTAT_SET_SIZE | W_R_FD_FILESTAT_SET_TIMES | W_R_POLL_FD_READWRITE)
#define W_R_DIRECTORY_BASE                                                                         \
	(W_R_FD_FDSTAT_SET_FLAGS | W_R_FD_SYNC | W_R_FD_ADVISE | W_R_PATH_CREATE_DIRECTORY |       \
	 W_R_PATH_CREATE_FILE | W_R_PATH_LINK_SOURCE | W_R_PATH_LINK_TARGET | W_R_PATH_OPEN |      \
	 W_R_FD_READDIR | W_R_PATH_READLINK | W_R_PATH_RENAME_SOURCE | W_R_PATH_RENAME_TARGET |    \
	 W_R_PATH_FILESTAT_GET | W_R_PATH_FILESTAT_SET_SIZE | W_R_PATH_FILESTAT_SET_TIMES |        \
	 W_R_FD_FILESTAT_GET | W_R_FD_FILESTAT_SET_TIMES | W_R_PATH_SYMLINK |                      \
	 W_R_PATH_REMOVE_DIRECTORY | W_R_PATH_UNLINK_FILE | W_R_POLL_FD_READWRITE)
#define W_R_DIRECTORY_INHERITING (W_R_DIRECTORY_BASE | W_R_REGULAR_BASE)
/* terminals, pipes, sockets: no seek, no tell (wasi-libc's isatty() relies on it) */
#define W_R_STREAM_BASE                                                                            \
	(W_R_FD_READ | W_R_FD_FDSTAT_SET_FLAGS | W_R_FD_WRITE | W_R_FD_FILESTAT_GET |              \
	 W_R_POLL_FD_READWRITE | W_R_FD_SYNC | W_R_FD_DATASYNC)
/* rights that make path_open open for writing */
#define W_R_WRITE_MODE (W_R_FD_DATASYNC | W_R_FD_WRITE | W_R_FD_ALLOCATE | W_R_FD_FILESTAT_SET_SIZE)
#define W_R_READ_MODE (W_R_FD_READ | W_R_FD_READDIR)

/* fdflags */
#define W_FDFLAG_APPEND (1 << 0)
#define W_FDFLAG_DSYNC (1 << 1)
#define W_FDFLAG_NONBLOCK (1 << 2)
#define W_FDFLAG_RSYNC (1 << 3)
#define W_FDFLAG_SYNC (1 << 4)

/* oflags, lookupflags, fstflags */
#define W_O_CREAT (1 << 0)
#define W_O_DIRECTORY (1 << 1)
#define W_O_EXCL (1 << 2)
#define W_O_TRUNC (1 << 3)
#define W_LOOKUP_SYMLINK_FOLLOW (1 << 0)
#define W_FST_ATIM (1 << 0)
#define W_FST_ATIM_NOW (1 << 1)
#define W_FST_MTIM (1 << 2)
#define W_FST_MTIM_NOW (1 << 3)

/* clocks, events */
#define W_CLOCK_REALTIME 0
#define W_CLOCK_MONOTONIC 1
#define W_CLOCK_PROCESS_CPUTIME 2
#define W_CLOCK_THREAD_CPUTIME 3
#define W_EVENT_CLOCK 0
#define W_EVENT_FD_READ 1
#define W_EVENT_FD_WRITE 2
#define W_SUBCLOCK_ABSTIME (1 << 0)
#define W_EVENTRW_HANGUP (1 << 0)

/* One guest descriptor. host < 0: the slot is free. */
struct wasi_fd {
	int host;
	uint8_t type;	     /* W_FT_* */
	bool ro;	     /* opened beneath a read-only grant: no change of any kind */
	bool keep_host;	     /* host stdio: fd_close frees the slot, not the host fd */
	uint64_t rights;     /* base rights */
	uint64_t inheriting; /* rights of what path_open opens beneath it */
	char *preopen;	     /* guest name of a preopened directory, else NULL */
	/*
	 * Host stdio only: the fdflags the guest sees. Its open file
	 * descriptions are shared with the parent, so fd_fdstat_set_flags
	 * never changes them; NONBLOCK and APPEND are emulated from here.
	 */
	uint16_t fdflags;
};

struct wbpf_wasi {
	const char *prog;
	/* argv and environ as NUL-terminated strings, in guest order */
	char **argv;
	size_t argc;
	char **env;
	size_t envc;
	struct wasi_fd *fds;
	uint32_t nfds;
};

/* Little-endian stores and loads on host pointers into guest memory. */
static inline void put_u8(void *p, uint8_t v)
{
	memcpy(p, &v, 1);
}

static inline void put_u16(void *p, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

	memcpy(p, b, 2);
}

static inline void put_u32(void *p, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

	memcpy(p, b, 4);
}

static inline void put_u64(void *p, uint64_t v)
{
	put_u32(p, (uint32_t)v);
	put_u32((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t get_u16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t get_u32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint64_t get_u64(const void *p)
{
	return get_u32(p) | (uint64_t)get_u32((const uint8_t *)p + 4) << 32;
}

/* Nanoseconds of a host time. */
static inline uint64_t ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec;
}

/* The host clock of WASI clock id: 0, or -EINVAL for an unknown id. */
static inline int host_clock(uint64_t id, clockid_t *out)
{
	static const clockid_t map[] = {
		[W_CLOCK_REALTIME] = CLOCK_REALTIME,
		[W_CLOCK_MONOTONIC] = CLOCK_MONOTONIC,
		[W_CLOCK_PROCESS_CPUTIME] = CLOCK_PROCESS_CPUTIME_ID,
		[W_CLOCK_THREAD_CPUTIME] = CLOCK_THREAD_CPUTIME_ID,
	};

	if (id >= sizeof(map) / sizeof(map[0]))
		return -EINVAL;
	*out = map[id];
	return 0;
}

/* The WASI errno of the current host errno. */
static inline uint64_t werr(void)
{
	return wbpf_wasi_errno(errno);
}

/* state.c */

/* The open descriptor fd of g, or NULL. */
struct wasi_fd *wbpf_wasi__fd_get(struct wbpf_guest *g, uint32_t fd);

/*
 * The open descriptor fd, checked to hold every right in `rights`. Returns 0
 * and stores it in *out, or a WASI errno: EBADF when fd is not open,
 * ENOTCAPABLE when a right is missing.
 */
uint16_t wbpf_wasi__fd_check(struct wbpf_guest *g, uint32_t fd, uint64_t rights,
			     struct wasi_fd **out);

/* Take a free guest descriptor for host fd `host` (owned from then on).
 * Returns 0 and stores the number in *fd, or a WASI errno. */
uint16_t wbpf_wasi__fd_add(struct wbpf_guest *g, int host, uint8_t type, uint64_t rights,
			   uint64_t inheriting, bool ro, uint32_t *fd);

/* Close a descriptor's host fd (unless host stdio) and free its slot. */
void wbpf_wasi__fd_release(struct wasi_fd *f);

/* WASI filetype of a host stat mode; for sockets ask the kernel its type. */
uint8_t wbpf_wasi__filetype(int host, mode_t mode);

/* Rights a descriptor of this type and host fd can hold. */
void wbpf_wasi__type_rights(int host, uint8_t type, uint64_t *base, uint64_t *inheriting);

/* Fill a guest filestat (W_FILESTAT_SIZE bytes). */
void wbpf_wasi__put_filestat(void *p, int host, const struct stat *st);

/* fd.c */

/*
 * Check the guest iovec array [iovs, iovs + n * W_IOVEC_SIZE) and every buffer
 * it names, and build host iovecs (at most IOV_MAX; the rest are checked but
 * left for a later call, as a short transfer). *out is *stack if n fits, else
 * malloc'ed.
 */
uint16_t wbpf_wasi__iovs(struct wbpf_guest *g, uint32_t iovs, uint32_t n, struct iovec *stack,
			 size_t stack_n, struct iovec **out, int *cnt);

/*
 * One read from f with fn(f->host, arg) (readv, recvmsg, accept4), as the
 * guest's fdflags ask: with NONBLOCK, WASI EAGAIN at once when nothing is
 * ready; without, wait until something is (also when the host description
 * is non-blocking, which the parent may have chosen), a stop request ending
 * the wait with EINTR. Returns fn's result, or -1 with the WASI errno in
 * *err.
 */
ssize_t wbpf_wasi__read(struct wasi_fd *f, ssize_t (*fn)(int host, void *arg), void *arg,
			uint16_t *err);

/* The WASI fdflags of a host fd's open file description. */
uint16_t wbpf_wasi__host_fdflags(int host, uint16_t *out);

/* Turn WASI (atim, mtim, fstflags) into utimensat() times; EINVAL on bad flags. */
uint16_t wbpf_wasi__times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);

/* poll.c */

/*
 * Wait until host fd is ready for `events` (POLLIN/POLLOUT) unless a stop was
 * requested: 0, or -EINTR when SIGINT/SIGTERM came before or during the wait.
 * A signal that is not a stop request does not end the wait.
 */
int wbpf_wasi__wait_fd(int host, short events);

#endif /* WBPF_WASI_PRIV_H */
