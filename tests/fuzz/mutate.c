// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * mutate: find one-byte changes of a real BPF object that crash libbpf's
 * bpf_object__open_mem() in-process, deterministically (fixed seed).
 *
 * Usage: mutate [-a|-t] [-q] [-k KEEP] OBJ SEED N
 *        mutate -L OBJ
 *   tries N mutations of OBJ: one byte of its .BTF section (-a: of the whole
 *   file; -t: of the BTF type records only) set to another value, offset
 *   and value drawn from SEED; each is opened by plain libbpf in a forked
 *   child, with no filter and no handler, as the host would open it without
 *   its check. Prints a line
 *     crash OFFSET VALUE SIGNAL
 *   for each of the first KEEP (default 8) that killed the child (-q: and
 *   stops there), then
 *     mutate: N mutations, C crashed libbpf, R refused, O opened
 * With -L it makes one object instead: OBJ whose first map is a typedef of
 * itself (the first typedef of the BTF made to name itself, and the map's
 * variable given that type). libbpf before 1.2 follows such a chain forever
 * while it opens the object. Prints
 *     loop OFFSET:VALUE[,OFFSET:VALUE...] HOW
 * the bytes changed and what the open did: the signal that ended it (XCPU:
 * its CPU limit), "refused" or "opened".
 * This tool does not use the runtime's check: it is the independent witness
 * the abi tier uses to pick objects that would crash a host without it.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
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

static uint32_t get32(const uint8_t *b)
{
	uint32_t v;

	memcpy(&v, b, sizeof(v));
	return v;
}

/* the bytes of the 32-bit field at off set to v, as OFF:VAL pairs appended to out */
static void set32(uint8_t *b, const uint8_t *orig, size_t off, uint32_t v, char *out, size_t outsz)
{
	size_t i, n;

	memcpy(b + off, &v, sizeof(v));
	for (i = off; i < off + 4; i++) {
		if (b[i] == orig[i])
			continue;
		n = strlen(out);
		snprintf(out + n, outsz - n, "%s%zu:%u", n ? "," : "", i, b[i]);
	}
}

/* the size of the BTF type record with this info word, 0 for an unknown kind */
static size_t btf_rec_size(uint32_t info)
{
	/* bytes after struct btf_type, per kind (multiplied by vlen where marked) */
	static const uint8_t extra[20] = {0, 4, 0, 12, 12, 12, 8, 0, 0, 0,
					  0, 0, 0, 8,  4,  12, 0, 4, 0, 12};
	static const bool per_member[20] = {[4] = true, [5] = true, [6] = true,
					    [13] = true, [15] = true, [19] = true};
	uint32_t kind = (info >> 24) & 0x1f, vlen = info & 0xffff;

	if (kind == 0 || kind >= sizeof(extra))
		return 0;
	return 12 + (per_member[kind] ? (size_t)extra[kind] * vlen : extra[kind]);
}

/* -L: see the top; 0, or 1 when OBJ has no typedef or no .maps */
static int make_loop(const uint8_t *orig, size_t size)
{
	size_t lo, span, off, end, strs, rec, typedef_off = 0, var_off = 0;
	uint32_t hdr_len, type_off, type_len, str_off, info, id, typedef_id = 0, map_var = 0;
	char changes[256] = "";
	const char *name;
	uint8_t *b;
	int r;

	if (find_section(orig, size, ".BTF", &lo, &span) || span < 24)
		return 1;
	hdr_len = get32(orig + lo + 4);
	type_off = get32(orig + lo + 8);
	type_len = get32(orig + lo + 12);
	str_off = get32(orig + lo + 16);
	if ((uint64_t)hdr_len + type_off + type_len > span || (uint64_t)hdr_len + str_off >= span)
		return 1;
	off = lo + hdr_len + type_off;
	end = off + type_len;
	strs = lo + hdr_len + str_off;
	/* struct btf_type: name_off, info (kind << 24 | vlen), size or type; ids from 1 */
	for (id = 1; off + 12 <= end; id++, off += rec) {
		info = get32(orig + off + 4);
		rec = btf_rec_size(info);
		if (!rec)
			return 1;
		if ((info >> 24) == 8 /* TYPEDEF */ && !typedef_id) {
			typedef_id = id;
			typedef_off = off;
		}
		if ((info >> 24) == 14 /* VAR */ && id == map_var)
			var_off = off;
		name = strs + get32(orig + off) < size ? (const char *)orig + strs + get32(orig + off)
						       : "";
		/* DATASEC .maps: the type of its first btf_var_secinfo, a VAR after it */
		if ((info >> 24) == 15 && (info & 0xffff) && !map_var && !strcmp(name, ".maps"))
			map_var = get32(orig + off + 12);
	}
	if (!typedef_id || !var_off) {
		/* the VAR came before its DATASEC: look again */
		for (off = lo + hdr_len + type_off, id = 1; off + 12 <= end && !var_off;
		     id++, off += btf_rec_size(get32(orig + off + 4)))
			if (id == map_var && (get32(orig + off + 4) >> 24) == 14)
				var_off = off;
	}
	if (!typedef_id || !var_off)
		return 1;
	b = malloc(size);
	if (!b)
		return 1;
	memcpy(b, orig, size);
	set32(b, orig, typedef_off + 8, typedef_id, changes, sizeof(changes));
	set32(b, orig, var_off + 8, typedef_id, changes, sizeof(changes));
	r = try_open(b, size);
	printf("loop %s %s\n", changes, r < 0 ? sigabbrev_np(-r) : r == 0 ? "opened" : "refused");
	free(b);
	return 0;
}

int main(int argc, char **argv)
{
	size_t size, lo = 0, span, off, tries = 0, i;
	unsigned long keep = 8, crashed = 0, refused = 0, opened = 0;
	bool anywhere = false, types = false, stop = false, loop = false;
	uint8_t *orig, *b, val;
	struct stat st;
	int fd, opt, r;

	while ((opt = getopt(argc, argv, "atqk:L")) != -1) {
		if (opt == 'L')
			loop = true;
		else if (opt == 'a')
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
	if (argc - optind != (loop ? 1 : 3))
		goto usage;
	if (!loop) {
		rng = strtoull(argv[optind + 1], NULL, 0);
		tries = strtoull(argv[optind + 2], NULL, 0);
	}
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
	if (loop) {
		libbpf_set_print(quiet);
		if (make_loop(orig, size)) {
			fprintf(stderr, "mutate: %s: no typedef or no map in its BTF\n", argv[optind]);
			return 1;
		}
		return 0;
	}
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
	fprintf(stderr, "usage: mutate [-a|-t] [-q] [-k KEEP] OBJ SEED N\n       mutate -L OBJ\n");
	return 2;
}
