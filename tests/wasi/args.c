/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Prints its argv: the runtime must pass it through unchanged. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	printf("argc=%d\n", argc);
	printf("argv[0] basename=%s\n", base ? base + 1 : argv[0]);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=[%s] (%zu bytes)\n", i, argv[i], strlen(argv[i]));
	printf("argv[argc] is NULL: %s\n", argv[argc] ? "no" : "yes");
	return 0;
}
