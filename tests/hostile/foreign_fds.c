// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostile: map operations and polls on file descriptors that are not maps of
 * the guest's own objects: stdio, the runtime's epoll and perf event fds,
 * libbpf's program and BTF fds, maps of a closed object, any number up to
 * 4096. Map operations answer -EBADF, polls -EINVAL; the guest's own maps
 * still work.
 * needs: bpf
 * exit: 0
 * stdout: foreign_fds: every check passed
 */
#include "hostile.h"

static const char *const names[] = {"rb", "pb", "ctl", "in", "out", "pcpu", "pcpuh", "arr", ".bss"};
#define NMAPS (int)(sizeof(names) / sizeof(names[0]))

int main(void)
{
	long long h = load_abi(), h2 = load_abi();
	int own[NMAPS], closed[NMAPS], fd, i, bad_op = 0, bad_poll = 0;
	uint64_t key = 0, val[512];
	char what[64];

	for (i = 0; i < NMAPS; i++) {
		own[i] = map_fd(h, names[i]);
		closed[i] = map_fd(h2, names[i]);
	}
	/* create the runtime's poll fds: a ring buffer's epoll, perf event fds */
	check("first ring buffer poll", bpoll(h, own[0], 1, 0, P(val), 64, 0), 0);
	check("first perf buffer poll", bpoll(h, own[1], 1, 0, P(val), 64, 0), 0);
	check("close the second object", close_obj(h2), 0);

	for (fd = -2; fd < 4096; fd++) {
		int mine = 0, r;

		for (i = 0; i < NMAPS; i++)
			mine |= fd == own[i];
		if (mine)
			continue;
		r = map_op(fd, LOOKUP, P(&key), P(val), 0, 0);
		if (r != -L_EBADF && bad_op++ < 3) {
			snprintf(what, sizeof(what), "lookup on fd %d", fd);
			check(what, r, -L_EBADF);
		}
		r = map_op(fd, UPDATE, P(&key), P(val), 0, 0);
		if (r != -L_EBADF && bad_op++ < 3) {
			snprintf(what, sizeof(what), "update on fd %d", fd);
			check(what, r, -L_EBADF);
		}
		r = bpoll(h, fd, 1, 0, P(val), 64, 0);
		if (r != -L_EINVAL && bad_poll++ < 3) {
			snprintf(what, sizeof(what), "poll on fd %d", fd);
			check(what, r, -L_EINVAL);
		}
	}
	for (i = 0; i < NMAPS; i++) {
		snprintf(what, sizeof(what), "map %s of the closed object", names[i]);
		check(what, map_op(closed[i], LOOKUP, P(&key), P(val), 0, 0), -L_EBADF);
	}
	check("own map still works", map_op(own[7], LOOKUP, P(&key), P(val), 0, 0), 0);
	check("close", close_obj(h), 0);
	return verdict("foreign_fds");
}
