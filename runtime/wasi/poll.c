// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * poll_oneoff, and the wait that lets a stop request end a blocking read.
 *
 * The runtime installs its SIGINT/SIGTERM handler without SA_RESTART and sets
 * the stop request there. To not miss a signal that lands between checking
 * the request and going to sleep, both are done with the two signals blocked,
 * and ppoll() unblocks them atomically for the wait only. After a stop
 * request every wait returns WASI EINTR at once (sleep() included), so a
 * libbpf-style loop sees -EINTR, leaves, and main returns with stdout flushed.
 * Other signals do not end a wait.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "wasi-priv.h"

static void block_stop_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

/*
 * ppoll(pfd, n, timeout) with the stop signals unblocked only while waiting.
 * Returns ppoll's result, or -1 with errno EINTR when a stop is requested.
 * timeout NULL waits forever.
 */
static int stoppable_ppoll(struct pollfd *pfd, nfds_t n, const struct timespec *timeout)
{
	sigset_t old;
	int r, e;

	block_stop_signals(&old);
	if (wbpf_stop_requested()) {
		r = -1;
		e = EINTR;
	} else {
		r = ppoll(pfd, n, timeout, &old);
		e = errno;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return r;
}

int wbpf_wasi__wait_fd(int host, short events)
{
	struct pollfd p = {.fd = host, .events = events};

	for (;;) {
		if (stoppable_ppoll(&p, 1, NULL) >= 0)
			return 0;
		if (errno != EINTR)
			return 0; /* let the read itself report the problem */
		if (wbpf_stop_requested())
			return -EINTR;
	}
}

static uint64_t now_ns(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		return 0;
	return ts_ns(&ts);
}

/* What each subscription became. */
struct sub {
	uint64_t userdata;
	uint8_t type;	   /* W_EVENT_* */
	uint16_t error;	   /* set: an event with this error, at once */
	int pfd;	   /* index into the pollfd array, or -1 */
	uint64_t deadline; /* clock: CLOCK_MONOTONIC ns */
	int host;	   /* fd: host fd */
};

static void put_event(uint8_t *ev, const struct sub *s, uint16_t error, uint64_t nbytes,
		      uint16_t flags)
{
	memset(ev, 0, W_EVENT_SIZE);
	put_u64(ev + W_EVENT_USERDATA_OFF, s->userdata);
	put_u16(ev + W_EVENT_ERROR_OFF, error);
	put_u8(ev + W_EVENT_TYPE_OFF, s->type);
	if (s->type != W_EVENT_CLOCK) {
		put_u64(ev + W_EVENT_FD_NBYTES_OFF, nbytes);
		put_u16(ev + W_EVENT_FD_FLAGS_OFF, flags);
	}
}

/* Bytes ready to read on a host fd: FIONREAD, or what is left of a regular file. */
static uint64_t readable_bytes(int host)
{
	struct stat st;
	off_t pos;
	int n = 0;

	if (fstat(host, &st) == 0 && S_ISREG(st.st_mode)) {
		pos = lseek(host, 0, SEEK_CUR);
		return pos >= 0 && st.st_size > pos ? (uint64_t)(st.st_size - pos) : 0;
	}
	if (ioctl(host, FIONREAD, &n) == 0 && n > 0)
		return (uint64_t)n;
	return 0;
}

uint32_t wbpf_wasi_poll_oneoff(struct wbpf_guest *g, uint32_t in_ptr, uint32_t out_ptr,
			       uint32_t nsubs, uint32_t nevents_out)
{
	uint64_t start, deadline = UINT64_MAX;
	struct pollfd *pfd = NULL;
	struct sub *subs = NULL;
	uint8_t *in, *out, *nevents;
	uint32_t i, nev = 0, ret = 0;
	nfds_t npfd = 0;
	bool ready = false;

	in = wbpf_guest_range(g, in_ptr, (uint64_t)nsubs * W_SUBSCRIPTION_SIZE);
	out = wbpf_guest_range(g, out_ptr, (uint64_t)nsubs * W_EVENT_SIZE);
	nevents = wbpf_guest_range(g, nevents_out, W_SIZE_T_SIZE);
	if (!in || !out || !nevents)
		return W_EFAULT;
	if (nsubs == 0)
		return W_EINVAL;
	subs = calloc(nsubs, sizeof(*subs));
	pfd = calloc(nsubs, sizeof(*pfd));
	if (!subs || !pfd) {
		ret = W_ENOMEM;
		goto cleanup;
	}

	/* decode every subscription before waiting */
	start = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < nsubs; i++) {
		const uint8_t *s = in + (uint64_t)i * W_SUBSCRIPTION_SIZE;
		struct sub *sub = &subs[i];

		sub->userdata = get_u64(s + W_SUBSCRIPTION_USERDATA_OFF);
		sub->type = s[W_SUBSCRIPTION_TAG_OFF];
		sub->pfd = -1;
		if (sub->type == W_EVENT_CLOCK) {
			uint32_t id = get_u32(s + W_SUBSCRIPTION_CLOCK_ID_OFF);
			uint64_t timeout = get_u64(s + W_SUBSCRIPTION_CLOCK_TIMEOUT_OFF), rem;
			uint16_t flags = get_u16(s + W_SUBSCRIPTION_CLOCK_FLAGS_OFF);
			clockid_t c;

			if (host_clock(id, &c)) {
				sub->error = W_EINVAL;
				ready = true;
				continue;
			}
			if (flags & W_SUBCLOCK_ABSTIME) {
				uint64_t now = now_ns(c);

				rem = timeout > now ? timeout - now : 0;
			} else {
				rem = timeout;
			}
			sub->deadline = rem > UINT64_MAX - start ? UINT64_MAX : start + rem;
			if (sub->deadline < deadline)
				deadline = sub->deadline;
		} else if (sub->type == W_EVENT_FD_READ || sub->type == W_EVENT_FD_WRITE) {
			struct wasi_fd *f;
			uint16_t err;

			err = wbpf_wasi__fd_check(g, get_u32(s + W_SUBSCRIPTION_FD_OFF),
						  W_R_POLL_FD_READWRITE, &f);
			if (err) {
				sub->error = err;
				ready = true;
				continue;
			}
			sub->host = f->host;
			sub->pfd = (int)npfd;
			pfd[npfd].fd = f->host;
			pfd[npfd].events = sub->type == W_EVENT_FD_READ ? POLLIN : POLLOUT;
			npfd++;
		} else {
			ret = W_EINVAL;
			goto cleanup;
		}
	}

	/* wait: for a ready fd, the first deadline, or a stop request */
	for (;;) {
		struct timespec ts, *tp = NULL;
		uint64_t now = now_ns(CLOCK_MONOTONIC);
		int r;

		if (ready || deadline <= now) {
			ts = (struct timespec){0, 0};
			tp = &ts;
		} else if (deadline != UINT64_MAX) {
			uint64_t d = deadline - now;

			ts.tv_sec = (time_t)(d / 1000000000ULL);
			ts.tv_nsec = (long)(d % 1000000000ULL);
			tp = &ts;
		}
		r = stoppable_ppoll(pfd, npfd, tp);
		if (r < 0) {
			if (errno == EINTR && !wbpf_stop_requested())
				continue;
			ret = werr();
			goto cleanup;
		}

		now = now_ns(CLOCK_MONOTONIC);
		nev = 0;
		for (i = 0; i < nsubs; i++) {
			struct sub *sub = &subs[i];
			uint8_t *ev = out + (uint64_t)nev * W_EVENT_SIZE;
			short re;

			if (sub->error) {
				put_event(ev, sub, sub->error, 0, 0);
				nev++;
			} else if (sub->type == W_EVENT_CLOCK) {
				if (sub->deadline <= now) {
					put_event(ev, sub, 0, 0, 0);
					nev++;
				}
			} else if ((re = pfd[sub->pfd].revents)) {
				uint16_t err = 0, flags = 0;
				uint64_t nbytes = 0;

				if (re & POLLNVAL)
					err = W_EBADF;
				else if ((re & POLLERR) && !(re & (POLLIN | POLLOUT)))
					err = W_EIO;
				if (re & POLLHUP)
					flags |= W_EVENTRW_HANGUP;
				if (!err && sub->type == W_EVENT_FD_READ)
					nbytes = readable_bytes(sub->host);
				put_event(ev, sub, err, nbytes, flags);
				nev++;
			}
		}
		if (nev)
			break;
	}
	put_u32(nevents, nev);
cleanup:
	free(subs);
	free(pfd);
	return ret;
}
