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

/*
 * Start the object checker (docs/abi.md, "Loading an object"): a small child
 * process that checks every BPF object the guest loads, forked once so that
 * a check does not copy the host's address space. An engine calls it first
 * thing, before the guest's memory exists, and only for a module that imports
 * wasm_load_bpf_object. It holds no fd of this process but its socket and
 * dies with it. Returns 0, or -errno when it cannot start: objects are then
 * checked in a child forked by this process, as when the checker is gone.
 */
int wbpf_bpf_checker_start(void);
/* Stop the checker (kill it and reap it); checks fork their own child after. */
void wbpf_bpf_checker_stop(void);

#ifdef __cplusplus
}
#endif

#endif /* WBPF_BPF_H */
