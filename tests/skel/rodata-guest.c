/*
 * Opens the layout skeleton (no load: no host call) and prints what the
 * skeleton's global-data pointers see: .rodata and .data read from the
 * embedded object, .bss a zeroed copy; a write through skel->rodata lands
 * in the bytes that would be loaded.
 */
#include <stdio.h>
#include <string.h>
#include "layout.skel.h"

int main(void)
{
	struct layout_bpf *skel = layout_bpf__open();
	const unsigned char *obj;
	int32_t v;

	if (!skel) {
		printf("open failed\n");
		return 1;
	}
	printf("ro_int=%d ro_padded.c=%d ro_name=%s\n", skel->rodata->ro_int,
	       skel->rodata->ro_padded.c, skel->rodata->ro_name);
	printf("data_counter=%d data_arrays.n=%d data_tag=%c\n", skel->data->data_counter,
	       skel->data->data_arrays.n, skel->data->data_tag);
	printf("bss_total=%lld bss_bits.e=%d\n", (long long)skel->bss->bss_total,
	       skel->bss->bss_bits.e);
	skel->rodata->ro_int = 1234;
	obj = skel->skeleton->obj_buf;
	memcpy(&v, obj + skel->skeleton->rodata_offset, sizeof(v));
	printf("patched=%d\n", v);
	layout_bpf__destroy(skel);
	return 0;
}
