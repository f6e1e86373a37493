// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A guest that imports no wasm_bpf function: the host starts no object
 * checker for it (docs/abi.md, "Loading an object"). It says "waiting" and
 * reads a line, while run.sh looks for child processes of the host.
 */
#include <stdio.h>

int main(void)
{
	char line[16];

	printf("waiting\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	printf("ok nothing but the guest ran\n");
	return 0;
}
