/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Private to runtime/wasi (and tests/unit/test_wasi_grants.c): the parsers of
 * the sandbox grants. Pure string work; nothing here touches the file system.
 */
#ifndef WBPF_WASI_GRANT_H
#define WBPF_WASI_GRANT_H

#include <stdbool.h>
#include <stddef.h>

/* One directory grant "HOST[::GUEST][:ro|:rw]". */
struct wbpf_wasi_grant {
	char *host;  /* host directory, as given */
	char *guest; /* name the guest sees; HOST when no ::GUEST */
	bool ro;     /* a trailing ":ro"; ":rw" (the default) is accepted too */
};

/*
 * Parse one grant. One trailing ":ro" or ":rw" is the mode; what is left is
 * split at its first "::" into HOST and GUEST. Returns 0 (free with
 * wbpf_wasi_grant_free()), -EINVAL for an empty HOST or GUEST, -ENOMEM.
 */
int wbpf_wasi_grant_parse(const char *spec, struct wbpf_wasi_grant *out);
void wbpf_wasi_grant_free(struct wbpf_wasi_grant *g);

/* A grant before parsing, and where it came from (for messages). */
struct wbpf_wasi_grant_src {
	char *spec;   /* "HOST[::GUEST][:ro]" */
	char *source; /* "WASMBPF_DIR_X", or WBPF_WASI_BUILTIN for compile-time grants */
};

#define WBPF_WASI_BUILTIN "wasmbpf-aot --dir"

/*
 * Every grant, in preopen order: the compile-time list `dirs` (may be NULL),
 * then the host variable WASMBPF_DIR, then every WASMBPF_DIR_<anything> in
 * strcmp order of the variable name (so the order does not depend on the
 * order of the environment). Other variables, WASMBPF_DIRX included, are
 * ignored. Returns 0 with a malloc'ed array in *out (free with
 * wbpf_wasi_grant_list_free()) and its length in *n, or -ENOMEM.
 */
int wbpf_wasi_grant_list(const char *const *dirs, char *const *host_environ,
			 struct wbpf_wasi_grant_src **out, size_t *n);
void wbpf_wasi_grant_list_free(struct wbpf_wasi_grant_src *list, size_t n);

/*
 * The guest environment: the compile-time "NAME=VALUE" list `envs` (may be
 * NULL), then every host variable WASMBPF_ENV_NAME=VALUE as NAME=VALUE in the
 * order of host_environ. A later NAME replaces the value of an earlier one and
 * keeps its place. Nothing else of the host environment is passed. Returns 0
 * with a malloc'ed NULL-terminated array of malloc'ed strings in *out (free
 * with wbpf_wasi_env_free()) and its length in *n; -EINVAL for an entry
 * without '=' or with an empty NAME (*bad then points at it); -ENOMEM.
 */
int wbpf_wasi_env_list(const char *const *envs, char *const *host_environ, char ***out, size_t *n,
		       const char **bad);
void wbpf_wasi_env_free(char **env);

#endif /* WBPF_WASI_GRANT_H */
