// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * globals COMM: count execs of COMM through globals.bpf.c. Before load:
 * .rodata target_comm = COMM, .data step = 3, .bss count = 1000. Each line
 * on stdin: pull the globals and print the count; after the first, reset
 * the count to 0 and push it.
 */
#include <stdio.h>
#include <string.h>
#include "globals.skel.h"

int main(int argc, char **argv)
{
	struct globals_bpf *skel;
	char line[64], bss[sizeof(*skel->bss)];
	uint32_t key = 0;
	int err = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: globals COMM\n");
		return 2;
	}
	skel = globals_bpf__open();
	if (!skel)
		return 1;
	strncpy((char *)skel->rodata->target_comm, argv[1], 15);
	skel->data->step = 3;
	skel->bss->count = 1000;
	if (globals_bpf__load(skel) || globals_bpf__attach(skel))
		goto out;
	printf("ready\n");
	fflush(stdout);

	if (!fgets(line, sizeof(line), stdin) || globals_bpf__pull_globals(skel))
		goto out;
	printf("count=%lld step=%d\n", (long long)skel->bss->count, skel->data->step);
	skel->bss->count = 0;
	if (globals_bpf__push_globals(skel))
		goto out;
	printf("pushed\n");
	fflush(stdout);

	if (!fgets(line, sizeof(line), stdin) || globals_bpf__pull_globals(skel))
		goto out;
	printf("count=%lld\n", (long long)skel->bss->count);
	/* a kernel error (Linux ENOENT) arrives in the guest's numbering */
	key = 1;
	printf("key1_enoent=%d\n",
	       bpf_map_lookup_elem(bpf_map__fd(skel->maps.bss), &key, bss) == -ENOENT);
	key = 0;
	printf("lookup=%d wrong_size_einval=%d\n",
	       bpf_map__lookup_elem(skel->maps.bss, &key, sizeof(key), bss, sizeof(bss), 0),
	       bpf_map__lookup_elem(skel->maps.bss, &key, sizeof(key), bss, sizeof(bss) - 1, 0) ==
		       -EINVAL);
	err = 0;
out:
	globals_bpf__destroy(skel);
	return err;
}
