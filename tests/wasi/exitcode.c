/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Ends in the way argv[1] names; the process exit code must be what a native
 * program's is.
 */
#include <stdlib.h>
#include <unistd.h>
#ifdef __wasi__
#include <wasi/api.h>
#endif

#include "wt.h"

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	printf("mode %s\n", m);
	if (!strcmp(m, "return0"))
		return 0;
	if (!strcmp(m, "return3"))
		return 3;
	if (!strcmp(m, "return255"))
		return 255;
	if (!strcmp(m, "return-1"))
		return -1;
	if (!strcmp(m, "return256"))
		return 256;
	if (!strcmp(m, "exit7"))
		exit(7);
	fflush(stdout);
	if (!strcmp(m, "_Exit261"))
		_Exit(256 + 5);
	if (!strcmp(m, "proc_exit261")) {
#ifdef __wasi__
		__wasi_proc_exit(256 + 5);
#else
		_exit(256 + 5);
#endif
	}
	printf("unknown mode\n");
	return 2;
}
