// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for the check every guest BPF object goes through before
 * the host opens it (runtime/bpf/check.c, wbpf_bpf_check_object()).
 *
 * libbpf cannot be fuzzed in this process: it crashes on hostile objects,
 * which is why the check exists. What is fuzzed is the host's side: for any
 * bytes, the check must return, without the host crashing, either 0 or
 * -EINVAL with a one-line printable reason, and leave nothing behind (no
 * file descriptor, no child process but the checker). The checks go
 * through the object checker started at initialization, as in a program
 * (wbpf_bpf_checker_start()); one that does not is a failure too. Anything
 * else aborts, which libFuzzer reports as a crash.
 *
 * The child's verdict feeds the search: each distinct reason (libbpf's first
 * warning, or how the child died) takes its own branch below, so inputs that
 * reach a new refusal in libbpf are kept in the corpus even though libbpf
 * itself is not instrumented.
 *
 * Built and run by `make fuzz-bpf-object`, seeded with the .bpf.o files the
 * build makes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf-priv.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int first_free_fd = -1;
static volatile unsigned long reasons_seen;

static void die(const char *what, int err, const char *reason)
{
	fprintf(stderr, "fuzz_bpf_object: %s (err %d, reason '%s')\n", what, err, reason);
	abort();
}

static int lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

#define C1(n)                                                                                      \
	case n:                                                                                    \
		reasons_seen += n + 1;                                                             \
		break;
#define C4(n) C1(n) C1(n + 1) C1(n + 2) C1(n + 3)
#define C16(n) C4(n) C4(n + 4) C4(n + 8) C4(n + 12)

/* one branch per reason, by its hash with the numbers taken out (64 buckets) */
static void note_reason(const char *r)
{
	uint32_t h = 2166136261u;

	for (; *r; r++)
		if (*r < '0' || *r > '9')
			h = (h ^ (uint8_t)*r) * 16777619u;
	switch (h % 64) {
		C16(0)
		C16(16)
		C16(32)
		C16(48)
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const uint8_t not_elf[4] = "junk";
	char reason[256];
	int err = wbpf_bpf_checker_start();

	if (err) {
		fprintf(stderr, "fuzz_bpf_object: cannot start the checker: %s\n", strerror(-err));
		abort();
	}
	/*
	 * One check first: it uses the first spare, which the host forks itself
	 * and reaps at the next check (runtime/bpf/check.c); from then on every
	 * spare is the checker's, and this process has no child but the checker
	 * and no fd but the checker's socket after a check.
	 */
	if (wbpf_bpf_check_object(not_elf, sizeof(not_elf), "fuzz", false, NULL, reason,
				  sizeof(reason)) != -EINVAL) {
		fprintf(stderr, "fuzz_bpf_object: a 4-byte object was not refused\n");
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char reason[256];
	size_t i;
	int err;

	if (first_free_fd < 0)
		first_free_fd = lowest_free_fd();
	memset(reason, 'X', sizeof(reason));
	err = wbpf_bpf_check_object(data, size, "fuzz", false, NULL, reason, sizeof(reason));
	if (err != 0 && err != -EINVAL)
		die("check returned neither 0 nor -EINVAL", err, reason);
	if (!memchr(reason, '\0', sizeof(reason)))
		die("reason not terminated", err, "");
	if (err == 0 && reason[0])
		die("reason given for an object that passed", err, reason);
	if (err == -EINVAL && !reason[0])
		die("object refused without a reason", err, reason);
	for (i = 0; reason[i]; i++)
		if (reason[i] < 0x20 || reason[i] > 0x7e)
			die("reason is not one printable line", err, reason);
	if (!wbpf_bpf_check_by_checker())
		die("the check did not go through the checker", err, reason);
	if (lowest_free_fd() != first_free_fd)
		die("file descriptor left open", err, reason);
	/* the checker reaps its children: this process has only the checker */
	if (waitpid(-1, NULL, WNOHANG) != 0)
		die("a child process ended unreaped (the checker?)", err, reason);
	note_reason(err ? reason : "");
	return 0;
}
