// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* fentry/fexit, alone in their object: a kernel that refuses them refuses the whole load. */
#include "attach-common.h"

SEC("fentry/__x64_sys_getpgid")
int wbpf_ct_fentry(__u64 *ctx)
{
	if (is_trig())
		hit();
	return 0;
}

SEC("fexit/__x64_sys_getpgid")
int wbpf_ct_fexit(__u64 *ctx)
{
	if (is_trig())
		hit();
	return 0;
}
