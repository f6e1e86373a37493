// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Targets (--target): which machine the executable is for. The native one uses
 * the runtime archive in lib/wasmbpf-aot and the link lines the build probed
 * (WBPF_BPF_LINK, WBPF_BPF_STATIC_LINK); another one uses the archive the build
 * made with Debian's cross compiler in lib/wasmbpf-aot/TRIPLET, the link lines
 * probed with that compiler in lib/wasmbpf-aot/TRIPLET/link-flags ("link ..."
 * and "static ..." lines), and TRIPLET-gcc.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"

static const struct wbpf_target targets[] = {
	{"x86_64", "x86_64-linux-gnu", "amd64", "gcc-x86-64-linux-gnu", false},
	{"aarch64", "aarch64-linux-gnu", "arm64", "gcc-aarch64-linux-gnu", false},
};

/* the machine this driver (and so its native runtime) was built for */
#if defined(__x86_64__)
#define NATIVE_ARCH "x86_64"
#elif defined(__aarch64__)
#define NATIVE_ARCH "aarch64"
#else
#define NATIVE_ARCH ""
#endif

static bool is_native(const struct wbpf_target *t)
{
	return !strcmp(t->arch, NATIVE_ARCH);
}

const struct wbpf_target *wbpf_target__native(void)
{
	static const struct wbpf_target other = {"native", "", "", "", true};
	static struct wbpf_target native;
	size_t i;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		if (is_native(&targets[i])) {
			native = targets[i];
			native.native = true;
			return &native;
		}
	}
	return &other;
}

const struct wbpf_target *wbpf_target__at(size_t i)
{
	if (i >= sizeof(targets) / sizeof(targets[0]))
		return NULL;
	return is_native(&targets[i]) ? wbpf_target__native() : &targets[i];
}

/* ARCH, the Debian architecture, ARCH-linux-gnu, or ARCH-VENDOR-linux-gnu as
 * compilers spell it (pc, unknown). */
const struct wbpf_target *wbpf_target__find(const char *name)
{
	static const char *const vendors[] = {"", "pc-", "unknown-"};
	const struct wbpf_target *t;
	size_t i, j, n;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		t = &targets[i];
		if (!strcmp(name, t->arch) || !strcmp(name, t->deb_arch))
			goto found;
		n = strlen(t->arch);
		if (strncmp(name, t->arch, n) || name[n] != '-')
			continue;
		for (j = 0; j < sizeof(vendors) / sizeof(vendors[0]); j++) {
			size_t v = strlen(vendors[j]);

			if (!strncmp(name + n + 1, vendors[j], v) &&
			    !strcmp(name + n + 1 + v, "linux-gnu"))
				goto found;
		}
	}
	return NULL;
found:
	return is_native(t) ? wbpf_target__native() : t;
}

void wbpf_target__hint(const struct wbpf_target *t, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "apt-get install %s libbpf-dev:%s libelf-dev:%s zlib1g-dev:%s",
		 t->gcc_pkg, t->deb_arch, t->deb_arch, t->deb_arch);
}

/* One "NAME VALUE" line of link-flags into buf: 0, or -EINVAL if it is not there. */
static int flags_line(const char *text, const char *name, char *buf, size_t bufsz)
{
	size_t n = strlen(name), len;
	const char *p;

	for (p = text; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		if (strncmp(p, name, n) || (p[n] != ' ' && p[n] != '\n' && p[n]))
			continue;
		p += n + (p[n] == ' ');
		len = strcspn(p, "\n");
		if (len >= bufsz)
			return -E2BIG;
		memcpy(buf, p, len);
		buf[len] = '\0';
		return 0;
	}
	return -EINVAL;
}

int wbpf_target__runtime(const struct wbpf_target *t, const char *home, char *lib, size_t libsz,
			 char *link, char *static_link, size_t linksz)
{
	char path[4096], text[4096];
	FILE *f = NULL;
	size_t n;
	int ret = 0;

	if (t->native) {
		if ((size_t)snprintf(lib, libsz, "%s/lib/wasmbpf-aot/libwbpf-rt.a", home) >= libsz)
			return -ENAMETOOLONG;
		snprintf(link, linksz, "%s", WBPF_BPF_LINK);
		snprintf(static_link, linksz, "%s", WBPF_BPF_STATIC_LINK);
		return 0;
	}
	if ((size_t)snprintf(lib, libsz, "%s/lib/wasmbpf-aot/%s/libwbpf-rt.a", home, t->triplet) >=
		    libsz ||
	    (size_t)snprintf(path, sizeof(path), "%s/lib/wasmbpf-aot/%s/link-flags", home,
			     t->triplet) >= sizeof(path))
		return -ENAMETOOLONG;
	if (access(lib, R_OK))
		return -errno;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fread(text, 1, sizeof(text) - 1, f);
	if (ferror(f) || n == sizeof(text) - 1) {
		ret = ferror(f) ? -EIO : -E2BIG;
		goto cleanup;
	}
	text[n] = '\0';
	ret = flags_line(text, "link", link, linksz);
	if (!ret)
		ret = flags_line(text, "static", static_link, linksz);
cleanup:
	fclose(f);
	return ret;
}
