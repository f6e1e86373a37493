// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lsm: refuse rmdir(2) of every directory named like the guest's -n NAME,
 * with -EPERM, from the BPF LSM hook path_rmdir, and report each refusal
 * through a ring buffer. Attached by libbpf from the section name (see
 * docs/abi.md, "Attaching").
 *
 * A short name lives inside the dentry, in an array that Linux 6.14 renamed
 * from d_iname to d_shortname (now a union). Two flavours of struct dentry
 * (___old and ___new) let CO-RE pick the one this kernel has, and give its
 * size, which is the longest inline name plus its NUL; a longer name is read
 * through d_name.name.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "lsm.h"
#include "wbpf-drops.bpf.h"

#define EPERM 1

/* set by the guest before load */
const volatile char target_name[LSM_NAME_LEN] = {};
const volatile u32 target_len = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} rb SEC(".maps");

/* Linux < 6.14 */
struct dentry___old {
	unsigned char d_iname[40];
} __attribute__((preserve_access_index));

/* Linux >= 6.14 */
union shortname_store___new {
	unsigned char string[40];
};
struct dentry___new {
	union shortname_store___new d_shortname;
} __attribute__((preserve_access_index));

/* The dentry's name into buf (len bytes, len < LSM_NAME_LEN): 0 or -errno. */
static __always_inline int dentry_name(struct dentry *dentry, u32 len, char *buf)
{
	struct dentry___new *dn = (void *)dentry;
	struct dentry___old *dold = (void *)dentry;
	const void *inline_name;
	u32 inline_size;

	if (bpf_core_field_exists(dn->d_shortname)) {
		inline_name = &dn->d_shortname;
		inline_size = bpf_core_field_size(dn->d_shortname);
	} else {
		inline_name = &dold->d_iname;
		inline_size = bpf_core_field_size(dold->d_iname);
	}
	if (len < inline_size) /* stored inline, with its NUL */
		return bpf_probe_read_kernel(buf, len & (LSM_NAME_LEN - 1), inline_name);
	return bpf_probe_read_kernel(buf, len & (LSM_NAME_LEN - 1),
				     BPF_CORE_READ(dentry, d_name.name));
}

SEC("lsm/path_rmdir")
int BPF_PROG(refuse_rmdir, const struct path *dir, struct dentry *dentry, int ret)
{
	char name[LSM_NAME_LEN] = {}; /* the compare below reads it all */
	struct rmdir_event *e;
	u32 len, i;

	if (ret)
		return ret; /* an earlier LSM refused already */
	len = BPF_CORE_READ(dentry, d_name.len);
	if (len != target_len || len == 0 || len >= LSM_NAME_LEN)
		return 0;
	if (dentry_name(dentry, len, name))
		return 0;
	for (i = 0; i < LSM_NAME_LEN - 1; i++) {
		if (i >= len)
			break;
		if (name[i] != target_name[i])
			return 0;
	}

	e = wbpf_ringbuf_reserve(&rb, sizeof(*e), 0); /* counts a full ring */
	if (e) {
		e->pid = bpf_get_current_pid_tgid() >> 32;
		e->uid = (u32)bpf_get_current_uid_gid();
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		__builtin_memset(e->name, 0, sizeof(e->name));
		bpf_probe_read_kernel(e->name, len & (LSM_NAME_LEN - 1), name);
		bpf_ringbuf_submit(e, 0);
	}
	return -EPERM;
}

char LICENSE[] SEC("license") = "GPL";
