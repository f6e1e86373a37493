/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Prints the environment it sees (sorted), then getenv() of each name given
 * as an argument.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	size_t n = 0;
	char **v;

	while (environ && environ[n])
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return 1;
	memcpy(v, environ, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp);
	printf("environ has %zu entries\n", n);
	for (size_t i = 0; i < n; i++)
		printf("  [%s]\n", v[i]);
	for (int i = 1; i < argc; i++) {
		const char *val = getenv(argv[i]);

		if (val)
			printf("getenv(%s)=[%s]\n", argv[i], val);
		else
			printf("getenv(%s) unset\n", argv[i]);
	}
	free(v);
	return 0;
}
