// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A guest built by one distribution's clang and wasi-libc, run by the other's
 * runtime build: libc start-up, argv, stdio with floats, malloc, qsort, exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	char **v = malloc(sizeof(*v) * (size_t)argc);
	double sum = 0;
	int i;

	if (!v)
		return 1;
	for (i = 1; i < argc; i++) {
		v[i - 1] = argv[i];
		sum += strtod(argv[i], NULL);
	}
	qsort(v, (size_t)argc - 1, sizeof(*v), cmp);
	for (i = 0; i < argc - 1; i++)
		printf("%s%s", i ? " " : "", v[i]);
	printf("\nsum %.3f\n", sum);
	fprintf(stderr, "to stderr\n");
	free(v);
	return 7;
}
