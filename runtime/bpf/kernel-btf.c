// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's BTF for libbpf, mapped rather than read (docs/abi.md,
 * "Loading an object").
 *
 * libbpf loads the kernel's BTF (/sys/kernel/btf/vmlinux, some 5 MiB) in
 * bpf_object__load() of nearly every object, for CO-RE relocations and
 * BTF-typed programs. libbpf 1.1 to 1.5 read it: sysfs hands out 4 KiB per
 * read(), so that is some 1,300 system calls into one buffer, then a copy of
 * it into a second; on the development VM, 40 ms, half of a tool's start-up.
 * Kernels since 6.16 let the file be mapped. Mapped, the same bytes reach
 * btf__new(), which copies them once, with no read() at all: what libbpf
 * itself does from version 1.6 on.
 *
 * libbpf.o asks btf.o for it through btf__load_vmlinux_btf(); programs link
 * libbpf statically with --wrap=btf__load_vmlinux_btf, so the request comes
 * here. Where the file cannot be mapped (an older kernel, no sysfs) or what
 * it maps is not BTF, libbpf's own function answers, as without the wrap:
 * its search of the other places, its messages. Linked without the flag,
 * __real_btf__load_vmlinux_btf is unresolved (weak) and this is never
 * called.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "bpf-priv.h"

#define KERNEL_BTF "/sys/kernel/btf/vmlinux"

struct btf *__real_btf__load_vmlinux_btf(void) __attribute__((weak));
struct btf *__wrap_btf__load_vmlinux_btf(void);

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The kernel's BTF from a mapping of KERNEL_BTF, or NULL (errno set). */
static struct btf *map_kernel_btf(void)
{
	struct btf *btf = NULL;
	struct stat st;
	void *data;
	int fd, err;

	fd = open(KERNEL_BTF, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		err = errno ? errno : EINVAL;
		goto out;
	}
	data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (data == MAP_FAILED) {
		err = errno;
		goto out;
	}
	/* a copy of its own: the mapping goes now */
	btf = btf__new(data, (size_t)st.st_size);
	err = btf ? 0 : errno;
	munmap(data, (size_t)st.st_size);
out:
	close(fd);
	errno = err;
	return btf;
}

struct btf *__wrap_btf__load_vmlinux_btf(void)
{
	const char *env = getenv("WASMBPF_DEBUG");
	long long t0 = now_us();
	struct btf *btf;

	btf = map_kernel_btf();
	if (!btf)
		return __real_btf__load_vmlinux_btf();
	if (env && *env && strcmp(env, "0") != 0)
		fprintf(stderr, "%s: kernel BTF of %u types mapped from %s in %lld us\n",
			wbpf_bpf__prog_name(), btf__type_cnt(btf) - 1, KERNEL_BTF, now_us() - t0);
	return btf;
}
