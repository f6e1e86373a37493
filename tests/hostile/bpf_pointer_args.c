// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: every pointer argument of every wasm_bpf import, pointing past the
 * end of memory, wrapping around 2^32, or a string without its NUL inside
 * memory. Each is refused (0 handle, -EFAULT) before the host or the kernel
 * touches it; nothing is loaded or left attached.
 * needs: bpf
 * exit: 0
 * stdout: bpf_pointer_args: every check passed
 */
#include "hostile.h"

int main(void)
{
	static const char name[] = "wbpf_abi_tp";
	uint8_t *end10 = tail(10, 0x7f);
	long long h;
	int arr, rb;
	uint32_t k = 0;
	uint8_t *s;

	/* load: the object's bytes */
	check("load past the end", load(P(end10), 100), 0);
	check("load wrapping", load(0xfffffff0u, 0x20), 0);
	check("load at the very end", load(mem_size(), 1), 0);
	check("load empty", load(P(abi_bpf_o), 0), 0);

	h = load_abi();
	arr = map_fd(h, "arr");
	rb = map_fd(h, "rb");

	/* strings with no NUL before the end of memory */
	s = tail(11, 'a');
	check("attach name unterminated", attach(h, P(s), 0), -L_EFAULT);
	check("attach name past the end", attach(h, mem_size() + 16, 0), -L_EFAULT);
	check("attach target unterminated", attach(h, P(name), P(s)), -L_EFAULT);
	check("attach target wrapping", attach(h, P(name), 0xffffffffu), -L_EFAULT);
	check("fd_by_name unterminated", fd_by_name(h, P(s)), -L_EFAULT);
	check("fd_by_name past the end", fd_by_name(h, mem_size()), -L_EFAULT);

	/* map operations: key 4 bytes, value 4 bytes */
	s = tail(3, 0);
	check("lookup key short", map_op(arr, LOOKUP, P(s), P(&k), 0, 0), -L_EFAULT);
	check("lookup value short", map_op(arr, LOOKUP, P(&k), P(s), 0, 0), -L_EFAULT);
	check("update value short", map_op(arr, UPDATE, P(&k), P(s), 0, 0), -L_EFAULT);
	check("update key wrapping", map_op(arr, UPDATE, 0xfffffffeu, P(&k), 0, 0), -L_EFAULT);
	check("delete key past the end", map_op(arr, DELETE, mem_size(), 0, 0, 0), -L_EFAULT);
	check("next_key out short", map_op(arr, NEXT_KEY, P(&k), 0, P(s), 0), -L_EFAULT);
	check("next_key key short", map_op(arr, NEXT_KEY, P(s), 0, P(&k), 0), -L_EFAULT);

	/* poll: the sample buffer is checked before any wait */
	s = tail(8, 0);
	check("poll data short", bpoll(h, rb, 1, 0, P(s), 64, 0), -L_EFAULT);
	check("poll data wrapping", bpoll(h, rb, 1, 0, 0xffffffc0u, 0x100, 0), -L_EFAULT);

	check("close", close_obj(h), 0);
	return verdict("bpf_pointer_args");
}
