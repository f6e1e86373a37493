// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * WASI state: argv, environ and the descriptor table (stdio, preopens, files).
 *
 * Guest descriptors are small integers, each mapped to a host fd with its
 * WASI type and rights. 0-2 are the host's stdio (never closed on the host:
 * the runtime still prints its own messages there); the granted directories
 * follow from 3 in grant order; path_open takes the lowest free number.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "grant.h"
#include "wasi-priv.h"

/* Enough for any program we run; the host's RLIMIT_NOFILE usually ends it first. */
#define MAX_FDS (1U << 20)

struct wasi_fd *wbpf_wasi__fd_get(struct wbpf_guest *g, uint32_t fd)
{
	struct wbpf_wasi *w = g->wasi;

	if (!w || fd >= w->nfds || w->fds[fd].host < 0)
		return NULL;
	return &w->fds[fd];
}

uint16_t wbpf_wasi__fd_check(struct wbpf_guest *g, uint32_t fd, uint64_t rights,
			     struct wasi_fd **out)
{
	struct wasi_fd *f = wbpf_wasi__fd_get(g, fd);

	*out = f;
	if (!f)
		return W_EBADF;
	if ((f->rights & rights) != rights)
		return W_ENOTCAPABLE;
	return 0;
}

uint16_t wbpf_wasi__fd_add(struct wbpf_guest *g, int host, uint8_t type, uint64_t rights,
			   uint64_t inheriting, bool ro, uint32_t *fd)
{
	struct wbpf_wasi *w = g->wasi;
	struct wasi_fd *f;
	uint32_t i;

	for (i = 0; i < w->nfds; i++)
		if (w->fds[i].host == -1)
			break;
	if (i == w->nfds) {
		uint32_t n = w->nfds ? w->nfds * 2 : 8, j;

		if (w->nfds >= MAX_FDS)
			return wbpf_wasi_errno(EMFILE);
		f = realloc(w->fds, n * sizeof(*f));
		if (!f)
			return W_ENOMEM;
		for (j = w->nfds; j < n; j++)
			f[j] = (struct wasi_fd){.host = -1};
		w->fds = f;
		w->nfds = n;
	}
	w->fds[i] = (struct wasi_fd){
		.host = host,
		.type = type,
		.ro = ro,
		.rights = rights,
		.inheriting = inheriting,
	};
	*fd = i;
	return 0;
}

void wbpf_wasi__fd_release(struct wasi_fd *f)
{
	if (!f || f->host < 0)
		return;
	if (!f->keep_host)
		close(f->host);
	free(f->preopen);
	*f = (struct wasi_fd){.host = -1};
}

uint8_t wbpf_wasi__filetype(int host, mode_t mode)
{
	int type = 0;
	socklen_t len = sizeof(type);

	switch (mode & S_IFMT) {
	case S_IFREG:
		return W_FT_REGULAR_FILE;
	case S_IFDIR:
		return W_FT_DIRECTORY;
	case S_IFCHR:
		return W_FT_CHARACTER_DEVICE;
	case S_IFBLK:
		return W_FT_BLOCK_DEVICE;
	case S_IFLNK:
		return W_FT_SYMBOLIC_LINK;
	case S_IFSOCK:
		if (host >= 0 && !getsockopt(host, SOL_SOCKET, SO_TYPE, &type, &len))
			return type == SOCK_DGRAM ? W_FT_SOCKET_DGRAM : W_FT_SOCKET_STREAM;
		return W_FT_SOCKET_STREAM;
	default:
		/* WASI has no FIFO type */
		return W_FT_UNKNOWN;
	}
}

void wbpf_wasi__type_rights(int host, uint8_t type, uint64_t *base, uint64_t *inheriting)
{
	*inheriting = 0;
	switch (type) {
	case W_FT_REGULAR_FILE:
	case W_FT_BLOCK_DEVICE:
		*base = W_R_REGULAR_BASE;
		break;
	case W_FT_DIRECTORY:
		*base = W_R_DIRECTORY_BASE;
		*inheriting = W_R_DIRECTORY_INHERITING;
		break;
	case W_FT_CHARACTER_DEVICE:
		/* a terminal cannot seek (what isatty() checks); /dev/null can */
		if (host >= 0 && !isatty(host) && lseek(host, 0, SEEK_CUR) >= 0)
			*base = W_R_REGULAR_BASE;
		else
			*base = W_R_STREAM_BASE;
		break;
	case W_FT_SOCKET_STREAM:
	case W_FT_SOCKET_DGRAM:
		*base = W_R_STREAM_BASE | W_R_SOCK_SHUTDOWN | W_R_SOCK_ACCEPT;
		break;
	default:
		*base = W_R_STREAM_BASE;
		break;
	}
}

void wbpf_wasi__put_filestat(void *p, int host, const struct stat *st)
{
	uint8_t *b = p;

	memset(b, 0, W_FILESTAT_SIZE);
	put_u64(b + W_FILESTAT_DEV_OFF, st->st_dev);
	put_u64(b + W_FILESTAT_INO_OFF, st->st_ino);
	put_u8(b + W_FILESTAT_FILETYPE_OFF, wbpf_wasi__filetype(host, st->st_mode));
	put_u64(b + W_FILESTAT_NLINK_OFF, st->st_nlink);
	put_u64(b + W_FILESTAT_SIZE_OFF, (uint64_t)st->st_size);
	put_u64(b + W_FILESTAT_ATIM_OFF, ts_ns(&st->st_atim));
	put_u64(b + W_FILESTAT_MTIM_OFF, ts_ns(&st->st_mtim));
	put_u64(b + W_FILESTAT_CTIM_OFF, ts_ns(&st->st_ctim));
}

static char **dup_argv(int argc, char **argv)
{
	char **a = calloc((size_t)argc + 1, sizeof(*a));
	int i;

	if (!a)
		return NULL;
	for (i = 0; i < argc; i++) {
		a[i] = strdup(argv[i] ? argv[i] : "");
		if (!a[i]) {
			wbpf_wasi_env_free(a);
			return NULL;
		}
	}
	return a;
}

static int add_stdio(struct wbpf_guest *g)
{
	struct wbpf_wasi *w = g->wasi;
	int i;

	w->fds = calloc(8, sizeof(*w->fds));
	if (!w->fds)
		return -ENOMEM;
	w->nfds = 8;
	for (i = 0; i < 8; i++)
		w->fds[i].host = -1;
	for (i = 0; i < 3; i++) {
		struct wasi_fd *f = &w->fds[i];
		struct stat st;

		/* a closed host stdio stays closed for the guest: EBADF */
		if (fstat(i, &st))
			continue;
		f->host = i;
		f->keep_host = true;
		f->type = wbpf_wasi__filetype(i, st.st_mode);
		wbpf_wasi__type_rights(i, f->type, &f->rights, &f->inheriting);
		/*
		 * The guest starts with the description's flags, but blocking:
		 * a non-blocking stdio left by the parent is waited on, never
		 * shown (see docs/abi.md, section "stdio").
		 */
		if (wbpf_wasi__host_fdflags(i, &f->fdflags))
			f->fdflags = 0;
		f->fdflags &= (uint16_t)~W_FDFLAG_NONBLOCK;
	}
	return 0;
}

/* Grant src to the guest; its descriptor number goes to *fd. */
static int add_preopen(struct wbpf_guest *g, const struct wbpf_wasi_grant_src *src, uint32_t *fd)
{
	struct wbpf_wasi_grant gr;
	uint64_t base, inh;
	int host = -1, err;
	uint16_t werr;

	err = wbpf_wasi_grant_parse(src->spec, &gr);
	if (err) {
		if (err == -EINVAL)
			fprintf(stderr, "%s: %s: '%s': bad grant, expected HOST[::GUEST][:ro]\n",
				g->prog, src->source, src->spec);
		return err;
	}
	host = -1;
	errno = EPERM;
	/* read-only: listing it leaves its access time alone (as path_open beneath it) */
	if (gr.ro)
		host = open(gr.host, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOATIME);
	if (host < 0 && errno == EPERM)
		host = open(gr.host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (host < 0) {
		err = -errno;
		fprintf(stderr, "%s: %s: %s: %s\n", g->prog, src->source, gr.host, strerror(errno));
		goto cleanup;
	}
	wbpf_wasi__type_rights(host, W_FT_DIRECTORY, &base, &inh);
	werr = wbpf_wasi__fd_add(g, host, W_FT_DIRECTORY, base, inh, gr.ro, fd);
	if (werr) {
		err = -ENOMEM;
		goto cleanup;
	}
	host = -1;
	g->wasi->fds[*fd].preopen = gr.guest;
	gr.guest = NULL;
cleanup:
	if (host >= 0)
		close(host);
	wbpf_wasi_grant_free(&gr);
	return err;
}

/*
 * Whether directory fd `dir` is the directory `top` or lies beneath it:
 * ".." is walked from dir up to the root, so the spelling of either grant
 * (symlinks, "..", trailing slashes) does not matter.
 */
static bool beneath(int dir, const struct stat *top)
{
	struct stat st, up;
	bool found = false;
	int cur, next;

	cur = openat(dir, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	while (cur >= 0 && !fstat(cur, &st)) {
		if (st.st_dev == top->st_dev && st.st_ino == top->st_ino) {
			found = true;
			break;
		}
		next = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (next < 0)
			break;
		close(cur);
		cur = next;
		/* the root is its own parent */
		if (fstat(cur, &up) || (up.st_dev == st.st_dev && up.st_ino == st.st_ino))
			break;
	}
	if (cur >= 0)
		close(cur);
	return found;
}

/*
 * A read-only grant inside a writable one is writable through it: refuse
 * to start rather than let the ":ro" promise what it does not keep (see
 * docs/abi.md, section "Directory grants").
 */
static int check_overlap(struct wbpf_guest *g, const struct wbpf_wasi_grant_src *grants,
			 const uint32_t *fds, size_t n)
{
	const struct wasi_fd *f = g->wasi->fds;
	struct stat top;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!f[fds[i]].ro)
			continue;
		for (j = 0; j < n; j++) {
			if (f[fds[j]].ro || fstat(f[fds[j]].host, &top))
				continue;
			if (!beneath(f[fds[i]].host, &top))
				continue;
			fprintf(stderr, "%s: %s: '%s': read-only grant inside writable grant '%s' (%s)\n",
				g->prog, grants[i].source, grants[i].spec, grants[j].spec,
				grants[j].source);
			return -EINVAL;
		}
	}
	return 0;
}

int wbpf_wasi__new(struct wbpf_guest *g, const struct wbpf_wasi_opts *opts)
{
	struct wbpf_wasi_grant_src *grants = NULL;
	size_t ngrants = 0, i;
	uint32_t *fds = NULL;
	struct wbpf_wasi *w;
	const char *bad;
	int err;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	g->wasi = w;
	w->prog = g->prog;

	w->argc = opts->argc > 0 ? (size_t)opts->argc : 0;
	w->argv = dup_argv((int)w->argc, opts->argv);
	if (!w->argv) {
		err = -ENOMEM;
		goto cleanup;
	}
	err = wbpf_wasi_env_list(opts->envs, opts->host_environ, &w->env, &w->envc, &bad);
	if (err) {
		if (err == -EINVAL)
			fprintf(stderr, "%s: '%s': bad environment entry, expected NAME=VALUE\n",
				g->prog, bad);
		goto cleanup;
	}
	err = add_stdio(g);
	if (err)
		goto cleanup;
	/* preopens from 3 on, even if a host stdio fd was closed */
	for (i = 0; i < 3; i++)
		if (w->fds[i].host < 0)
			w->fds[i].host = -2;
	err = wbpf_wasi_grant_list(opts->dirs, opts->host_environ, &grants, &ngrants);
	if (!err && ngrants) {
		fds = calloc(ngrants, sizeof(*fds));
		if (!fds)
			err = -ENOMEM;
	}
	for (i = 0; !err && i < ngrants; i++)
		err = add_preopen(g, &grants[i], &fds[i]);
	if (!err)
		err = check_overlap(g, grants, fds, ngrants);
	for (i = 0; i < 3; i++)
		if (w->fds[i].host == -2)
			w->fds[i].host = -1;
cleanup:
	free(fds);
	wbpf_wasi_grant_list_free(grants, ngrants);
	if (err) {
		wbpf_wasi__free(w);
		g->wasi = NULL;
	}
	return err;
}

void wbpf_wasi__free(struct wbpf_wasi *w)
{
	uint32_t i;

	if (!w)
		return;
	for (i = 0; i < w->nfds; i++)
		wbpf_wasi__fd_release(&w->fds[i]);
	free(w->fds);
	wbpf_wasi_env_free(w->argv);
	wbpf_wasi_env_free(w->env);
	free(w);
}
