/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The wasm_bpf imports (runtime/bpf): BPF objects, links, ring/perf buffers
 * and maps on libbpf, with the rules of docs/abi.md. State hangs off g->bpf, created on
 * the first load; wbpf_bpf__free() destroys every link and object (it is
 * registered with wbpf_atexit() on creation, so every way out runs it).
 */
#ifndef WBPF_BPF_H
#define WBPF_BPF_H

#include "guest.h"

#ifdef __cplusplus
extern "C" {
#endif

void wbpf_bpf__free(struct wbpf_guest *g);

#ifdef __cplusplus
}
#endif

#endif /* WBPF_BPF_H */
