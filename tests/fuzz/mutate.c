// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * mutate: find one-byte changes of a real BPF object that crash libbpf's
 * bpf_object__open_mem() in-process, deterministically (fixed seed).
 *
 * Usage: mutate [-a|-t] [-q] [-k KEEP] OBJ SEED N
 *   tries N mutations of OBJ: one byte of its .BTF section (-a: of the whole
 *   file; -t: of the BTF type records only) set to another value, offset
 *   and value drawn from SEED; each is opened by plain libbpf in a forked
 *   child, with no filter and no handler, as the host would open it without
 *   its check. Prints a line
 *     crash OFFSET VALUE SIGNAL
 *   for each of the first KEEP (default 8) that killed the child (-q: and
 *   stops there), then
 *     mutate: N mutations, C crashed libbpf, R refused, O opened
 * This tool does not use the runtime's check: it is the independent witness
 * the abi tier uses to pick objects that would crash a host without it.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>

static uint64_t rng;

static uint64_t next_rand(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* [*off, *off + *len) of section name in a little-endian ELF64 file, read checked */
static int find_section(const uint8_t *b, size_t n, const char *name, size_t *off, size_t *len)
{
	const Elf64_Ehdr *eh = (const void *)b;
	const Elf64_Shdr *sh, *strs;
	size_t i;

	if (n < sizeof(*eh) || memcmp(b, ELFMAG, SELFMAG) || eh->e_shentsize != sizeof(*sh) ||
	    eh->e_shoff > n || (n - eh->e_shoff) / sizeof(*sh) < eh->e_shnum ||
	    eh->e_shstrndx >= eh->e_shnum)
		return -EINVAL;
	sh = (const void *)(b + eh->e_shoff);
	strs = &sh[eh->e_shstrndx];
	for (i = 0; i < eh->e_shnum; i++) {
		size_t no = strs->sh_offset + sh[i].sh_name;

		if (no >= n || strnlen((const char *)b + no, n - no) == n - no)
			continue;
		if (strcmp((const char *)b + no, name) == 0 && sh[i].sh_offset <= n &&
		    sh[i].sh_size <= n - sh[i].sh_offset && sh[i].sh_size) {
			*off = sh[i].sh_offset;
			*len = sh[i].sh_size;
			return 0;
		}
	}
	return -ENOENT;
}

/* 0 opened, 1 refused, or the signal that killed the child (as -sig) */
static int try_open(const uint8_t *b, size_t n)
{
	struct rlimit cpu = {2, 3}, core = {0, 0};
	struct bpf_object *obj;
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return 1000;
	if (pid == 0) {
		setrlimit(RLIMIT_CPU, &cpu);
		setrlimit(RLIMIT_CORE, &core);
		obj = bpf_object__open_mem(b, n, NULL);
		_exit(obj ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1000;
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return WEXITSTATUS(status) ? 1 : 0;
}

int main(int argc, char **argv)
{
	size_t size, lo = 0, span, off, tries, i;
	unsigned long keep = 8, crashed = 0, refused = 0, opened = 0;
	bool anywhere = false, types = false, stop = false;
	uint8_t *orig, *b, val;
	struct stat st;
	int fd, opt, r;

	while ((opt = getopt(argc, argv, "atqk:")) != -1) {
		if (opt == 'a')
			anywhere = true;
		else if (opt == 't')
			types = true;
		else if (opt == 'q')
			stop = true;
		else if (opt == 'k')
			keep = strtoul(optarg, NULL, 0);
		else
			goto usage;
	}
	if (argc - optind != 3)
		goto usage;
	rng = strtoull(argv[optind + 1], NULL, 0);
	tries = strtoull(argv[optind + 2], NULL, 0);
	fd = open(argv[optind], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || st.st_size <= 0) {
		fprintf(stderr, "mutate: cannot read %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	size = (size_t)st.st_size;
	orig = malloc(size);
	b = malloc(size);
	if (!orig || !b || read(fd, orig, size) != (ssize_t)size) {
		fprintf(stderr, "mutate: cannot read %s\n", argv[optind]);
		return 1;
	}
	close(fd);
	span = size;
	if (!anywhere && find_section(orig, size, ".BTF", &lo, &span)) {
		fprintf(stderr, "mutate: %s has no .BTF section\n", argv[optind]);
		return 1;
	}
	if (types) {
		/* struct btf_header: magic, version, flags, hdr_len, type_off, type_len */
		uint32_t h[4];

		if (span < 24) {
			fprintf(stderr, "mutate: short .BTF section\n");
			return 1;
		}
		memcpy(h, orig + lo + 4, sizeof(h));
		if ((uint64_t)h[0] + h[1] + h[2] > span || !h[2]) {
			fprintf(stderr, "mutate: bad .BTF header\n");
			return 1;
		}
		lo += h[0] + h[1];
		span = h[2];
	}
	libbpf_set_print(quiet);
	for (i = 0; i < tries && !(stop && crashed >= keep); i++) {
		off = lo + next_rand() % span;
		val = (uint8_t)(orig[off] + 1 + next_rand() % 255);
		memcpy(b, orig, size);
		b[off] = val;
		r = try_open(b, size);
		if (r < 0) {
			if (crashed++ < keep)
				printf("crash %zu %u %s\n", off, val, sigabbrev_np(-r));
		} else if (r == 0) {
			opened++;
		} else {
			refused++;
		}
	}
	printf("mutate: %zu mutations, %lu crashed libbpf, %lu refused, %lu opened\n", i, crashed,
	       refused, opened);
	return 0;

usage:
	fprintf(stderr, "usage: mutate [-a|-t] [-q] [-k KEEP] OBJ SEED N\n");
	return 2;
}
