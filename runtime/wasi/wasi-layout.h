/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The layout of every WASI preview1 value the runtime reads from or writes to
 * guest memory: sizes (*_SIZE) and field offsets (*_OFF) by name, as the
 * wasi_snapshot_preview1 witx lays them out for wasm32 (little-endian, each
 * field aligned to its own size, a struct to its largest field, a union's
 * payload after its u8 tag at the payload's alignment).
 *
 * The handlers read and write guest memory byte by byte with these names
 * (put_u64(out + W_FILESTAT_SIZE_OFF, ...)), never through a host struct. The
 * structs below are never used for access either: they spell each layout a
 * second time, as fields in order, so that the compiler checks every number
 * above against it (the _Static_asserts at the end).
 */
#ifndef WBPF_WASI_LAYOUT_H
#define WBPF_WASI_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

/* Scalars passed by pointer. */
#define W_PTR_SIZE 4	   /* a guest pointer (argv and environ arrays) */
#define W_SIZE_T_SIZE 4	   /* size: byte counts written back (nread, bufused, ...) */
#define W_FD_SIZE 4	   /* fd: a new descriptor written back */
#define W_FILESIZE_SIZE 8  /* filesize: a file offset written back */
#define W_TIMESTAMP_SIZE 8 /* timestamp: a clock reading written back */
#define W_ROFLAGS_SIZE 2   /* roflags: sock_recv's output flags */

/* iovec and ciovec */
#define W_IOVEC_BUF_OFF 0
#define W_IOVEC_BUF_LEN_OFF 4
#define W_IOVEC_SIZE 8

/* fdstat */
#define W_FDSTAT_FILETYPE_OFF 0
#define W_FDSTAT_FLAGS_OFF 2
#define W_FDSTAT_RIGHTS_BASE_OFF 8
#define W_FDSTAT_RIGHTS_INHERITING_OFF 16
#define W_FDSTAT_SIZE 24

/* filestat */
#define W_FILESTAT_DEV_OFF 0
#define W_FILESTAT_INO_OFF 8
#define W_FILESTAT_FILETYPE_OFF 16
#define W_FILESTAT_NLINK_OFF 24
#define W_FILESTAT_SIZE_OFF 32
#define W_FILESTAT_ATIM_OFF 40
#define W_FILESTAT_MTIM_OFF 48
#define W_FILESTAT_CTIM_OFF 56
#define W_FILESTAT_SIZE 64

/* prestat: tag 0 (dir), then the directory name's length */
#define W_PRESTAT_TAG_OFF 0
#define W_PRESTAT_DIR_NAME_LEN_OFF 4
#define W_PRESTAT_SIZE 8

/* dirent, followed in the buffer by d_namlen bytes of name */
#define W_DIRENT_NEXT_OFF 0
#define W_DIRENT_INO_OFF 8
#define W_DIRENT_NAMLEN_OFF 16
#define W_DIRENT_TYPE_OFF 20
#define W_DIRENT_SIZE 24

/* subscription: userdata, then the tagged union of a clock or an fd */
#define W_SUBSCRIPTION_USERDATA_OFF 0
#define W_SUBSCRIPTION_TAG_OFF 8
#define W_SUBSCRIPTION_CLOCK_ID_OFF 16
#define W_SUBSCRIPTION_CLOCK_TIMEOUT_OFF 24
#define W_SUBSCRIPTION_CLOCK_PRECISION_OFF 32
#define W_SUBSCRIPTION_CLOCK_FLAGS_OFF 40
#define W_SUBSCRIPTION_FD_OFF 16
#define W_SUBSCRIPTION_SIZE 48

/* event */
#define W_EVENT_USERDATA_OFF 0
#define W_EVENT_ERROR_OFF 8
#define W_EVENT_TYPE_OFF 10
#define W_EVENT_FD_NBYTES_OFF 16
#define W_EVENT_FD_FLAGS_OFF 24
#define W_EVENT_SIZE 32

/* ---------------------------------------------------------------- the check */

/* wasm32 aligns a 64-bit value to 8 bytes (i386 would to 4 inside a struct) */
typedef uint64_t w_u64 __attribute__((aligned(8)));

typedef uint32_t w_ptr;
typedef uint32_t w_size;
typedef uint32_t w_fd;
typedef w_u64 w_filesize;
typedef w_u64 w_timestamp;
typedef uint16_t w_roflags;

struct w_iovec {
	uint32_t buf;
	uint32_t buf_len;
};

struct w_fdstat {
	uint8_t fs_filetype;
	uint16_t fs_flags;
	w_u64 fs_rights_base;
	w_u64 fs_rights_inheriting;
};

struct w_filestat {
	w_u64 dev;
	w_u64 ino;
	uint8_t filetype;
	w_u64 nlink;
	w_u64 size;
	w_u64 atim;
	w_u64 mtim;
	w_u64 ctim;
};

struct w_prestat {
	uint8_t tag;
	union {
		struct {
			uint32_t pr_name_len;
		} dir;
	} u;
};

struct w_dirent {
	w_u64 d_next;
	w_u64 d_ino;
	uint32_t d_namlen;
	uint8_t d_type;
};

struct w_subscription {
	w_u64 userdata;
	uint8_t tag;
	union {
		struct {
			uint32_t id;
			w_u64 timeout;
			w_u64 precision;
			uint16_t flags;
		} clock;
		struct {
			uint32_t file_descriptor;
		} fd_readwrite;
	} u;
};

struct w_event {
	w_u64 userdata;
	uint16_t error;
	uint8_t type;
	struct {
		w_u64 nbytes;
		uint16_t flags;
	} fd_readwrite;
};

#define W_LAYOUT(type, field, off) _Static_assert(offsetof(type, field) == (off), #type "." #field)
#define W_LAYOUT_SIZE(type, size) _Static_assert(sizeof(type) == (size), "sizeof(" #type ")")

W_LAYOUT_SIZE(w_ptr, W_PTR_SIZE);
W_LAYOUT_SIZE(w_size, W_SIZE_T_SIZE);
W_LAYOUT_SIZE(w_fd, W_FD_SIZE);
W_LAYOUT_SIZE(w_filesize, W_FILESIZE_SIZE);
W_LAYOUT_SIZE(w_timestamp, W_TIMESTAMP_SIZE);
W_LAYOUT_SIZE(w_roflags, W_ROFLAGS_SIZE);

W_LAYOUT(struct w_iovec, buf, W_IOVEC_BUF_OFF);
W_LAYOUT(struct w_iovec, buf_len, W_IOVEC_BUF_LEN_OFF);
W_LAYOUT_SIZE(struct w_iovec, W_IOVEC_SIZE);

W_LAYOUT(struct w_fdstat, fs_filetype, W_FDSTAT_FILETYPE_OFF);
W_LAYOUT(struct w_fdstat, fs_flags, W_FDSTAT_FLAGS_OFF);
W_LAYOUT(struct w_fdstat, fs_rights_base, W_FDSTAT_RIGHTS_BASE_OFF);
W_LAYOUT(struct w_fdstat, fs_rights_inheriting, W_FDSTAT_RIGHTS_INHERITING_OFF);
W_LAYOUT_SIZE(struct w_fdstat, W_FDSTAT_SIZE);

W_LAYOUT(struct w_filestat, dev, W_FILESTAT_DEV_OFF);
W_LAYOUT(struct w_filestat, ino, W_FILESTAT_INO_OFF);
W_LAYOUT(struct w_filestat, filetype, W_FILESTAT_FILETYPE_OFF);
W_LAYOUT(struct w_filestat, nlink, W_FILESTAT_NLINK_OFF);
W_LAYOUT(struct w_filestat, size, W_FILESTAT_SIZE_OFF);
W_LAYOUT(struct w_filestat, atim, W_FILESTAT_ATIM_OFF);
W_LAYOUT(struct w_filestat, mtim, W_FILESTAT_MTIM_OFF);
W_LAYOUT(struct w_filestat, ctim, W_FILESTAT_CTIM_OFF);
W_LAYOUT_SIZE(struct w_filestat, W_FILESTAT_SIZE);

W_LAYOUT(struct w_prestat, tag, W_PRESTAT_TAG_OFF);
W_LAYOUT(struct w_prestat, u.dir.pr_name_len, W_PRESTAT_DIR_NAME_LEN_OFF);
W_LAYOUT_SIZE(struct w_prestat, W_PRESTAT_SIZE);

W_LAYOUT(struct w_dirent, d_next, W_DIRENT_NEXT_OFF);
W_LAYOUT(struct w_dirent, d_ino, W_DIRENT_INO_OFF);
W_LAYOUT(struct w_dirent, d_namlen, W_DIRENT_NAMLEN_OFF);
W_LAYOUT(struct w_dirent, d_type, W_DIRENT_TYPE_OFF);
W_LAYOUT_SIZE(struct w_dirent, W_DIRENT_SIZE);

W_LAYOUT(struct w_subscription, userdata, W_SUBSCRIPTION_USERDATA_OFF);
W_LAYOUT(struct w_subscription, tag, W_SUBSCRIPTION_TAG_OFF);
W_LAYOUT(struct w_subscription, u.clock.id, W_SUBSCRIPTION_CLOCK_ID_OFF);
W_LAYOUT(struct w_subscription, u.clock.timeout, W_SUBSCRIPTION_CLOCK_TIMEOUT_OFF);
W_LAYOUT(struct w_subscription, u.clock.precision, W_SUBSCRIPTION_CLOCK_PRECISION_OFF);
W_LAYOUT(struct w_subscription, u.clock.flags, W_SUBSCRIPTION_CLOCK_FLAGS_OFF);
W_LAYOUT(struct w_subscription, u.fd_readwrite.file_descriptor, W_SUBSCRIPTION_FD_OFF);
W_LAYOUT_SIZE(struct w_subscription, W_SUBSCRIPTION_SIZE);

W_LAYOUT(struct w_event, userdata, W_EVENT_USERDATA_OFF);
W_LAYOUT(struct w_event, error, W_EVENT_ERROR_OFF);
W_LAYOUT(struct w_event, type, W_EVENT_TYPE_OFF);
W_LAYOUT(struct w_event, fd_readwrite.nbytes, W_EVENT_FD_NBYTES_OFF);
W_LAYOUT(struct w_event, fd_readwrite.flags, W_EVENT_FD_FLAGS_OFF);
W_LAYOUT_SIZE(struct w_event, W_EVENT_SIZE);

#undef W_LAYOUT
#undef W_LAYOUT_SIZE

#endif /* WBPF_WASI_LAYOUT_H */
