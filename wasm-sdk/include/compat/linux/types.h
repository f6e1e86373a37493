/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * linux/types.h for Wasm-eBPF guests: the kernel's fixed-width integer names,
 * so that headers shared with the BPF side (which gets them from vmlinux.h)
 * compile in the guest. They have the same size on wasm32 and on the BPF
 * target; `long` and pointers do not (see wasmbpf-skel --check).
 */
#ifndef __WBPF_COMPAT_LINUX_TYPES_H
#define __WBPF_COMPAT_LINUX_TYPES_H

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __be64;
typedef __u16 __le16;
typedef __u32 __le32;
typedef __u64 __le64;

#endif /* __WBPF_COMPAT_LINUX_TYPES_H */
