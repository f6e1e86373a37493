// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: a per-CPU map's value is round_up(value_size, 8) bytes for every
 * possible CPU, not value_size. A buffer of value_size bytes at the end of
 * memory would let the kernel write past the guest's memory: the host checks
 * the whole per-CPU size and refuses it with -EFAULT, for lookup and update,
 * for array and hash. A buffer of the real size works.
 * needs: bpf
 * exit: 0
 * stdout: percpu_overflow: every check passed
 */
#include "hostile.h"

static uint64_t big[4096]; /* room for 4096 CPUs of 8 bytes */

int main(void)
{
	static const char *const maps[] = {"pcpu", "pcpuh"};
	long long h = load_abi();
	uint32_t k = 0;

	for (int i = 0; i < 2; i++) {
		int fd = map_fd(h, maps[i]);
		uint8_t *small = tail(4, 0x55); /* value_size: 4 */
		char what[64];

		snprintf(what, sizeof(what), "%s update, real size", maps[i]);
		check(what, map_op(fd, UPDATE, P(&k), P(big), 0, 0), 0);
		snprintf(what, sizeof(what), "%s lookup into value_size bytes", maps[i]);
		check(what, map_op(fd, LOOKUP, P(&k), P(small), 0, 0), -L_EFAULT);
		snprintf(what, sizeof(what), "%s update from value_size bytes", maps[i]);
		check(what, map_op(fd, UPDATE, P(&k), P(small), 0, 0), -L_EFAULT);
		snprintf(what, sizeof(what), "%s lookup, real size", maps[i]);
		check(what, map_op(fd, LOOKUP, P(&k), P(big), 0, 0), 0);
		for (uint32_t j = 0; j < 4; j++)
			if (small[j] != 0x55)
				check("bytes at the end of memory untouched", small[j], 0x55);
	}
	check("close", close_obj(h), 0);
	return verdict("percpu_overflow");
}
