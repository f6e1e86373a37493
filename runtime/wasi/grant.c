// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Parsers of WASMBPF_DIR* grants and WASMBPF_ENV_* variables (see grant.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grant.h"

#define DIR_VAR "WASMBPF_DIR"
#define ENV_PREFIX "WASMBPF_ENV_"

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

int wbpf_wasi_grant_parse(const char *spec, struct wbpf_wasi_grant *out)
{
	size_t len = strlen(spec);
	const char *sep;
	size_t host_len;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (ends_with(spec, len, ":ro")) {
		out->ro = true;
		len -= 3;
	} else if (ends_with(spec, len, ":rw")) {
		len -= 3;
	}

	sep = memmem(spec, len, "::", 2);
	host_len = sep ? (size_t)(sep - spec) : len;
	if (!host_len || (sep && sep + 2 == spec + len)) {
		err = -EINVAL;
		goto cleanup;
	}
	out->host = strndup(spec, host_len);
	out->guest = sep ? strndup(sep + 2, len - host_len - 2) : strndup(spec, host_len);
	if (!out->host || !out->guest)
		err = -ENOMEM;
cleanup:
	if (err)
		wbpf_wasi_grant_free(out);
	return err;
}

void wbpf_wasi_grant_free(struct wbpf_wasi_grant *g)
{
	if (!g)
		return;
	free(g->host);
	free(g->guest);
	g->host = g->guest = NULL;
}

static int push_grant(struct wbpf_wasi_grant_src **list, size_t *n, size_t *cap, const char *spec,
		      const char *source, size_t source_len)
{
	struct wbpf_wasi_grant_src *l = *list;

	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;

		l = realloc(l, c * sizeof(*l));
		if (!l)
			return -ENOMEM;
		*list = l;
		*cap = c;
	}
	l[*n].spec = strdup(spec);
	l[*n].source = strndup(source, source_len);
	if (!l[*n].spec || !l[*n].source) {
		free(l[*n].spec);
		free(l[*n].source);
		return -ENOMEM;
	}
	(*n)++;
	return 0;
}

static int cmp_src(const void *a, const void *b)
{
	const struct wbpf_wasi_grant_src *x = a, *y = b;

	return strcmp(x->source, y->source);
}

int wbpf_wasi_grant_list(const char *const *dirs, char *const *host_environ,
			 struct wbpf_wasi_grant_src **out, size_t *n)
{
	struct wbpf_wasi_grant_src *list = NULL;
	size_t cnt = 0, cap = 0, first_named;
	char *const *e;
	int err = 0;

	for (; dirs && *dirs; dirs++) {
		err = push_grant(&list, &cnt, &cap, *dirs, WBPF_WASI_BUILTIN,
				 strlen(WBPF_WASI_BUILTIN));
		if (err)
			goto cleanup;
	}
	/* WASMBPF_DIR itself first, then the named ones sorted */
	for (e = host_environ; e && *e; e++) {
		if (!strncmp(*e, DIR_VAR "=", strlen(DIR_VAR "="))) {
			err = push_grant(&list, &cnt, &cap, *e + strlen(DIR_VAR "="), DIR_VAR,
					 strlen(DIR_VAR));
			if (err)
				goto cleanup;
		}
	}
	first_named = cnt;
	for (e = host_environ; e && *e; e++) {
		const char *eq;

		if (strncmp(*e, DIR_VAR "_", strlen(DIR_VAR "_")))
			continue;
		eq = strchr(*e, '=');
		if (!eq)
			continue;
		err = push_grant(&list, &cnt, &cap, eq + 1, *e, (size_t)(eq - *e));
		if (err)
			goto cleanup;
	}
	if (cnt > first_named)
		qsort(list + first_named, cnt - first_named, sizeof(*list), cmp_src);
cleanup:
	if (err) {
		wbpf_wasi_grant_list_free(list, cnt);
		list = NULL;
		cnt = 0;
	}
	*out = list;
	*n = cnt;
	return err;
}

void wbpf_wasi_grant_list_free(struct wbpf_wasi_grant_src *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++) {
		free(list[i].spec);
		free(list[i].source);
	}
	free(list);
}

/* Add or replace NAME=VALUE (name_len bytes of NAME) in env[0..*n). */
static int put_env(char ***env, size_t *n, const char *name, size_t name_len, const char *value)
{
	size_t i, vlen = strlen(value);
	char *s, **e;

	s = malloc(name_len + 1 + vlen + 1);
	if (!s)
		return -ENOMEM;
	memcpy(s, name, name_len);
	s[name_len] = '=';
	memcpy(s + name_len + 1, value, vlen + 1);

	for (i = 0; i < *n; i++) {
		if (!strncmp((*env)[i], name, name_len) && (*env)[i][name_len] == '=') {
			free((*env)[i]);
			(*env)[i] = s;
			return 0;
		}
	}
	e = realloc(*env, (*n + 2) * sizeof(*e));
	if (!e) {
		free(s);
		return -ENOMEM;
	}
	e[(*n)++] = s;
	e[*n] = NULL;
	*env = e;
	return 0;
}

int wbpf_wasi_env_list(const char *const *envs, char *const *host_environ, char ***out, size_t *n,
		       const char **bad)
{
	char **env = NULL;
	size_t cnt = 0;
	char *const *h;
	int err = 0;

	*bad = NULL;
	env = calloc(1, sizeof(*env));
	if (!env)
		return -ENOMEM;
	for (; envs && *envs; envs++) {
		const char *eq = strchr(*envs, '=');

		if (!eq || eq == *envs) {
			*bad = *envs;
			err = -EINVAL;
			goto cleanup;
		}
		err = put_env(&env, &cnt, *envs, (size_t)(eq - *envs), eq + 1);
		if (err)
			goto cleanup;
	}
	for (h = host_environ; h && *h; h++) {
		const char *name, *eq;

		if (strncmp(*h, ENV_PREFIX, strlen(ENV_PREFIX)))
			continue;
		name = *h + strlen(ENV_PREFIX);
		eq = strchr(name, '=');
		if (!eq || eq == name) {
			*bad = *h;
			err = -EINVAL;
			goto cleanup;
		}
		err = put_env(&env, &cnt, name, (size_t)(eq - name), eq + 1);
		if (err)
			goto cleanup;
	}
cleanup:
	if (err) {
		wbpf_wasi_env_free(env);
		env = NULL;
		cnt = 0;
	}
	*out = env;
	*n = cnt;
	return err;
}

void wbpf_wasi_env_free(char **env)
{
	char **e;

	for (e = env; e && *e; e++)
		free(*e);
	free(env);
}
