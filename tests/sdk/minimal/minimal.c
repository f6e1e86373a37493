// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Copyright (c) 2020 Facebook */
/*
 * libbpf-bootstrap's minimal.c, built for Wasm with the installed SDK. The
 * lines marked "test:" are additions that let the test see what the BPF
 * side saw; everything else is the original, unedited (see PORTING.md).
 */
#include <stdio.h>
#include <unistd.h>
#include <sys/resource.h>
#include <bpf/libbpf.h>
#include "minimal.skel.h"

static int libbpf_print_fn(enum libbpf_print_level level, const char *format, va_list args)
{
	return vfprintf(stderr, format, args);
}

/* test: one ring buffer record per write() of this process */
static int handle_event(void *ctx, void *data, size_t data_sz)
{
	printf("write from pid %d\n", *(int *)data);
	return 0;
}

int main(int argc, char **argv)
{
	struct minimal_bpf *skel;
	struct ring_buffer *rb = NULL; /* test */
	long long count = 0;	       /* test */
	int err, key = 0;	       /* test: key */

	/* Set up libbpf errors and debug info callback */
	libbpf_set_print(libbpf_print_fn);

	/* Open BPF application */
	skel = minimal_bpf__open();
	if (!skel) {
		fprintf(stderr, "Failed to open BPF skeleton\n");
		return 1;
	}

	/* ensure BPF program only handles write() syscalls from our process */
	skel->bss->my_pid = getpid();

	/* Load & verify BPF programs */
	err = minimal_bpf__load(skel);
	if (err) {
		fprintf(stderr, "Failed to load and verify BPF skeleton\n");
		goto cleanup;
	}

	/* Attach tracepoint handler */
	err = minimal_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "Failed to attach BPF skeleton\n");
		goto cleanup;
	}

	printf("Successfully started! Please run `sudo cat /sys/kernel/debug/tracing/trace_pipe` "
	       "to see output of the BPF programs.\n");

	/* test: the libbpf names a ported tool reaches for */
	rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), handle_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "Failed to create ring buffer\n");
		goto cleanup;
	}

	for (;;) {
		/* trigger our BPF program */
		fprintf(stderr, ".");
		sleep(1);
		/* test: print the records; after SIGINT this is -EINTR */
		err = ring_buffer__consume(rb);
		if (err < 0)
			break;
	}
	err = err == -EINTR ? 0 : err; /* test */

	/* test: the count, through the map found by name */
	bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(skel->obj, "counts")), &key,
			    &count);
	printf("writes counted for pid %d: %lld\n", skel->bss->my_pid, count);

cleanup:
	ring_buffer__free(rb); /* test */
	minimal_bpf__destroy(skel);
	return -err;
}
