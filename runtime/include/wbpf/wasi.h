/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * WASI preview1 host state (runtime/wasi).
 *
 * The sandbox: by default the guest sees no host directory and no host
 * environment variable. Grants come from two places, compile-time defaults
 * first, then the host environment of the running binary:
 *
 *   WASMBPF_DIR=HOST[::GUEST][:ro]   (also WASMBPF_DIR_<anything>=..., one grant
 *                                     a variable; GUEST defaults to HOST)
 *   WASMBPF_ENV_<NAME>=VALUE          the guest sees NAME=VALUE
 *
 * so the guest's own argv is never parsed by the runtime.
 */
#ifndef WBPF_WASI_H
#define WBPF_WASI_H

#include "guest.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wbpf_wasi_opts {
	int argc;		       /* guest argv: passed as is, argv[0] included */
	char **argv;
	const char *const *dirs;       /* compile-time grants, NULL-terminated, or NULL */
	const char *const *envs;       /* compile-time "NAME=VALUE", NULL-terminated, or NULL */
	char **host_environ;	       /* where WASMBPF_DIR* and WASMBPF_ENV_* are read */
};

/*
 * Create the WASI state of g (g->wasi): stdio as fds 0-2, then one preopen per
 * granted directory from fd 3 on. On a bad grant (missing directory, bad
 * syntax) prints "PROG: ..." to stderr and returns -errno.
 */
int wbpf_wasi__new(struct wbpf_guest *g, const struct wbpf_wasi_opts *opts);
void wbpf_wasi__free(struct wbpf_wasi *w);

/* Map a host errno value to a WASI errno (the one table; tested in tests/unit). */
uint16_t wbpf_wasi_errno(int host_errno);

#ifdef __cplusplus
}
#endif

#endif /* WBPF_WASI_H */
