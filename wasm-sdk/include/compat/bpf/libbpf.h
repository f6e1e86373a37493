/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpf/libbpf.h for Wasm-eBPF guests: a libbpf tool's `#include <bpf/libbpf.h>`
 * gets the guest SDK (libbpf-wasm.h) instead of the host's libbpf, which
 * cannot work inside a Wasm guest. What exists, and how it differs from
 * libbpf, is listed at the top of libbpf-wasm.h and in PORTING.md.
 */
#ifndef __WBPF_COMPAT_BPF_LIBBPF_H
#define __WBPF_COMPAT_BPF_LIBBPF_H

#include <stdarg.h>
#include <stdio.h>
#include <linux/types.h>
#include "libbpf-wasm.h"

#endif /* __WBPF_COMPAT_BPF_LIBBPF_H */
