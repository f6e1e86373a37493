// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* An LSM program, alone in its object. */
#include "attach-common.h"

/* task_getpgid(struct task_struct *p, int ret) */
SEC("lsm/task_getpgid")
int wbpf_ct_lsm(__u64 *ctx)
{
	if (is_trig())
		hit();
	return 0;
}
