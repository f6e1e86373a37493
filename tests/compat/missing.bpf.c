// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * References that do not exist in the kernel: a tracepoint (found missing at
 * attach) and a BTF tracepoint (found missing at load; its own object, below
 * MISSING_BTF).
 */
#include "attach-common.h"

#ifndef MISSING_BTF
SEC("tp/syscalls/sys_enter_wbpf_no_such_call")
int wbpf_ct_notp(void *ctx)
{
	hit();
	return 0;
}
#else
SEC("tp_btf/wbpf_no_such_tracepoint")
int wbpf_ct_nobtf(__u64 *ctx)
{
	hit();
	return 0;
}
#endif
