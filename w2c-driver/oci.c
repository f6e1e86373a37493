// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --oci-archive: an OCI image (image-spec 1.0) holding one static executable
 * as its entrypoint, written as an image-layout tar archive (what
 * `skopeo copy oci-archive:FILE ...` and `podman load` read).
 *
 *   oci-layout, index.json          the layout; the index names one manifest
 *   blobs/sha256/<layer>            a tar of one file, /NAME, mode 0755
 *   blobs/sha256/<config>           architecture, os, Entrypoint ["/NAME"]
 *   blobs/sha256/<manifest>         the config and the one layer
 *
 * Deterministic: every tar header has uid/gid 0, mtime 0 and fixed modes, the
 * JSON has a fixed key order and no timestamps, so the same executable gives
 * the same archive bytes and the same image digest.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"

#define TAR_BLOCK 512

/* A blob in memory and its digest. */
struct blob {
	char *data;
	size_t len;
	char hex[2 * WBPF_SHA256_LEN + 1];
};

static void blob_digest(struct blob *b)
{
	uint8_t d[WBPF_SHA256_LEN];
	struct wbpf_sha256 s;

	wbpf_sha256_init(&s);
	wbpf_sha256_update(&s, b->data, b->len);
	wbpf_sha256_final(&s, d);
	wbpf_sha256_hex(d, b->hex);
}

/* ustar header for a regular file or directory (type '0' or '5'). */
static void tar_header(uint8_t *h, const char *name, size_t size, unsigned int mode, char type)
{
	unsigned int sum = 0;
	size_t i;

	memset(h, 0, TAR_BLOCK);
	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", mode);
	snprintf((char *)h + 108, 8, "%07o", 0);	       /* uid */
	snprintf((char *)h + 116, 8, "%07o", 0);	       /* gid */
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
	snprintf((char *)h + 136, 12, "%011o", 0);	       /* mtime */
	h[156] = (uint8_t)type;
	memcpy(h + 257, "ustar", 6);			       /* magic, NUL */
	memcpy(h + 263, "00", 2);			       /* version */
	memset(h + 148, ' ', 8);
	for (i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);	       /* six digits, NUL, space */
	h[155] = ' ';
}

/* One member: header, data, padding to the block size. */
static int tar_put(FILE *f, const char *name, const void *data, size_t len, unsigned int mode,
		   char type)
{
	static const uint8_t zero[TAR_BLOCK];
	uint8_t h[TAR_BLOCK];

	if (strlen(name) >= 100)
		return -ENAMETOOLONG;
	tar_header(h, name, len, mode, type);
	if (fwrite(h, 1, sizeof(h), f) != sizeof(h) || (len && fwrite(data, 1, len, f) != len))
		return -EIO;
	if (len % TAR_BLOCK &&
	    fwrite(zero, 1, TAR_BLOCK - len % TAR_BLOCK, f) != TAR_BLOCK - len % TAR_BLOCK)
		return -EIO;
	return 0;
}

static int tar_end(FILE *f)
{
	static const uint8_t zero[2 * TAR_BLOCK];

	return fwrite(zero, 1, sizeof(zero), f) == sizeof(zero) ? 0 : -EIO;
}

static int read_all(const char *path, char **data, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t off = 0;
	int fd, ret = 0;

	*data = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto cleanup;
	}
	*len = (size_t)st.st_size;
	*data = malloc(*len ? *len : 1);
	if (!*data) {
		ret = -ENOMEM;
		goto cleanup;
	}
	while (off < *len) {
		n = read(fd, *data + off, *len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			goto cleanup;
		}
		off += (size_t)n;
	}
cleanup:
	close(fd);
	if (ret) {
		free(*data);
		*data = NULL;
	}
	return ret;
}

/* A blob built by printing into memory. */
static int blob_printf(struct blob *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int blob_printf(struct blob *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&b->data, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->data = NULL;
		return -ENOMEM;
	}
	b->len = (size_t)n;
	blob_digest(b);
	return 0;
}

int wbpf_oci_write(const char *archive, const char *exe, const char *name, const char *arch,
		   char *err, size_t errsz)
{
	struct blob layer = {0}, config = {0}, manifest = {0}, index = {0};
	char *bin = NULL, member[128], tmp[PATH_MAX];
	size_t binlen = 0;
	struct stat st;
	FILE *lf = NULL, *f = NULL;
	int fd = -1, ret;

	/* the layer: /NAME */
	ret = read_all(exe, &bin, &binlen);
	if (ret) {
		snprintf(err, errsz, "cannot read %s: %s", exe, strerror(-ret));
		goto cleanup;
	}
	lf = open_memstream(&layer.data, &layer.len);
	if (!lf) {
		ret = -errno;
		goto oom;
	}
	ret = tar_put(lf, name, bin, binlen, 0755, '0');
	if (!ret)
		ret = tar_end(lf);
	if (fclose(lf) && !ret)
		ret = -EIO;
	lf = NULL;
	if (ret) {
		snprintf(err, errsz, "cannot write the image layer: %s", strerror(-ret));
		goto cleanup;
	}
	blob_digest(&layer);

	ret = blob_printf(&config,
			  "{\"architecture\":\"%s\",\"os\":\"linux\","
			  "\"config\":{\"Entrypoint\":[\"/%s\"]},"
			  "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:%s\"]}}",
			  arch, name, layer.hex);
	if (ret)
		goto oom;
	ret = blob_printf(&manifest,
			  "{\"schemaVersion\":2,"
			  "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
			  "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
			  "\"digest\":\"sha256:%s\",\"size\":%zu},"
			  "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
			  "\"digest\":\"sha256:%s\",\"size\":%zu}]}",
			  config.hex, config.len, layer.hex, layer.len);
	if (ret)
		goto oom;
	ret = blob_printf(&index,
			  "{\"schemaVersion\":2,"
			  "\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
			  "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
			  "\"digest\":\"sha256:%s\",\"size\":%zu,"
			  "\"platform\":{\"architecture\":\"%s\",\"os\":\"linux\"},"
			  "\"annotations\":{\"org.opencontainers.image.ref.name\":\"%s\"}}]}",
			  manifest.hex, manifest.len, arch, "latest");
	if (ret)
		goto oom;

	/* the archive, next to its final name, renamed into place: never over
	 * something that is not a regular file */
	if (!stat(archive, &st) && !S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		snprintf(err, errsz, "cannot write %s: not a regular file", archive);
		goto cleanup;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", archive) >= sizeof(tmp)) {
		ret = -ENAMETOOLONG;
		snprintf(err, errsz, "cannot write %s: %s", archive, strerror(-ret));
		goto cleanup;
	}
	fd = wbpf_tmpfile_create(tmp);
	if (fd < 0) {
		ret = fd;
		fd = -1;
		snprintf(err, errsz, "cannot create %s: %s", archive, strerror(-ret));
		goto cleanup;
	}
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		goto oom;
	}
	fd = -1;
	ret = tar_put(f, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30, 0644, '0');
	if (!ret)
		ret = tar_put(f, "index.json", index.data, index.len, 0644, '0');
	if (!ret)
		ret = tar_put(f, "blobs/", NULL, 0, 0755, '5');
	if (!ret)
		ret = tar_put(f, "blobs/sha256/", NULL, 0, 0755, '5');
	if (!ret) {
		snprintf(member, sizeof(member), "blobs/sha256/%s", config.hex);
		ret = tar_put(f, member, config.data, config.len, 0644, '0');
	}
	if (!ret) {
		snprintf(member, sizeof(member), "blobs/sha256/%s", layer.hex);
		ret = tar_put(f, member, layer.data, layer.len, 0644, '0');
	}
	if (!ret) {
		snprintf(member, sizeof(member), "blobs/sha256/%s", manifest.hex);
		ret = tar_put(f, member, manifest.data, manifest.len, 0644, '0');
	}
	if (!ret)
		ret = tar_end(f);
	if (fclose(f) && !ret)
		ret = -EIO;
	f = NULL;
	if (!ret && chmod(tmp, 0644))
		ret = -errno;
	if (!ret && rename(tmp, archive))
		ret = -errno;
	if (ret) {
		snprintf(err, errsz, "cannot write %s: %s", archive, strerror(-ret));
		goto cleanup;
	}
	wbpf_tmpfile_release();
	ret = 0;
	goto cleanup;
oom:
	snprintf(err, errsz, "cannot build the image: %s", strerror(ret ? -ret : ENOMEM));
	if (!ret)
		ret = -ENOMEM;
cleanup:
	if (lf)
		fclose(lf);
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	free(bin);
	free(layer.data);
	free(config.data);
	free(manifest.data);
	free(index.data);
	return ret;
}
