// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * path_* functions: every guest path is resolved by the kernel, never by us.
 *
 * The sandbox rule: whatever the guest names through a directory descriptor
 * stays beneath that directory. openat2(2) with RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS enforces it for "..", absolute paths and symlinks at
 * every step (its EXDEV becomes WASI ENOTCAPABLE). Then:
 *
 * - operations on an object (stat, set times, readlink, the source of a link)
 *   open the whole path with O_PATH through openat2 (O_NOFOLLOW unless the
 *   guest asked to follow) and act on that descriptor with AT_EMPTY_PATH;
 * - operations on a directory entry (mkdir, rmdir, unlink, rename, symlink,
 *   the target of a link) open the parent with openat2 and call the *at()
 *   syscall on the last component. The kernel resolves only that one name
 *   and never follows it for these calls, trailing slash or not. A last
 *   component of "." or ".." is first checked to lie beneath the directory
 *   (ENOTCAPABLE otherwise); the kernel then refuses it with its own errno.
 *
 * Symlinks the guest creates may point anywhere relative (as in other
 * runtimes), but not to an absolute path (EPERM); they are only ever
 * followed through openat2, so never out of the sandbox.
 *
 * A read-only grant (":ro") refuses any change beneath it with WASI EROFS
 * (69), the errno the kernel gives for a read-only mount. A call that names
 * two directories (path_link, path_rename) is refused when either is
 * read-only: a hard link out of a read-only tree would make its file
 * writable under another name, a rename out of it would remove a name from
 * it. See docs/abi.md, section "Directory grants".
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi-priv.h"

/* ---------------------------------------------------------------- resolution */

/* openat2 beneath dir; -errno on failure (EXDEV: an escape). */
static int open_beneath(int dir, const char *path, uint64_t flags, uint64_t mode)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		.mode = mode,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	int tries = 0;
	long fd;

	/* EAGAIN: a rename raced the lookup; the kernel asks for a retry */
	do
		fd = syscall(SYS_openat2, dir, path, &how, sizeof(how));
	while (fd < 0 && (errno == EINTR || (errno == EAGAIN && ++tries < 16)));
	return fd < 0 ? -errno : (int)fd;
}

static uint16_t resolve_errno(int neg)
{
	return neg == -EXDEV ? W_ENOTCAPABLE : wbpf_wasi_errno(neg);
}

/* Copy the guest path [ptr, ptr + len) into a C string. */
static uint16_t get_path(struct wbpf_guest *g, uint64_t ptr, uint64_t len, char **out)
{
	const char *p = wbpf_guest_range(g, ptr, len);
	char *s;

	*out = NULL;
	if (!p)
		return W_EFAULT;
	if (len >= PATH_MAX)
		return W_ENAMETOOLONG;
	if (memchr(p, '\0', len))
		return W_EINVAL;
	s = malloc(len + 1);
	if (!s)
		return W_ENOMEM;
	memcpy(s, p, len);
	s[len] = '\0';
	*out = s;
	return 0;
}

/* The directory descriptor fd, which must hold `rights`. */
static uint16_t get_dir(struct wbpf_guest *g, uint32_t fd, uint64_t rights, struct wasi_fd **out)
{
	struct wasi_fd *f = wbpf_wasi__fd_get(g, fd);

	*out = f;
	if (!f)
		return W_EBADF;
	if (f->type != W_FT_DIRECTORY)
		return W_ENOTDIR;
	if ((f->rights & rights) != rights)
		return W_ENOTCAPABLE;
	return 0;
}

/* The parent directory of a path and its last component. */
struct entry {
	int dir;	  /* O_PATH descriptor of the parent, beneath the guest's dir */
	const char *name; /* last component, trailing slashes kept */
	bool dot;	  /* the component is "." or ".." */
};

static void entry_close(struct entry *e)
{
	if (e->dir >= 0)
		close(e->dir);
	e->dir = -1;
}

static uint16_t get_entry(const struct wasi_fd *d, const char *path, struct entry *e)
{
	size_t len = strlen(path), end = len, start;
	char *parent;
	int fd;

	e->dir = -1;
	e->name = NULL;
	e->dot = false;
	if (!len)
		return W_ENOENT;
	if (path[0] == '/')
		return W_ENOTCAPABLE;
	while (end > 0 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	e->name = path + start;
	e->dot = (end - start == 1 && path[start] == '.') ||
		 (end - start == 2 && path[start] == '.' && path[start + 1] == '.');

	if (e->dot) {
		/* "." or "..": only where the whole path stays beneath d */
		fd = open_beneath(d->host, path, O_PATH, 0);
		if (fd < 0)
			return resolve_errno(fd);
		close(fd);
	}
	if (start == 0) {
		fd = open_beneath(d->host, ".", O_PATH | O_DIRECTORY, 0);
	} else {
		parent = strndup(path, start);
		if (!parent)
			return W_ENOMEM;
		fd = open_beneath(d->host, parent, O_PATH | O_DIRECTORY, 0);
		free(parent);
	}
	if (fd < 0)
		return resolve_errno(fd);
	e->dir = fd;
	return 0;
}

/*
 * O_PATH descriptor of the object at path beneath d, following a final symlink
 * if follow. Returns 0 and stores it in *fd, or a WASI errno (*fd is then -1).
 */
static uint16_t get_object(const struct wasi_fd *d, const char *path, bool follow, int *fd)
{
	int neg;

	*fd = path[0] == '/' ? -EXDEV
			     : open_beneath(d->host, path, O_PATH | (follow ? 0 : O_NOFOLLOW), 0);
	if (*fd >= 0)
		return 0;
	neg = *fd;
	*fd = -1;
	return resolve_errno(neg);
}

/* ---------------------------------------------------------------- path_open */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* One WASI flag and the open(2) flag it becomes. */
struct flag_map {
	uint32_t wasi;
	int host;
};

static const struct flag_map oflag_map[] = {
	{W_O_CREAT, O_CREAT},
	{W_O_DIRECTORY, O_DIRECTORY},
	{W_O_EXCL, O_EXCL},
	{W_O_TRUNC, O_TRUNC},
};

static const struct flag_map fdflag_map[] = {
	{W_FDFLAG_APPEND, O_APPEND}, {W_FDFLAG_DSYNC, O_DSYNC}, {W_FDFLAG_NONBLOCK, O_NONBLOCK},
	{W_FDFLAG_RSYNC, O_RSYNC},   {W_FDFLAG_SYNC, O_SYNC},
};

/* The open(2) flags of WASI flags w; bits w has beyond the map are ignored. */
static int host_flags(uint32_t w, const struct flag_map *map, size_t n)
{
	int flags = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (w & map[i].wasi)
			flags |= map[i].host;
	return flags;
}

uint32_t wbpf_wasi_path_open(struct wbpf_guest *g, uint32_t dirfd, uint32_t dirflags,
			     uint32_t path_ptr, uint32_t path_len, uint32_t oflags_arg,
			     uint64_t base, uint64_t inheriting, uint32_t fdflags_arg,
			     uint32_t fd_out)
{
	uint32_t oflags = oflags_arg & 0xffff, fdflags = fdflags_arg & 0xffff, newfd, ret;
	uint64_t rights = W_R_PATH_OPEN, type_base, type_inh;
	bool rd = base & W_R_READ_MODE, wr = base & W_R_WRITE_MODE;
	struct wasi_fd *d;
	char *path = NULL;
	uint8_t *out;
	struct stat st;
	int flags, fd = -1;
	uint8_t type;

	if (oflags & W_O_CREAT)
		rights |= W_R_PATH_CREATE_FILE;
	if (oflags & W_O_TRUNC)
		rights |= W_R_PATH_FILESTAT_SET_SIZE;
	ret = get_dir(g, dirfd, rights, &d);
	if (ret)
		return ret;
	out = wbpf_guest_range(g, fd_out, W_FD_SIZE);
	if (!out)
		return W_EFAULT;
	ret = get_path(g, path_ptr, path_len, &path);
	if (ret)
		return ret;
	if (path[0] == '/') {
		ret = W_ENOTCAPABLE;
		goto cleanup;
	}

	flags = O_NOCTTY | (wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY);
	if (!(dirflags & W_LOOKUP_SYMLINK_FOLLOW))
		flags |= O_NOFOLLOW;
	flags |= host_flags(oflags, oflag_map, ARRAY_LEN(oflag_map));
	flags |= host_flags(fdflags, fdflag_map, ARRAY_LEN(fdflag_map));

	if (d->ro) {
		if (wr || (oflags & W_O_TRUNC) || (fdflags & W_FDFLAG_APPEND)) {
			ret = W_EROFS;
			goto cleanup;
		}
		/* creating is refused, opening what exists is not */
		flags &= ~(O_CREAT | O_EXCL);
		/*
		 * Reads leave the access time alone, as on a read-only mount.
		 * O_NOATIME needs the file's owner or CAP_FOWNER: else atime
		 * moves as the kernel's relatime rules say.
		 */
		fd = open_beneath(d->host, path, (uint64_t)(flags | O_NOATIME), 0);
		if (fd == -EPERM)
			fd = open_beneath(d->host, path, (uint64_t)flags, 0);
		if (fd == -ENOENT && (oflags & W_O_CREAT)) {
			ret = W_EROFS;
			goto cleanup;
		}
		if (fd >= 0 && (oflags & (W_O_CREAT | W_O_EXCL)) == (W_O_CREAT | W_O_EXCL)) {
			ret = wbpf_wasi_errno(EEXIST);
			goto cleanup;
		}
	} else {
		fd = open_beneath(d->host, path, (uint64_t)flags, flags & O_CREAT ? 0666 : 0);
	}
	if (fd < 0) {
		ret = resolve_errno(fd);
		goto cleanup;
	}
	if (fstat(fd, &st)) {
		ret = werr();
		goto cleanup;
	}
	type = wbpf_wasi__filetype(fd, st.st_mode);
	wbpf_wasi__type_rights(fd, type, &type_base, &type_inh);
	/* what the guest asked for, within what the directory passes on */
	ret = wbpf_wasi__fd_add(g, fd, type, base & d->inheriting & type_base,
				inheriting & d->inheriting & type_inh, d->ro, &newfd);
	if (ret)
		goto cleanup;
	fd = -1;
	put_u32(out, newfd);
cleanup:
	if (fd >= 0)
		close(fd);
	free(path);
	return ret;
}

/* ---------------------------------------------------------------- objects */

uint32_t wbpf_wasi_path_filestat_get(struct wbpf_guest *g, uint32_t dirfd, uint32_t flags,
				     uint32_t path_ptr, uint32_t path_len, uint32_t stat_out)
{
	bool follow = flags & W_LOOKUP_SYMLINK_FOLLOW;
	struct wasi_fd *d;
	char *path = NULL;
	struct stat st;
	uint8_t *out;
	uint32_t ret;
	int fd = -1;

	ret = get_dir(g, dirfd, W_R_PATH_FILESTAT_GET, &d);
	if (ret)
		return ret;
	out = wbpf_guest_range(g, stat_out, W_FILESTAT_SIZE);
	if (!out)
		return W_EFAULT;
	ret = get_path(g, path_ptr, path_len, &path);
	if (ret)
		return ret;
	ret = get_object(d, path, follow, &fd);
	if (ret)
		goto cleanup;
	if (fstat(fd, &st)) {
		ret = werr();
		goto cleanup;
	}
	wbpf_wasi__put_filestat(out, -1, &st);
cleanup:
	if (fd >= 0)
		close(fd);
	free(path);
	return ret;
}

uint32_t wbpf_wasi_path_filestat_set_times(struct wbpf_guest *g, uint32_t dirfd, uint32_t flags,
					   uint32_t path_ptr, uint32_t path_len, uint64_t atim,
					   uint64_t mtim, uint32_t fst_flags)
{
	bool follow = flags & W_LOOKUP_SYMLINK_FOLLOW;
	struct timespec ts[2];
	struct wasi_fd *d;
	char *path = NULL;
	uint32_t ret;
	int fd = -1;

	ret = get_dir(g, dirfd, W_R_PATH_FILESTAT_SET_TIMES, &d);
	if (ret)
		return ret;
	ret = get_path(g, path_ptr, path_len, &path);
	if (ret)
		return ret;
	ret = wbpf_wasi__times(atim, mtim, fst_flags & 0xffff, ts);
	if (ret)
		goto cleanup;
	if (d->ro) {
		ret = W_EROFS;
		goto cleanup;
	}
	ret = get_object(d, path, follow, &fd);
	if (ret)
		goto cleanup;
	if (utimensat(fd, "", ts, AT_EMPTY_PATH))
		ret = werr();
cleanup:
	if (fd >= 0)
		close(fd);
	free(path);
	return ret;
}

uint32_t wbpf_wasi_path_readlink(struct wbpf_guest *g, uint32_t dirfd, uint32_t path_ptr,
				 uint32_t path_len, uint32_t buf_ptr, uint32_t buf_len,
				 uint32_t used_out)
{
	char tmp[PATH_MAX];
	struct wasi_fd *d;
	char *path = NULL;
	uint8_t *buf, *out;
	struct stat st;
	uint32_t ret;
	ssize_t n;
	int fd = -1;

	ret = get_dir(g, dirfd, W_R_PATH_READLINK, &d);
	if (ret)
		return ret;
	buf = wbpf_guest_range(g, buf_ptr, buf_len);
	out = wbpf_guest_range(g, used_out, W_SIZE_T_SIZE);
	if (!buf || !out)
		return W_EFAULT;
	ret = get_path(g, path_ptr, path_len, &path);
	if (ret)
		return ret;
	ret = get_object(d, path, false, &fd);
	if (ret)
		goto cleanup;
	n = readlinkat(fd, "", tmp, sizeof(tmp));
	if (n < 0) {
		/* on an empty path the kernel says ENOENT for "not a symlink" */
		if (errno == ENOENT && !fstat(fd, &st) && !S_ISLNK(st.st_mode))
			errno = EINVAL;
		ret = werr();
		goto cleanup;
	}
	/* a short buffer gets the start of the target, as readlink(2) does */
	if ((uint64_t)n > buf_len)
		n = (ssize_t)buf_len;
	memcpy(buf, tmp, (size_t)n);
	put_u32(out, (uint32_t)n);
cleanup:
	if (fd >= 0)
		close(fd);
	free(path);
	return ret;
}

/* ---------------------------------------------------------------- entries */

enum entry_op { OP_MKDIR, OP_RMDIR, OP_UNLINK, OP_SYMLINK };

/*
 * path_create_directory, path_remove_directory, path_unlink_file and
 * path_symlink: one new or removed entry beneath directory fd. Only symlink
 * has a target (target_ptr, target_len), its contents.
 */
static uint32_t entry_call(struct wbpf_guest *g, enum entry_op op, uint32_t fd, uint32_t ptr,
			   uint32_t len, uint32_t target_ptr, uint32_t target_len)
{
	static const uint64_t rights[] = {
		[OP_MKDIR] = W_R_PATH_CREATE_DIRECTORY,
		[OP_RMDIR] = W_R_PATH_REMOVE_DIRECTORY,
		[OP_UNLINK] = W_R_PATH_UNLINK_FILE,
		[OP_SYMLINK] = W_R_PATH_SYMLINK,
	};
	struct entry e = {.dir = -1};
	char *target = NULL, *path = NULL;
	struct wasi_fd *d;
	uint32_t ret;
	int err;

	ret = get_dir(g, fd, rights[op], &d);
	if (ret)
		return ret;
	if (op == OP_SYMLINK)
		ret = get_path(g, target_ptr, target_len, &target);
	if (!ret)
		ret = get_path(g, ptr, len, &path);
	if (!ret)
		ret = get_entry(d, path, &e);
	if (ret)
		goto cleanup;
	if (d->ro) {
		ret = W_EROFS;
		goto cleanup;
	}
	/*
	 * An absolute target names the host's root, not the guest's: it
	 * could never be followed here, only by host programs that meet the
	 * link later. EPERM, as wasmtime refuses it.
	 */
	if (op == OP_SYMLINK && target[0] == '/') {
		ret = W_EPERM;
		goto cleanup;
	}
	switch (op) {
	case OP_MKDIR:
		err = mkdirat(e.dir, e.name, 0777);
		break;
	case OP_RMDIR:
		err = unlinkat(e.dir, e.name, AT_REMOVEDIR);
		break;
	case OP_UNLINK:
		err = unlinkat(e.dir, e.name, 0);
		break;
	default:
		/* the target is stored as given: it is resolved only when followed */
		err = symlinkat(target, e.dir, e.name);
		break;
	}
	if (err)
		ret = werr();
cleanup:
	entry_close(&e);
	free(target);
	free(path);
	return ret;
}

uint32_t wbpf_wasi_path_create_directory(struct wbpf_guest *g, uint32_t fd, uint32_t path,
					 uint32_t path_len)
{
	return entry_call(g, OP_MKDIR, fd, path, path_len, 0, 0);
}

uint32_t wbpf_wasi_path_remove_directory(struct wbpf_guest *g, uint32_t fd, uint32_t path,
					 uint32_t path_len)
{
	return entry_call(g, OP_RMDIR, fd, path, path_len, 0, 0);
}

uint32_t wbpf_wasi_path_unlink_file(struct wbpf_guest *g, uint32_t fd, uint32_t path,
				    uint32_t path_len)
{
	return entry_call(g, OP_UNLINK, fd, path, path_len, 0, 0);
}

uint32_t wbpf_wasi_path_symlink(struct wbpf_guest *g, uint32_t old_path, uint32_t old_path_len,
				uint32_t fd, uint32_t new_path, uint32_t new_path_len)
{
	return entry_call(g, OP_SYMLINK, fd, new_path, new_path_len, old_path, old_path_len);
}

/* rename and link: a path beneath each of two directories. */
struct pair {
	struct wasi_fd *od, *nd;
	char *old_path, *new_path;
	struct entry from, to; /* from: only when asked for */
};

static void pair_free(struct pair *p)
{
	entry_close(&p->from);
	entry_close(&p->to);
	free(p->old_path);
	free(p->new_path);
}

/* o and n: the directory fd, path and path length of the old and of the new name */
static uint16_t get_pair(struct wbpf_guest *g, const uint32_t *o, uint64_t old_right,
			 const uint32_t *n, uint64_t new_right, bool from, struct pair *p)
{
	uint16_t ret;

	*p = (struct pair){.from.dir = -1, .to.dir = -1};
	ret = get_dir(g, o[0], old_right, &p->od);
	if (!ret)
		ret = get_dir(g, n[0], new_right, &p->nd);
	if (!ret)
		ret = get_path(g, o[1], o[2], &p->old_path);
	if (!ret)
		ret = get_path(g, n[1], n[2], &p->new_path);
	if (!ret && from)
		ret = get_entry(p->od, p->old_path, &p->from);
	if (!ret)
		ret = get_entry(p->nd, p->new_path, &p->to);
	return ret;
}

uint32_t wbpf_wasi_path_rename(struct wbpf_guest *g, uint32_t fd, uint32_t old_path,
			       uint32_t old_path_len, uint32_t new_fd, uint32_t new_path,
			       uint32_t new_path_len)
{
	const uint32_t o[] = {fd, old_path, old_path_len}, n[] = {new_fd, new_path, new_path_len};
	struct pair p;
	uint32_t ret;

	ret = get_pair(g, o, W_R_PATH_RENAME_SOURCE, n, W_R_PATH_RENAME_TARGET, true, &p);
	if (ret)
		goto cleanup;
	if (p.od->ro || p.nd->ro)
		ret = W_EROFS;
	else if (renameat(p.from.dir, p.from.name, p.to.dir, p.to.name))
		ret = werr();
cleanup:
	pair_free(&p);
	return ret;
}

uint32_t wbpf_wasi_path_link(struct wbpf_guest *g, uint32_t old_fd, uint32_t old_flags,
			     uint32_t old_path, uint32_t old_path_len, uint32_t new_fd,
			     uint32_t new_path, uint32_t new_path_len)
{
	const uint32_t o[] = {old_fd, old_path, old_path_len},
		       n[] = {new_fd, new_path, new_path_len};
	bool follow = old_flags & W_LOOKUP_SYMLINK_FOLLOW;
	char proc[64];
	struct pair p;
	uint32_t ret;
	int fd = -1;

	ret = get_pair(g, o, W_R_PATH_LINK_SOURCE, n, W_R_PATH_LINK_TARGET, false, &p);
	if (ret)
		goto cleanup;
	if (p.od->ro || p.nd->ro) {
		ret = W_EROFS;
		goto cleanup;
	}

	/* the source is an object: resolved beneath od like any other */
	ret = get_object(p.od, p.old_path, follow, &fd);
	if (ret)
		goto cleanup;
	if (!linkat(fd, "", p.to.dir, p.to.name, AT_EMPTY_PATH))
		goto cleanup;
	if (errno != ENOENT) {
		ret = werr();
		goto cleanup;
	}
	/*
	 * Kernels before 6.10 want CAP_DAC_READ_SEARCH for AT_EMPTY_PATH (ENOENT
	 * without it). Without following, the source's own parent and name
	 * need no capability; following, /proc/self/fd names the object.
	 */
	if (!follow) {
		ret = get_entry(p.od, p.old_path, &p.from);
		if (!ret && !p.from.dot && !strchr(p.from.name, '/') &&
		    linkat(p.from.dir, p.from.name, p.to.dir, p.to.name, 0))
			ret = werr();
		else if (!ret && (p.from.dot || strchr(p.from.name, '/')))
			ret = wbpf_wasi_errno(EPERM);
	} else {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (linkat(AT_FDCWD, proc, p.to.dir, p.to.name, AT_SYMLINK_FOLLOW))
			ret = werr();
	}
cleanup:
	if (fd >= 0)
		close(fd);
	pair_free(&p);
	return ret;
}
