// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The build cache: executables stored under the SHA-256 of everything that
 * went into them (wbpf_cache_key()), one file per key in one
 * directory, written to a temporary name and renamed so a reader never sees
 * a partial entry, bounded by removing the least recently used entries.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"

/* ---------------------------------------------------------------- key */

static void key_len(struct wbpf_sha256 *s, uint64_t n)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(n >> (8 * i));
	wbpf_sha256_update(s, b, sizeof(b));
}

void wbpf_key_bytes(struct wbpf_sha256 *s, const void *p, size_t len)
{
	key_len(s, len);
	wbpf_sha256_update(s, p, len);
}

void wbpf_key_str(struct wbpf_sha256 *s, const char *tag, const char *v)
{
	wbpf_key_bytes(s, tag, strlen(tag));
	wbpf_key_bytes(s, v, strlen(v));
}

void wbpf_key_list(struct wbpf_sha256 *s, const char *tag, char *const *v, size_t n)
{
	size_t i;

	wbpf_key_bytes(s, tag, strlen(tag));
	key_len(s, n);
	for (i = 0; i < n; i++)
		wbpf_key_bytes(s, v[i], strlen(v[i]));
}

int wbpf_key_file(struct wbpf_sha256 *s, const char *tag, const char *path)
{
	char buf[65536];
	struct stat st;
	uint64_t left;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		goto cleanup;
	}
	wbpf_key_bytes(s, tag, strlen(tag));
	key_len(s, (uint64_t)st.st_size);
	for (left = (uint64_t)st.st_size; left;) {
		ssize_t n = read(fd, buf, left < sizeof(buf) ? left : sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto cleanup;
		}
		if (n == 0) {
			ret = -EIO; /* shrank while reading */
			goto cleanup;
		}
		wbpf_sha256_update(s, buf, (size_t)n);
		left -= (uint64_t)n;
	}
cleanup:
	close(fd);
	return ret;
}

int wbpf_find_program(const char *name, char *buf, size_t bufsz)
{
	const char *path = getenv("PATH"), *p, *end;
	char cand[PATH_MAX];
	struct stat st;

	if (!name[0])
		return -ENOENT;
	if (strchr(name, '/')) {
		if (stat(name, &st))
			return -errno;
		if (!S_ISREG(st.st_mode) || access(name, X_OK))
			return -EACCES;
		return realpath(name, buf) && strlen(buf) < bufsz ? 0 : -errno;
	}
	if (!path)
		path = "/usr/local/bin:/bin:/usr/bin"; /* execvp's default */
	for (p = path;; p = end + 1) {
		int n;

		end = strchrnul(p, ':');
		if (end == p)
			n = snprintf(cand, sizeof(cand), "%s", name); /* empty entry: "." */
		else
			n = snprintf(cand, sizeof(cand), "%.*s/%s", (int)(end - p), p, name);
		if (n > 0 && (size_t)n < sizeof(cand) && !stat(cand, &st) && S_ISREG(st.st_mode) &&
		    !access(cand, X_OK))
			return realpath(cand, buf) && strlen(buf) < bufsz ? 0 : -ENOENT;
		if (!*end)
			return -ENOENT;
	}
}

int wbpf_key_program(struct wbpf_sha256 *s, const char *tag, const char *name)
{
	char real[PATH_MAX], id[64];
	struct stat st;
	int ret;

	ret = wbpf_find_program(name, real, sizeof(real));
	if (ret)
		return ret;
	if (stat(real, &st))
		return -errno;
	snprintf(id, sizeof(id), "%lld %lld.%09ld", (long long)st.st_size,
		 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	wbpf_key_bytes(s, tag, strlen(tag));
	wbpf_key_bytes(s, real, strlen(real));
	wbpf_key_bytes(s, id, strlen(id));
	return 0;
}

/* Each file of dir (the runtime's headers), in name order. */
static int key_dir(struct wbpf_sha256 *s, const char *dir, char *why, size_t whysz)
{
	struct dirent **names = NULL;
	char path[PATH_MAX];
	int i, n, ret = 0;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		ret = -errno;
		snprintf(why, whysz, "cannot read %s: %s", dir, strerror(-ret));
		return ret;
	}
	for (i = 0; i < n && !ret; i++) {
		if (names[i]->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		ret = wbpf_key_file(s, names[i]->d_name, path);
		if (ret)
			snprintf(why, whysz, "cannot read runtime header %s: %s", names[i]->d_name,
				 strerror(-ret));
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

int wbpf_cache_key(const struct wbpf_cache_input *in, char *hex, char *why, size_t whysz)
{
	uint8_t d[WBPF_SHA256_LEN];
	struct wbpf_sha256 s;
	size_t i, w;
	int ret;

	wbpf_sha256_init(&s);
	wbpf_key_str(&s, "format", "wasmbpf-aot build cache 2");
	wbpf_key_str(&s, "version", WBPF_VERSION);
	ret = wbpf_key_program(&s, "driver", "/proc/self/exe");
	if (ret) {
		snprintf(why, whysz, "cannot identify this program: %s", strerror(-ret));
		return ret;
	}
	ret = wbpf_key_file(&s, "module", in->module);
	if (ret) {
		snprintf(why, whysz, "cannot read %s: %s", in->module, strerror(-ret));
		return ret;
	}
	ret = wbpf_key_file(&s, "runtime", in->runtime);
	if (ret) {
		snprintf(why, whysz, "cannot read %s: %s", in->runtime, strerror(-ret));
		return ret;
	}
	ret = key_dir(&s, in->header_dir, why, whysz);
	if (ret)
		return ret;
	wbpf_key_bytes(&s, "glue", 4);
	wbpf_key_bytes(&s, in->glue, in->glue_len);
	/* every command as run, and each program among its leading words (a
	 * launcher, the compiler) by identity */
	for (i = 0; i < in->ncmds; i++) {
		char *const *argv = in->cmds[i];

		for (w = 0; argv[w]; w++)
			;
		wbpf_key_list(&s, "command", argv, w);
		for (w = 0; argv[w] && argv[w][0] != '-'; w++) {
			ret = wbpf_key_program(&s, "program", argv[w]);
			if (ret && w == 0) {
				snprintf(why, whysz, "cannot find '%s': %s", argv[0],
					 strerror(-ret));
				return ret;
			}
		}
	}
	wbpf_sha256_final(&s, d);
	wbpf_sha256_hex(d, hex);
	return 0;
}

/* ---------------------------------------------------------------- directory */

/* mkdir -p with mode 0700 for what it creates. */
static int mkdirs(const char *path)
{
	char buf[PATH_MAX], *p;

	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf))
		return -ENAMETOOLONG;
	for (p = buf + 1;; p++) {
		if (*p && *p != '/')
			continue;
		if (p[-1] != '/') {
			char c = *p;

			*p = '\0';
			if (mkdir(buf, 0700) && errno != EEXIST)
				return -errno;
			*p = c;
		}
		if (!*p)
			return 0;
	}
}

int wbpf_cache_dir(char *buf, size_t bufsz, char *why, size_t whysz)
{
	const char *env = getenv("WASMBPF_AOT_CACHE"), *base;
	struct stat st;
	int n, ret;

	why[0] = '\0';
	if (env) {
		if (!env[0] || !strcmp(env, "off")) {
			snprintf(why, whysz, "disabled by WASMBPF_AOT_CACHE");
			return 1;
		}
		n = snprintf(buf, bufsz, "%s", env);
	} else if ((base = getenv("XDG_CACHE_HOME")) && base[0] == '/') {
		n = snprintf(buf, bufsz, "%s/wasmbpf-aot", base);
	} else if ((base = getenv("HOME")) && base[0]) {
		n = snprintf(buf, bufsz, "%s/.cache/wasmbpf-aot", base);
	} else {
		snprintf(why, whysz, "off: neither WASMBPF_AOT_CACHE nor HOME is set");
		return 1;
	}
	if (n < 0 || (size_t)n >= bufsz || (size_t)n > PATH_MAX - 128) {
		snprintf(why, whysz, "directory name too long");
		return -ENAMETOOLONG;
	}
	ret = mkdirs(buf);
	if (!ret && stat(buf, &st))
		ret = -errno;
	if (!ret && !S_ISDIR(st.st_mode))
		ret = -ENOTDIR;
	if (ret) {
		snprintf(why, whysz, "%s: %s", buf, strerror(-ret));
		return ret;
	}
	/* a directory others can write could hand us their executables */
	if (st.st_uid != geteuid() || (st.st_mode & 022)) {
		snprintf(why, whysz, "%s: not owned by this user or writable by others", buf);
		return -EPERM;
	}
	return 0;
}

/* ---------------------------------------------------------------- entries */

int wbpf_cache_open(const char *dir, const char *hex)
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, hex) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_size) {
		close(fd);
		return -ENOENT;
	}
	/* recently used: pruning keeps it */
	utimensat(AT_FDCWD, path, NULL, 0);
	return fd;
}

int wbpf_copy_fd(int in, int out)
{
	char buf[65536];
	off_t off = 0;
	ssize_t n;

	for (;;) {
		n = pread(in, buf, sizeof(buf), off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		off += n;
		for (char *p = buf; n > 0;) {
			ssize_t w = write(out, p, (size_t)n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			p += w;
			n -= w;
		}
	}
}

int wbpf_cache_store(const char *dir, const char *hex, int fd)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	int out, ret;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, hex) >= sizeof(path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/%s.tmp.XXXXXX", dir, hex) >= sizeof(tmp))
		return -ENAMETOOLONG;
	out = wbpf_tmpfile_create(tmp);
	if (out < 0)
		return out;
	ret = wbpf_copy_fd(fd, out);
	if (!ret && fsync(out))
		ret = -errno;
	if (close(out) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	wbpf_tmpfile_release();
	return ret;
}

struct entry {
	char name[2 * WBPF_SHA256_LEN + 1];
	struct timespec mtime;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

static bool is_key(const char *s)
{
	return strlen(s) == 2 * WBPF_SHA256_LEN && !s[strspn(s, "0123456789abcdef")];
}

/* KEY.tmp.XXXXXX, the name of an entry being stored */
static bool is_tmp(const char *s)
{
	return strspn(s, "0123456789abcdef") == 2 * WBPF_SHA256_LEN &&
	       !strncmp(s + 2 * WBPF_SHA256_LEN, ".tmp.", 5);
}

int wbpf_cache_prune(const char *dir, size_t max)
{
	struct entry *v = NULL, *nv;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	struct stat st;
	time_t now = time(NULL);
	DIR *d;
	int dfd, ret = 0;

	d = opendir(dir);
	if (!d)
		return -errno;
	dfd = dirfd(d);
	while ((de = readdir(d))) {
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		/* a store interrupted by a crash: gone after a day */
		if (is_tmp(de->d_name) && st.st_mtime < now - 86400) {
			unlinkat(dfd, de->d_name, 0);
			continue;
		}
		if (!is_key(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 128;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				ret = -ENOMEM;
				goto cleanup;
			}
			v = nv;
		}
		strcpy(v[n].name, de->d_name);
		v[n].mtime = st.st_mtim;
		n++;
	}
	if (n <= max)
		goto cleanup;
	qsort(v, n, sizeof(*v), entry_cmp);
	for (i = 0; i < n - max; i++) {
		if (unlinkat(dfd, v[i].name, 0) && errno != ENOENT && !ret)
			ret = -errno;
	}
	if (!ret)
		ret = (int)(n - max);
cleanup:
	free(v);
	closedir(d);
	return ret;
}
