// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The driver's growable buffer and C line helpers (text.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Room for n more bytes and the NUL after them: false (and nomem) when there is none. */
static bool reserve(struct wbpf_text *t, size_t n)
{
	size_t cap;
	char *p;

	if (t->nomem)
		return false;
	if (n < t->cap - t->len)
		return true;
	if (n > (size_t)-1 / 2 - t->len) {
		t->nomem = true;
		return false;
	}
	cap = t->cap ? t->cap : 4096;
	while (cap <= t->len + n)
		cap *= 2;
	p = realloc(t->p, cap);
	if (!p) {
		t->nomem = true;
		return false;
	}
	t->p = p;
	t->cap = cap;
	return true;
}

void wbpf_text__put(struct wbpf_text *t, const void *s, size_t n)
{
	if (!reserve(t, n))
		return;
	if (n)
		memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

void wbpf_text__puts(struct wbpf_text *t, const char *s)
{
	wbpf_text__put(t, s, strlen(s));
}

void wbpf_text__printf(struct wbpf_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->nomem)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		t->nomem = true; /* only for a bad format or a too long result */
		return;
	}
	if (!reserve(t, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(t->p + t->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

char *wbpf_text__take(struct wbpf_text *t, size_t *len)
{
	char *p;

	if (!t->p)
		wbpf_text__put(t, "", 0);
	if (t->nomem) {
		free(t->p);
		p = NULL;
	} else {
		p = t->p;
		*len = t->len;
	}
	memset(t, 0, sizeof(*t));
	return p;
}

const char *wbpf_func_close(const char *body, const char *end, const char **nl)
{
	const char *line;

	for (line = body; line < end; line = *nl + 1) {
		*nl = wbpf_line_end(line, end);
		if (line[0] == '}' && (line + 1 == *nl || line[1] == '\r'))
			return line;
	}
	return end;
}
