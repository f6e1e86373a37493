// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * wasm_bpf_map_operate (docs/abi.md, "Map operations"), and the table it finds
 * maps in: one entry per file descriptor, filled at load time with each map's
 * type and the sizes the kernel gave then, emptied at close. A map operation
 * indexes it with the guest's fd (an fd that is not in it is -EBADF), checks
 * its ranges against the memory view the import took on entry, and makes one
 * bpf() call, the operation itself.
 *
 * Maps without keys (queue, stack, bloom filter: key_size 0) get a NULL key,
 * whatever the guest passed, as the kernel requires; their value range is
 * checked as for any map.
 *
 * The bpf() call is made here with the attributes libbpf's bpf_map_*_elem()
 * would pass (map_fd, key, value or next_key, flags, the rest 0), and on
 * x86_64 inline, not through libc's syscall(). Where page-table isolation
 * runs without PCID (some VMs), each return to user space flushes the TLB,
 * and every page the path touches between two calls is walked again on every
 * operation: libbpf's wrapper, the PLT, the GOT and libc's code were four of
 * them, 4 to 6% of a map lookup on such a VM (README, "Benchmarks").
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "bpf-priv.h"

int wbpf_bpf__add_map_fd(struct wbpf_bpf *b, struct wbpf_map *m, uint32_t key_size,
			 uint32_t value_size)
{
	size_t n = b->map_fds_cnt ? b->map_fds_cnt : 64;
	struct wbpf_map_fd *p;

	if (m->fd < 0)
		return -EBADF;
	if ((size_t)m->fd >= b->map_fds_cnt) {
		while (n <= (size_t)m->fd)
			n *= 2;
		p = realloc(b->map_fds, n * sizeof(*p));
		if (!p)
			return -ENOMEM;
		memset(p + b->map_fds_cnt, 0, (n - b->map_fds_cnt) * sizeof(*p));
		b->map_fds = p;
		b->map_fds_cnt = n;
	}
	b->map_fds[m->fd] = (struct wbpf_map_fd){
		.map = m,
		.type = m->type,
		.key_size = key_size,
		.value_size = value_size,
	};
	return 0;
}

void wbpf_bpf__del_map_fd(struct wbpf_bpf *b, struct wbpf_map *m)
{
	if (m->fd >= 0 && (size_t)m->fd < b->map_fds_cnt && b->map_fds[m->fd].map == m)
		b->map_fds[m->fd] = (struct wbpf_map_fd){0};
}

/* The table's entry for a map fd of the guest's live objects, or NULL. */
static inline const struct wbpf_map_fd *map_fd(const struct wbpf_bpf *b, uint32_t fd)
{
	if (!b || fd >= b->map_fds_cnt || !b->map_fds[fd].map)
		return NULL;
	return &b->map_fds[fd];
}

struct wbpf_map *wbpf_bpf__map(struct wbpf_guest *g, uint32_t fd)
{
	const struct wbpf_map_fd *e = map_fd(g->bpf, fd);

	return e ? e->map : NULL;
}

/*
 * Host pointer for [off, off + len) of the view in *p, NULL for "no key" when
 * len is 0; false when the range is outside memory.
 */
static inline bool span(const struct wbpf_mem *mem, uint32_t off, uint32_t len, void **p)
{
	*p = NULL;
	if (!len)
		return true;
	if (!wbpf_range_ok(mem->size, off, len))
		return false;
	*p = mem->base + off;
	return true;
}

/* bpf(cmd, attr, size): its result, -errno on failure */
static inline long sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)__NR_bpf), "D"((long)cmd), "S"(attr), "d"((long)size)
			 : "rcx", "r11", "memory");
	return ret;
#else
	long ret = syscall(__NR_bpf, cmd, attr, size);

	return ret < 0 ? -errno : ret;
#endif
}

/* A map element command as libbpf makes it: the attributes up to flags, the rest 0. */
static inline int map_elem_cmd(int cmd, uint32_t fd, const void *key, void *value, uint64_t flags)
{
	const unsigned int size = offsetof(union bpf_attr, flags) + sizeof(uint64_t);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.map_fd = fd;
	attr.key = (uint64_t)(uintptr_t)key;
	attr.value = (uint64_t)(uintptr_t)value; /* next_key for BPF_MAP_GET_NEXT_KEY */
	attr.flags = flags;
	return (int)sys_bpf(cmd, &attr, size);
}

uint32_t wbpf_bpf_map_operate(struct wbpf_guest *g, uint32_t fd, uint32_t cmd, uint32_t key_off,
			      uint32_t value_off, uint32_t next_off, uint64_t flags)
{
	const struct wbpf_map_fd *m = map_fd(g->bpf, fd);
	const struct wbpf_mem mem = g->mem; /* no guest code runs before we return */
	void *key, *value, *next;
	int err;

	if (!m)
		return (uint32_t)-EBADF;
	switch (cmd) {
	case BPF_MAP_LOOKUP_ELEM:
		if (!span(&mem, key_off, m->key_size, &key) ||
		    !span(&mem, value_off, m->value_size, &value))
			return (uint32_t)-EFAULT;
		err = map_elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
		break;
	case BPF_MAP_UPDATE_ELEM:
		if (!span(&mem, key_off, m->key_size, &key) ||
		    !span(&mem, value_off, m->value_size, &value))
			return (uint32_t)-EFAULT;
		err = map_elem_cmd(BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
		break;
	case BPF_MAP_DELETE_ELEM:
		if (!span(&mem, key_off, m->key_size, &key))
			return (uint32_t)-EFAULT;
		err = map_elem_cmd(BPF_MAP_DELETE_ELEM, fd, key, NULL, flags);
		break;
	case BPF_MAP_GET_NEXT_KEY:
		/* key 0 is NULL: the first key */
		if (!span(&mem, key_off, key_off ? m->key_size : 0, &key) ||
		    !span(&mem, next_off, m->key_size, &next))
			return (uint32_t)-EFAULT;
		err = map_elem_cmd(BPF_MAP_GET_NEXT_KEY, fd, key, next, 0);
		break;
	default:
		return (uint32_t)-EINVAL;
	}
	return (uint32_t)(err < 0 ? err : 0);
}
