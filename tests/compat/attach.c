// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The attach guest: loads one of the embedded objects, attaches one program
 * of it by name, says "ready", then waits until the program's counter (map
 * "hits", bumped by the events the tier's trigger program causes) reaches
 * WANT, and prints "hits N". Raw imports, as the existing SDK declares them.
 *
 * Usage: attach OBJECT PROGRAM TARGET WANT
 *   OBJECT: attach | fentry | lsm | bad | notp | nobtf
 *   TARGET: "-" passes 0, "@" passes "", anything else is passed as is.
 * Exit: 0 counted WANT hits; 3 load failed; 4 attach failed; 5 too few hits
 * within 10 s; 2 usage.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.bpf.inc"
#include "fentry.bpf.inc"
#include "lsm.bpf.inc"
#include "bad.bpf.inc"
#include "notp.bpf.inc"
#include "nobtf.bpf.inc"

#define IMP(name) __attribute__((import_module("wasm_bpf"), import_name(name)))

IMP("wasm_load_bpf_object") uint64_t wasm_load_bpf_object(const void *buf, int size);
IMP("wasm_attach_bpf_program")
int wasm_attach_bpf_program(uint64_t obj, const char *name, const char *target);
IMP("wasm_bpf_map_fd_by_name") int wasm_bpf_map_fd_by_name(uint64_t obj, const char *name);
IMP("wasm_bpf_map_operate")
int wasm_bpf_map_operate(int fd, int cmd, void *key, void *value, void *next_key, uint64_t flags);

#define LOOKUP 1

#define OBJ(n) {#n, n##_bpf_o, &n##_bpf_o_len}
static const struct {
	const char *name;
	unsigned char *bytes;
	unsigned int *len;
} objs[] = {OBJ(attach), OBJ(fentry), OBJ(lsm), OBJ(bad), OBJ(notp), OBJ(nobtf)};

static uint64_t hits(int fd)
{
	uint32_t k = 0;
	uint64_t v = 0;

	if (wasm_bpf_map_operate(fd, LOOKUP, &k, &v, NULL, 0))
		return 0;
	return v;
}

int main(int argc, char **argv)
{
	const char *target;
	uint64_t obj, want, n = 0;
	size_t i;
	int fd, r, t;

	if (argc != 5) {
		fprintf(stderr, "usage: attach OBJECT PROGRAM TARGET WANT\n");
		return 2;
	}
	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
		if (!strcmp(objs[i].name, argv[1]))
			break;
	if (i == sizeof(objs) / sizeof(objs[0])) {
		fprintf(stderr, "unknown object %s\n", argv[1]);
		return 2;
	}
	target = !strcmp(argv[3], "-") ? NULL : !strcmp(argv[3], "@") ? "" : argv[3];
	want = strtoull(argv[4], NULL, 0);

	obj = wasm_load_bpf_object(objs[i].bytes, (int)*objs[i].len);
	if (!obj) {
		printf("load failed\n");
		return 3;
	}
	r = wasm_attach_bpf_program(obj, argv[2], target);
	if (r) {
		printf("attach failed: %d\n", r);
		return 4;
	}
	fd = wasm_bpf_map_fd_by_name(obj, "hits");
	printf("ready\n");
	fflush(stdout);
	for (t = 0; t < 500; t++) {
		n = hits(fd);
		if (n >= want)
			break;
		usleep(20000);
	}
	usleep(200000); /* late events would show as extra hits */
	n = hits(fd);
	printf("hits %llu\n", (unsigned long long)n);
	return n >= want ? 0 : 5;
}
