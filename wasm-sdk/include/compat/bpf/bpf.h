/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpf/bpf.h for Wasm-eBPF guests: the low-level map calls
 * (bpf_map_lookup_elem(), bpf_map_update_elem(), ...) come from the guest
 * SDK (libbpf-wasm.h). Calls that need a raw bpf() syscall (bpf_prog_load,
 * bpf_map_create, bpf_obj_get, ...) do not exist in a guest.
 */
#ifndef __WBPF_COMPAT_BPF_BPF_H
#define __WBPF_COMPAT_BPF_BPF_H

#include <linux/types.h>
#include "libbpf-wasm.h"

#endif /* __WBPF_COMPAT_BPF_BPF_H */
