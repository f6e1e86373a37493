/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * stdout reaches its file or pipe on every way out (stdout is fully buffered
 * when it is not a terminal, so nothing here is written before the end unless
 * flushed).
 *   return      printf without newline or fflush, return from main
 *   exit        same, then exit(4)
 *   big         ~200 KB of lines and a partial last line, return
 *   fflush_exit printf + fflush, then proc_exit: what was flushed is kept,
 *               what was printed after is lost as natively with _exit
 *   write_exit  write(2) straight to fd 1, then proc_exit
 *   stderr      stderr without newline, return
 */
#include <stdlib.h>
#include <unistd.h>
#ifdef __wasi__
#include <wasi/api.h>
#endif

#include "wt.h"

static void proc_exit(int code)
{
#ifdef __wasi__
	__wasi_proc_exit(code);
#else
	_exit(code);
#endif
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	if (!strcmp(m, "return")) {
		printf("line one\nno newline at the end, no fflush");
		return 0;
	}
	if (!strcmp(m, "exit")) {
		printf("line one\nno newline, then exit(4)");
		exit(4);
	}
	if (!strcmp(m, "big")) {
		for (int i = 0; i < 20000; i++)
			printf("line %05d of a long output\n", i);
		printf("last line without newline");
		return 0;
	}
	if (!strcmp(m, "fflush_exit")) {
		printf("flushed before proc_exit");
		fflush(stdout);
		printf(" -- printed after the flush, lost as with _exit");
		proc_exit(6);
	}
	if (!strcmp(m, "write_exit")) {
		write(1, "written with write(2)\n", 22);
		proc_exit(0);
	}
	if (!strcmp(m, "stderr")) {
		printf("to stdout");
		fprintf(stderr, "to stderr, no newline");
		return 0;
	}
	printf("unknown mode\n");
	return 2;
}
