// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * SIGINT/SIGTERM (docs/abi.md, "Stopping"): WASI has no signals and guest loops rarely
 * end by themselves, so the first signal only sets a stop request; the guest's
 * blocking calls then fail with EINTR (the handler is installed without
 * SA_RESTART, so a blocked syscall returns at once) and a libbpf-style loop
 * leaves, cleans up and returns from main, flushing its own stdio. A guest that
 * ignores it is ended after a grace period, or at once by a second signal, with
 * exit status 128 + signal number. BPF links are file descriptors: the kernel
 * releases them when the process ends, whichever way it ends.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "number.h"
#include "wbpf/guest.h"

#define DEFAULT_GRACE_MS 2000

static volatile sig_atomic_t stop_signo;
static long grace_ms = DEFAULT_GRACE_MS;

bool wbpf_stop_requested(void)
{
	return stop_signo != 0;
}

static void on_alarm(int sig)
{
	_exit(128 + stop_signo);
}

static void on_stop(int sig)
{
	struct itimerval it = {};

	if (stop_signo)
		_exit(128 + sig); /* second signal: the user insists */
	stop_signo = sig;
	it.it_value.tv_sec = grace_ms / 1000;
	it.it_value.tv_usec = (grace_ms % 1000) * 1000;
	setitimer(ITIMER_REAL, &it, NULL);
}

void wbpf_signals_init(struct wbpf_guest *g)
{
	struct sigaction sa;
	const char *s = getenv("WASMBPF_GRACE_MS");

	long v;

	if (s && *s && !wbpf_parse_long(s, 1, 3600 * 1000, &v))
		grace_ms = v;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: blocked calls must return EINTR */
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	/* SIGPIPE keeps its default: `prog | head` ends prog as it ends a native tool. */
}
