// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The guest side: its own struct event (from the shared header), checked by
 * the skeleton made with wasmbpf-skel --check event. */
#include <stdio.h>
#include "shared-event.h"
#include "shared.skel.h"

int main(void)
{
	struct event e = {0};

	printf("%u %llu %s\n", e.pid, (unsigned long long)e.ts, e.comm);
	return 0;
}
