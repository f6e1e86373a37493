// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fd_* functions. Each handler checks the descriptor and its rights, then
 * every guest range (the iovec array, each buffer, each out-pointer) before
 * any host call, so a bad range never leaves a half-done operation behind.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "wasi-priv.h"

#define IOV_STACK 16

uint16_t wbpf_wasi__iovs(struct wbpf_guest *g, uint32_t iovs, uint32_t n, struct iovec *stack,
			 size_t stack_n, struct iovec **out, int *cnt)
{
	uint32_t i, use = n < IOV_MAX ? n : IOV_MAX;
	struct iovec *v = stack;
	uint8_t *arr;

	*out = NULL;
	*cnt = 0;
	arr = wbpf_guest_range(g, iovs, (uint64_t)n * W_IOVEC_SIZE);
	if (!arr)
		return W_EFAULT;
	if (use > stack_n) {
		v = malloc(use * sizeof(*v));
		if (!v)
			return W_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const uint8_t *iov = arr + (uint64_t)i * W_IOVEC_SIZE;
		uint32_t buf = get_u32(iov + W_IOVEC_BUF_OFF);
		uint32_t len = get_u32(iov + W_IOVEC_BUF_LEN_OFF);
		void *p = wbpf_guest_range(g, buf, len);

		if (!p) {
			if (v != stack)
				free(v);
			return W_EFAULT;
		}
		if (i < use) {
			v[i].iov_base = p;
			v[i].iov_len = len;
		}
	}
	*out = v;
	*cnt = (int)use;
	return 0;
}

static void iovs_free(struct iovec *v, struct iovec *stack)
{
	if (v != stack)
		free(v);
}

/* A read on this descriptor may block (terminal, pipe, socket, FIFO, device). */
static bool may_block(const struct wasi_fd *f)
{
	return f->type != W_FT_REGULAR_FILE && f->type != W_FT_DIRECTORY &&
	       f->type != W_FT_BLOCK_DEVICE;
}

/* NONBLOCK as the guest sees it: kept by the runtime for stdio, the host's otherwise. */
static bool guest_nonblock(const struct wasi_fd *f)
{
	int fl;

	if (f->keep_host)
		return f->fdflags & W_FDFLAG_NONBLOCK;
	fl = fcntl(f->host, F_GETFL);
	return fl >= 0 && (fl & O_NONBLOCK);
}

ssize_t wbpf_wasi__read(struct wasi_fd *f, ssize_t (*fn)(int host, void *arg), void *arg,
			uint16_t *err)
{
	bool nonblock = guest_nonblock(f), blocks = may_block(f);
	struct pollfd p = {.fd = f->host, .events = POLLIN};
	ssize_t n;

	*err = 0;
	for (;;) {
		if (blocks && !nonblock && wbpf_wasi__wait_fd(f->host, POLLIN)) {
			/* a stop request ends a blocking read with EINTR instead of waiting */
			*err = W_EINTR;
			return -1;
		}
		/* stdio the guest made non-blocking: the host description is not */
		if (blocks && nonblock && f->keep_host && poll(&p, 1, 0) == 0) {
			*err = W_EAGAIN;
			return -1;
		}
		n = fn(f->host, arg);
		if (n >= 0)
			return n;
		/* the host description is non-blocking, the guest's is not: wait again */
		if (errno == EAGAIN && blocks && !nonblock)
			continue;
		*err = werr();
		return -1;
	}
}

struct readv_arg {
	const struct iovec *v;
	int cnt;
};

static ssize_t do_readv(int host, void *arg)
{
	struct readv_arg *a = arg;

	return readv(host, a->v, a->cnt);
}

/* Drop the first n bytes of the iovecs [*v, *v + *cnt). */
static void iov_advance(struct iovec **v, int *cnt, size_t n)
{
	while (*cnt > 0 && n >= (*v)->iov_len) {
		n -= (*v)->iov_len;
		(*v)++;
		(*cnt)--;
	}
	if (*cnt > 0) {
		(*v)->iov_base = (uint8_t *)(*v)->iov_base + n;
		(*v)->iov_len -= n;
	}
}

/*
 * Host stdio: write everything. Output must never be lost, so a partial
 * write goes on (an error after some bytes returns their count: the next
 * write reports it), and a host description left
 * non-blocking by the parent (EAGAIN) is waited on with poll() whatever the
 * guest's own NONBLOCK says. APPEND set by the guest is done here, as the
 * shared description does not get O_APPEND.
 */
static ssize_t write_all(struct wasi_fd *f, struct iovec *v, int cnt)
{
	struct pollfd p = {.fd = f->host, .events = POLLOUT};
	size_t done = 0;
	ssize_t n;

	if (f->fdflags & W_FDFLAG_APPEND && f->type == W_FT_REGULAR_FILE)
		lseek(f->host, 0, SEEK_END);
	iov_advance(&v, &cnt, 0);
	while (cnt > 0) {
		n = writev(f->host, v, cnt);
		if (n > 0) {
			done += (size_t)n;
			iov_advance(&v, &cnt, (size_t)n);
			continue;
		}
		if (n == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return done ? (ssize_t)done : -1;
		if (poll(&p, 1, -1 /* ms */) < 0 && errno != EINTR)
			return done ? (ssize_t)done : -1;
	}
	return (ssize_t)done;
}

/* The four transfers: fd_read, fd_write, fd_pread, fd_pwrite. */
enum xfer { XFER_READ, XFER_WRITE, XFER_PREAD, XFER_PWRITE };

/*
 * offset is used only by the positioned ones. Everything is checked before
 * the transfer; *nbytes_out is written only after it succeeds.
 */
static uint32_t xfer(struct wbpf_guest *g, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
		     uint64_t offset, uint32_t nbytes_out, enum xfer op)
{
	bool rd = op == XFER_READ || op == XFER_PREAD;
	bool positioned = op == XFER_PREAD || op == XFER_PWRITE;
	uint64_t rights = (rd ? W_R_FD_READ : W_R_FD_WRITE) | (positioned ? W_R_FD_SEEK : 0);
	struct iovec stack[IOV_STACK], *v = NULL;
	struct readv_arg ra;
	struct wasi_fd *f;
	uint8_t *nbytes;
	uint16_t err;
	uint32_t ret;
	ssize_t n;
	int cnt;

	ret = wbpf_wasi__fd_check(g, fd, rights, &f);
	if (ret)
		return ret;
	/* opened beneath a read-only grant: never with FD_WRITE, but say so twice */
	if (!rd && f->ro)
		return W_EROFS;
	nbytes = wbpf_guest_range(g, nbytes_out, W_SIZE_T_SIZE);
	if (!nbytes)
		return W_EFAULT;
	if (offset > INT64_MAX)
		return W_EINVAL;
	ret = wbpf_wasi__iovs(g, iovs, iovs_len, stack, IOV_STACK, &v, &cnt);
	if (ret)
		return ret;
	/*
	 * Straight to the host fd, no buffering here. A signal must not lose
	 * output (wasi-libc drops a buffer whose write fails), so writes retry
	 * EINTR; reads report it.
	 */
	switch (op) {
	case XFER_READ:
		ra = (struct readv_arg){v, cnt};
		n = wbpf_wasi__read(f, do_readv, &ra, &err);
		if (n < 0) {
			ret = err;
			goto cleanup;
		}
		break;
	case XFER_WRITE:
		if (f->keep_host) {
			n = write_all(f, v, cnt);
			break;
		}
		do
			n = writev(f->host, v, cnt);
		while (n < 0 && errno == EINTR);
		break;
	case XFER_PREAD:
		n = preadv(f->host, v, cnt, (off_t)offset);
		break;
	default:
		do
			n = pwritev(f->host, v, cnt, (off_t)offset);
		while (n < 0 && errno == EINTR);
		break;
	}
	if (n < 0) {
		ret = werr();
		goto cleanup;
	}
	put_u32(nbytes, (uint32_t)n);
cleanup:
	iovs_free(v, stack);
	return ret;
}

uint32_t wbpf_wasi_fd_read(struct wbpf_guest *g, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
			   uint32_t nread_out)
{
	return xfer(g, fd, iovs, iovs_len, 0, nread_out, XFER_READ);
}

uint32_t wbpf_wasi_fd_write(struct wbpf_guest *g, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
			    uint32_t nwritten_out)
{
	return xfer(g, fd, iovs, iovs_len, 0, nwritten_out, XFER_WRITE);
}

uint32_t wbpf_wasi_fd_pread(struct wbpf_guest *g, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
			    uint64_t offset, uint32_t nread_out)
{
	return xfer(g, fd, iovs, iovs_len, offset, nread_out, XFER_PREAD);
}

uint32_t wbpf_wasi_fd_pwrite(struct wbpf_guest *g, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
			     uint64_t offset, uint32_t nwritten_out)
{
	return xfer(g, fd, iovs, iovs_len, offset, nwritten_out, XFER_PWRITE);
}

/* fd_seek, and fd_tell as a seek by 0 from the current position */
static uint32_t seek(struct wbpf_guest *g, uint32_t fd, int64_t offset, uint32_t whence,
		     uint32_t out_ptr)
{
	struct wasi_fd *f;
	uint8_t *out;
	uint32_t ret;
	off_t r;

	/* lseek(fd, 0, SEEK_CUR) is a tell: FD_TELL is enough (as uvwasi does) */
	ret = wbpf_wasi__fd_check(g, fd, offset == 0 && whence == 1 ? W_R_FD_TELL : W_R_FD_SEEK,
				  &f);
	if (ret)
		return ret;
	out = wbpf_guest_range(g, out_ptr, W_FILESIZE_SIZE);
	if (!out)
		return W_EFAULT;
	if (whence > 2)
		return W_EINVAL;
	r = lseek(f->host, offset, whence == 0 ? SEEK_SET : whence == 1 ? SEEK_CUR : SEEK_END);
	if (r < 0)
		return werr();
	put_u64(out, (uint64_t)r);
	return 0;
}

uint32_t wbpf_wasi_fd_seek(struct wbpf_guest *g, uint32_t fd, uint64_t offset, uint32_t whence,
			   uint32_t newoffset_out)
{
	return seek(g, fd, (int64_t)offset, whence & 0xff, newoffset_out);
}

uint32_t wbpf_wasi_fd_tell(struct wbpf_guest *g, uint32_t fd, uint32_t offset_out)
{
	return seek(g, fd, 0, 1 /* SEEK_CUR */, offset_out);
}

uint32_t wbpf_wasi_fd_close(struct wbpf_guest *g, uint32_t fd)
{
	struct wasi_fd *f = wbpf_wasi__fd_get(g, fd);

	if (!f)
		return W_EBADF;
	wbpf_wasi__fd_release(f);
	return 0;
}

uint32_t wbpf_wasi_fd_renumber(struct wbpf_guest *g, uint32_t fd, uint32_t to_fd)
{
	struct wasi_fd *from = wbpf_wasi__fd_get(g, fd);
	struct wasi_fd *to = wbpf_wasi__fd_get(g, to_fd);

	if (!from || !to)
		return W_EBADF;
	if (from == to)
		return 0;
	wbpf_wasi__fd_release(to);
	*to = *from;
	*from = (struct wasi_fd){.host = -1};
	return 0;
}

/* fd_sync and fd_datasync: fn(host fd) on a descriptor that holds right */
static uint32_t sync_call(struct wbpf_guest *g, uint32_t fd, uint64_t right, int (*fn)(int))
{
	struct wasi_fd *f;
	uint32_t ret = wbpf_wasi__fd_check(g, fd, right, &f);

	if (ret)
		return ret;
	return fn(f->host) ? werr() : 0;
}

uint32_t wbpf_wasi_fd_sync(struct wbpf_guest *g, uint32_t fd)
{
	return sync_call(g, fd, W_R_FD_SYNC, fsync);
}

uint32_t wbpf_wasi_fd_datasync(struct wbpf_guest *g, uint32_t fd)
{
	return sync_call(g, fd, W_R_FD_DATASYNC, fdatasync);
}

uint32_t wbpf_wasi_fd_advise(struct wbpf_guest *g, uint32_t fd, uint64_t offset, uint64_t len,
			     uint32_t advice_arg)
{
	static const int advice[] = {POSIX_FADV_NORMAL,	  POSIX_FADV_SEQUENTIAL,
				     POSIX_FADV_RANDOM,	  POSIX_FADV_WILLNEED,
				     POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
	uint32_t a = advice_arg & 0xff;
	struct wasi_fd *f;
	uint32_t ret;
	int err;

	ret = wbpf_wasi__fd_check(g, fd, W_R_FD_ADVISE, &f);
	if (ret)
		return ret;
	if (a >= sizeof(advice) / sizeof(advice[0]) || offset > INT64_MAX || len > INT64_MAX)
		return W_EINVAL;
	/* a directory takes no advice on Linux; as for other runtimes it is a no-op */
	if (f->type == W_FT_DIRECTORY)
		return 0;
	err = posix_fadvise(f->host, (off_t)offset, (off_t)len, advice[a]);
	return wbpf_wasi_errno(err);
}

uint32_t wbpf_wasi_fd_allocate(struct wbpf_guest *g, uint32_t fd, uint64_t offset, uint64_t len)
{
	struct wasi_fd *f;
	uint32_t ret;
	int err;

	ret = wbpf_wasi__fd_check(g, fd, W_R_FD_ALLOCATE, &f);
	if (ret)
		return ret;
	if (f->ro)
		return W_EROFS;
	if (offset > INT64_MAX || len > INT64_MAX || len == 0)
		return W_EINVAL;
	err = posix_fallocate(f->host, (off_t)offset, (off_t)len);
	return wbpf_wasi_errno(err);
}

uint16_t wbpf_wasi__host_fdflags(int host, uint16_t *out)
{
	int fl = fcntl(host, F_GETFL);
	uint16_t w = 0;

	if (fl < 0)
		return wbpf_wasi_errno(errno);
	if (fl & O_APPEND)
		w |= W_FDFLAG_APPEND;
	if (fl & O_NONBLOCK)
		w |= W_FDFLAG_NONBLOCK;
	if ((fl & O_SYNC) == O_SYNC)
		w |= W_FDFLAG_SYNC | W_FDFLAG_RSYNC;
	else if (fl & O_DSYNC)
		w |= W_FDFLAG_DSYNC;
	*out = w;
	return 0;
}

uint32_t wbpf_wasi_fd_fdstat_get(struct wbpf_guest *g, uint32_t fd, uint32_t stat_out)
{
	struct wasi_fd *f = wbpf_wasi__fd_get(g, fd);
	uint8_t *out = wbpf_guest_range(g, stat_out, W_FDSTAT_SIZE);
	uint16_t flags = 0, err;

	if (!f)
		return W_EBADF;
	if (!out)
		return W_EFAULT;
	if (f->keep_host) {
		flags = f->fdflags;
	} else {
		err = wbpf_wasi__host_fdflags(f->host, &flags);
		if (err)
			return err;
	}
	memset(out, 0, W_FDSTAT_SIZE);
	put_u8(out + W_FDSTAT_FILETYPE_OFF, f->type);
	put_u16(out + W_FDSTAT_FLAGS_OFF, flags);
	put_u64(out + W_FDSTAT_RIGHTS_BASE_OFF, f->rights);
	put_u64(out + W_FDSTAT_RIGHTS_INHERITING_OFF, f->inheriting);
	return 0;
}

uint32_t wbpf_wasi_fd_fdstat_set_flags(struct wbpf_guest *g, uint32_t fd, uint32_t fdflags)
{
	uint32_t flags = fdflags & 0xffff;
	struct wasi_fd *f;
	uint32_t ret;
	int fl;

	ret = wbpf_wasi__fd_check(g, fd, W_R_FD_FDSTAT_SET_FLAGS, &f);
	if (ret)
		return ret;
	if (flags & ~(W_FDFLAG_APPEND | W_FDFLAG_DSYNC | W_FDFLAG_NONBLOCK | W_FDFLAG_RSYNC |
		      W_FDFLAG_SYNC))
		return W_EINVAL;
	/* Linux cannot change O_SYNC/O_DSYNC of an open file (F_SETFL ignores them) */
	if (flags & (W_FDFLAG_DSYNC | W_FDFLAG_RSYNC | W_FDFLAG_SYNC))
		return W_ENOTSUP;
	if (flags & W_FDFLAG_APPEND && f->ro)
		return W_EROFS;
	/* stdio: the description is the parent's too; see docs/abi.md, section "stdio" */
	if (f->keep_host) {
		f->fdflags =
			(uint16_t)((f->fdflags & ~(W_FDFLAG_APPEND | W_FDFLAG_NONBLOCK)) | flags);
		return 0;
	}
	fl = fcntl(f->host, F_GETFL);
	if (fl < 0)
		return werr();
	fl &= ~(O_APPEND | O_NONBLOCK);
	if (flags & W_FDFLAG_APPEND)
		fl |= O_APPEND;
	if (flags & W_FDFLAG_NONBLOCK)
		fl |= O_NONBLOCK;
	return fcntl(f->host, F_SETFL, fl) ? werr() : 0;
}

uint32_t wbpf_wasi_fd_fdstat_set_rights(struct wbpf_guest *g, uint32_t fd, uint64_t rights_base,
					uint64_t rights_inheriting)
{
	struct wasi_fd *f = wbpf_wasi__fd_get(g, fd);

	if (!f)
		return W_EBADF;
	/* rights can only be dropped */
	if ((rights_base & ~f->rights) || (rights_inheriting & ~f->inheriting))
		return W_ENOTCAPABLE;
	f->rights = rights_base;
	f->inheriting = rights_inheriting;
	return 0;
}

uint32_t wbpf_wasi_fd_filestat_get(struct wbpf_guest *g, uint32_t fd, uint32_t stat_out)
{
	struct wasi_fd *f;
	struct stat st;
	uint8_t *out;
	uint32_t ret;

	ret = wbpf_wasi__fd_check(g, fd, W_R_FD_FILESTAT_GET, &f);
	if (ret)
		return ret;
	out = wbpf_guest_range(g, stat_out, W_FILESTAT_SIZE);
	if (!out)
		return W_EFAULT;
	if (fstat(f->host, &st))
		return werr();
	wbpf_wasi__put_filestat(out, f->host, &st);
	return 0;
}

uint32_t wbpf_wasi_fd_filestat_set_size(struct wbpf_guest *g, uint32_t fd, uint64_t size)
{
	struct wasi_fd *f;
	uint32_t ret;

	ret = wbpf_wasi__fd_check(g, fd, W_R_FD_FILESTAT_SET_SIZE, &f);
	if (ret)
		return ret;
	if (f->ro)
		return W_EROFS;
	if (size > INT64_MAX)
		return W_EINVAL;
	return ftruncate(f->host, (off_t)size) ? werr() : 0;
}

uint16_t wbpf_wasi__times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2])
{
	if ((fst & W_FST_ATIM && fst & W_FST_ATIM_NOW) ||
	    (fst & W_FST_MTIM && fst & W_FST_MTIM_NOW) ||
	    (fst & ~(uint32_t)(W_FST_ATIM | W_FST_ATIM_NOW | W_FST_MTIM | W_FST_MTIM_NOW)))
		return W_EINVAL;
	ts[0].tv_sec = (time_t)(atim / 1000000000ULL);
	ts[0].tv_nsec = (long)(atim % 1000000000ULL);
	ts[1].tv_sec = (time_t)(mtim / 1000000000ULL);
	ts[1].tv_nsec = (long)(mtim % 1000000000ULL);
	if (!(fst & (W_FST_ATIM | W_FST_ATIM_NOW)))
		ts[0].tv_nsec = UTIME_OMIT;
	else if (fst & W_FST_ATIM_NOW)
		ts[0].tv_nsec = UTIME_NOW;
	if (!(fst & (W_FST_MTIM | W_FST_MTIM_NOW)))
		ts[1].tv_nsec = UTIME_OMIT;
	else if (fst & W_FST_MTIM_NOW)
		ts[1].tv_nsec = UTIME_NOW;
	return 0;
}

uint32_t wbpf_wasi_fd_filestat_set_times(struct wbpf_guest *g, uint32_t fd, uint64_t atim,
					 uint64_t mtim, uint32_t fst_flags)
{
	struct timespec ts[2];
	struct wasi_fd *f;
	uint32_t ret;

	ret = wbpf_wasi__fd_check(g, fd, W_R_FD_FILESTAT_SET_TIMES, &f);
	if (ret)
		return ret;
	if (f->ro)
		return W_EROFS;
	ret = wbpf_wasi__times(atim, mtim, fst_flags & 0xffff, ts);
	if (ret)
		return ret;
	return futimens(f->host, ts) ? werr() : 0;
}

uint32_t wbpf_wasi_fd_prestat_get(struct wbpf_guest *g, uint32_t fd, uint32_t prestat_out)
{
	struct wasi_fd *f = wbpf_wasi__fd_get(g, fd);
	uint8_t *out = wbpf_guest_range(g, prestat_out, W_PRESTAT_SIZE);

	if (!f || !f->preopen)
		return W_EBADF;
	if (!out)
		return W_EFAULT;
	memset(out, 0, W_PRESTAT_SIZE);
	put_u8(out + W_PRESTAT_TAG_OFF, 0 /* preopentype DIR */);
	put_u32(out + W_PRESTAT_DIR_NAME_LEN_OFF, (uint32_t)strlen(f->preopen));
	return 0;
}

uint32_t wbpf_wasi_fd_prestat_dir_name(struct wbpf_guest *g, uint32_t fd, uint32_t path,
				       uint32_t path_len)
{
	struct wasi_fd *f = wbpf_wasi__fd_get(g, fd);
	uint8_t *out = wbpf_guest_range(g, path, path_len);
	size_t len;

	if (!f || !f->preopen)
		return W_EBADF;
	if (!out)
		return W_EFAULT;
	len = strlen(f->preopen);
	if (path_len < len)
		return W_ENAMETOOLONG;
	memcpy(out, f->preopen, len);
	return 0;
}

static uint8_t dirent_type(int dir, const struct dirent64 *d)
{
	struct stat st;

	switch (d->d_type) {
	case DT_REG:
		return W_FT_REGULAR_FILE;
	case DT_DIR:
		return W_FT_DIRECTORY;
	case DT_CHR:
		return W_FT_CHARACTER_DEVICE;
	case DT_BLK:
		return W_FT_BLOCK_DEVICE;
	case DT_LNK:
		return W_FT_SYMBOLIC_LINK;
	case DT_SOCK:
		return W_FT_SOCKET_STREAM;
	case DT_FIFO:
		return W_FT_UNKNOWN;
	default:
		/* the file system did not say: ask (the entry is inside dir) */
		if (fstatat(dir, d->d_name, &st, AT_SYMLINK_NOFOLLOW))
			return W_FT_UNKNOWN;
		return wbpf_wasi__filetype(-1, st.st_mode);
	}
}

/*
 * Cookies are the kernel's own directory offsets (d_off of the previous
 * entry, 0 for the start), so a cookie stays valid across calls and across
 * changes to the directory, as telldir()/seekdir() do. "." and ".." are
 * listed as the kernel lists them.
 */
uint32_t wbpf_wasi_fd_readdir(struct wbpf_guest *g, uint32_t fd, uint32_t buf_ptr, uint32_t buf_len,
			      uint64_t cookie, uint32_t used_out)
{
	char dbuf[16384] __attribute__((aligned(8)));
	struct wasi_fd *f;
	uint8_t *buf, *out;
	uint64_t used = 0;
	uint32_t ret;

	ret = wbpf_wasi__fd_check(g, fd, W_R_FD_READDIR, &f);
	if (ret)
		return ret;
	buf = wbpf_guest_range(g, buf_ptr, buf_len);
	out = wbpf_guest_range(g, used_out, W_SIZE_T_SIZE);
	if (!buf || !out)
		return W_EFAULT;
	if (f->type != W_FT_DIRECTORY)
		return W_ENOTDIR;
	if (cookie > INT64_MAX)
		return W_EINVAL;
	if (lseek(f->host, (off_t)cookie, SEEK_SET) < 0)
		return werr();

	while (used < buf_len) {
		ssize_t n = getdents64(f->host, dbuf, sizeof(dbuf)), off = 0;

		if (n < 0)
			return werr();
		if (n == 0)
			break;
		while (off < n && used < buf_len) {
			struct dirent64 *d = (struct dirent64 *)(dbuf + off);
			size_t namlen = strlen(d->d_name), take;
			uint8_t ent[W_DIRENT_SIZE];

			memset(ent, 0, sizeof(ent));
			put_u64(ent + W_DIRENT_NEXT_OFF, (uint64_t)d->d_off);
			put_u64(ent + W_DIRENT_INO_OFF, d->d_ino);
			put_u32(ent + W_DIRENT_NAMLEN_OFF, (uint32_t)namlen);
			put_u8(ent + W_DIRENT_TYPE_OFF, dirent_type(f->host, d));
			/* the last entry may be cut at the end of the buffer (the spec's rule) */
			take = buf_len - used < W_DIRENT_SIZE ? buf_len - used : W_DIRENT_SIZE;
			memcpy(buf + used, ent, take);
			used += take;
			take = buf_len - used < namlen ? buf_len - used : namlen;
			memcpy(buf + used, d->d_name, take);
			used += take;
			off += d->d_reclen;
		}
	}
	put_u32(out, (uint32_t)used);
	return 0;
}
