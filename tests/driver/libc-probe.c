// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libc-probe: a module that links the guest libc's memory and string routines
 * the driver recognises (w2c-driver/libcfn.c), called through volatile pointers
 * so that the compiler keeps the calls. scripts/libc-bodies.py reads their
 * bodies from it.
 */
#include <stdio.h>
#include <string.h>

static void *(*volatile p_memcpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile p_memmove)(void *, const void *, size_t) = memmove;
static void *(*volatile p_memset)(void *, int, size_t) = memset;
static void *(*volatile p_memchr)(const void *, int, size_t) = memchr;
static int (*volatile p_memcmp)(const void *, const void *, size_t) = memcmp;
static size_t (*volatile p_strlen)(const char *) = strlen;
static size_t (*volatile p_strnlen)(const char *, size_t) = strnlen;

int main(int argc, char **argv)
{
	char a[64], b[64];

	p_memset(a, 'x', sizeof(a));
	p_memcpy(b, a, sizeof(b));
	p_memmove(b + 1, b, 8);
	b[63] = 0;
	printf("%d %zu %zu %d\n", p_memcmp(a, b, 8), p_strlen(b), p_strnlen(argv[0], 4),
	       p_memchr(a, 'x', 8) != NULL);
	return argc > 5;
}
