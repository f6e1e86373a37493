// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's BTF for libbpf: mapped rather than read, and made while the
 * guest's object is checked (docs/abi.md, "Loading an object" and "BTF").
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
 * __real_btf__load_vmlinux_btf is unresolved (weak) and none of this runs.
 *
 * Ahead of the request: while a child process checks the guest's object
 * (check.c), the host would only wait. When the object's bytes show that
 * libbpf will want the kernel's BTF (wbpf_bpf__wants_kernel_btf()), the host
 * maps it in that time (wbpf_bpf__kernel_btf_ahead()), and libbpf's next
 * request takes that one. Nothing of the object is parsed for this: a
 * search of its bytes, whose only effect when wrong is the time spent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "bpf-priv.h"

#define KERNEL_BTF "/sys/kernel/btf/vmlinux"

struct btf *__real_btf__load_vmlinux_btf(void) __attribute__((weak));
struct btf *__wrap_btf__load_vmlinux_btf(void);

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

/* made ahead of libbpf's request, for it */
static struct btf *ahead;

/* The kernel's BTF from a mapping, timed for WASMBPF_DEBUG; NULL if not. */
static struct btf *map_timed(const char *when)
{
	long long t0 = wbpf_bpf__now_us();
	struct btf *btf = map_kernel_btf();

	if (btf && wbpf_bpf__debug())
		fprintf(stderr, "%s: kernel BTF of %u types mapped from %s in %lld us%s\n",
			wbpf_bpf__prog_name(), btf__type_cnt(btf) - 1, KERNEL_BTF,
			wbpf_bpf__now_us() - t0, when);
	return btf;
}

struct btf *__wrap_btf__load_vmlinux_btf(void)
{
	struct btf *btf = ahead;

	ahead = NULL;
	if (!btf)
		btf = map_timed("");
	return btf ? btf : __real_btf__load_vmlinux_btf();
}

/* a BTF header at p with n bytes after it: struct btf_ext_header with CO-RE
 * relocations (magic, version 1, hdr_len 32 or more, core_relo_len not 0) */
static bool core_relos_at(const unsigned char *p, size_t n)
{
	uint32_t hdr_len, core_relo_len;

	if (n < 32 || p[0] != 0x9f || p[1] != 0xeb || p[2] != 1)
		return false;
	memcpy(&hdr_len, p + 4, 4);
	memcpy(&core_relo_len, p + 28, 4);
	return hdr_len >= 32 && hdr_len < 1024 && core_relo_len != 0;
}

bool wbpf_bpf__wants_kernel_btf(const void *elf, size_t size)
{
	/* section names of programs and externs that need the kernel's types */
	static const char *const names[] = {
		"tp_btf/",     "fentry/", "fexit/",  "fmod_ret/",  "lsm/",   "lsm.s/",
		"lsm_cgroup/", "iter/",	  "iter.s/", "struct_ops", ".ksyms",
	};
	const unsigned char *p = elf, *end = p + size;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (memmem(elf, size, names[i], strlen(names[i])))
			return true;
	/* CO-RE relocations: the .BTF.ext header says how many bytes of them */
	while ((p = memchr(p, 0x9f, (size_t)(end - p)))) {
		if (core_relos_at(p, (size_t)(end - p)))
			return true;
		p++;
	}
	return false;
}

void wbpf_bpf__kernel_btf_ahead(void)
{
	/* without the wrap, libbpf would never take it */
	if (!ahead && __real_btf__load_vmlinux_btf)
		ahead = map_timed(", while the object was checked");
}

void wbpf_bpf__kernel_btf_drop(void)
{
	btf__free(ahead);
	ahead = NULL;
}
