// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * wasm_bpf_map_operate (docs/abi.md, "Map operations"). The map is found by fd in an
 * array filled at load time, with the sizes the kernel gave then: one bpf()
 * call per operation, the operation itself.
 *
 * Maps without keys (queue, stack, bloom filter: key_size 0) get a NULL key,
 * whatever the guest passed, as the kernel requires; their value range is
 * checked as for any map.
 */
#include <errno.h>

#include <bpf/bpf.h>

#include "bpf-priv.h"

/* Host pointer for [off, off + len), or NULL for "no key" when len is 0.
 * *fault is set when the range is outside memory. */
static void *range(struct wbpf_guest *g, uint32_t off, uint32_t len, bool *fault)
{
	void *p;

	if (!len)
		return NULL;
	p = wbpf_guest_range(g, off, len);
	if (!p)
		*fault = true;
	return p;
}

static int map_operate(struct wbpf_guest *g, int fd, uint32_t cmd, uint32_t key_off,
		       uint32_t value_off, uint32_t next_off, uint64_t flags)
{
	struct wbpf_map *m = wbpf_bpf__map(g, fd);
	bool fault = false;
	void *key, *value, *next;
	int err;

	if (!m)
		return -EBADF;
	switch (cmd) {
	case BPF_MAP_LOOKUP_ELEM:
	case BPF_MAP_UPDATE_ELEM:
		key = range(g, key_off, m->key_size, &fault);
		value = range(g, value_off, m->value_size, &fault);
		if (fault)
			return -EFAULT;
		if (cmd == BPF_MAP_LOOKUP_ELEM)
			err = bpf_map_lookup_elem_flags(fd, key, value, flags);
		else
			err = bpf_map_update_elem(fd, key, value, flags);
		break;
	case BPF_MAP_DELETE_ELEM:
		key = range(g, key_off, m->key_size, &fault);
		if (fault)
			return -EFAULT;
		err = bpf_map_delete_elem_flags(fd, key, flags);
		break;
	case BPF_MAP_GET_NEXT_KEY:
		/* key 0 is NULL: the first key */
		key = key_off ? range(g, key_off, m->key_size, &fault) : NULL;
		next = range(g, next_off, m->key_size, &fault);
		if (fault)
			return -EFAULT;
		err = bpf_map_get_next_key(fd, key, next);
		break;
	default:
		return -EINVAL;
	}
	/* libbpf 1.x returns -errno */
	return err < 0 ? err : 0;
}

uint32_t wbpf_bpf_map_operate(struct wbpf_guest *g, uint32_t fd, uint32_t cmd, uint32_t key,
			      uint32_t value, uint32_t next_key, uint64_t flags)
{
	return (uint32_t)map_operate(g, (int)fd, cmd, key, value, next_key, flags);
}
