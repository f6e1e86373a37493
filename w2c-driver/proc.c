// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Subprocesses (fork + execvp, stderr captured) and the temporary files of a
 * build, removed on every way out.
 *
 * The cleanup runs from a signal handler too, so it only uses paths computed
 * in advance and async-signal-safe calls (kill, waitpid, unlink, rmdir).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"

#define MAX_TMP_FILES 32
#define MAX_CAPTURE (1 << 20) /* keep at most 1 MiB of a command's output */

void wbpf_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("wasmbpf-aot: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void oom(void)
{
	wbpf_msg("out of memory");
	abort();
}

void wbpf_args__push(struct wbpf_args *a, const char *s)
{
	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		char **v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			oom();
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n] = strdup(s);
	if (!a->v[a->n])
		oom();
	a->v[++a->n] = NULL;
}

void wbpf_args__split(struct wbpf_args *a, const char *s)
{
	char *copy = strdup(s), *save = NULL, *w;

	if (!copy)
		oom();
	for (w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
		wbpf_args__push(a, w);
	free(copy);
}

void wbpf_args__append(struct wbpf_args *a, const struct wbpf_args *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		wbpf_args__push(a, b->v[i]);
}

void wbpf_args__free(struct wbpf_args *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static char tmp_dir[PATH_MAX];
static char tmp_files[MAX_TMP_FILES][PATH_MAX];
static volatile sig_atomic_t tmp_nfiles;
static volatile sig_atomic_t tmp_dir_set;
static volatile sig_atomic_t tmp_dir_keep;
static char tmp_out[PATH_MAX];
static volatile sig_atomic_t tmp_out_set;
static char tmp_file[PATH_MAX];
static volatile sig_atomic_t tmp_file_set;
static volatile pid_t child_pids[WBPF_MAX_JOBS];

void wbpf_cleanup(void)
{
	int i;

	for (i = 0; i < WBPF_MAX_JOBS; i++)
		if (child_pids[i] > 0)
			kill(child_pids[i], SIGTERM);
	for (i = 0; i < WBPF_MAX_JOBS; i++) {
		if (child_pids[i] > 0)
			waitpid(child_pids[i], NULL, 0);
		child_pids[i] = 0;
	}
	if (tmp_out_set) {
		unlink(tmp_out);
		tmp_out_set = 0;
	}
	if (tmp_file_set) {
		unlink(tmp_file);
		tmp_file_set = 0;
	}
	if (tmp_dir_set && !tmp_dir_keep) {
		for (i = 0; i < tmp_nfiles; i++)
			unlink(tmp_files[i]);
		rmdir(tmp_dir);
		tmp_dir_set = 0;
	}
}

static void on_signal(int sig)
{
	wbpf_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

void wbpf_cleanup_init(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void block_signals(sigset_t *old)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, old);
}

int wbpf_tmpdir_create(char *dir, size_t dirsz, const char *const *names)
{
	const char *base = getenv("TMPDIR");
	sigset_t old;
	int n, ret = 0;

	if (!base || !base[0])
		base = "/tmp";
	n = snprintf(dir, dirsz, "%s/wasmbpf-aot.XXXXXX", base);
	if (n < 0 || (size_t)n >= dirsz || (size_t)n >= sizeof(tmp_dir) - 64)
		return -ENAMETOOLONG;

	block_signals(&old);
	if (!mkdtemp(dir)) {
		ret = -errno;
		goto cleanup;
	}
	strcpy(tmp_dir, dir);
	tmp_nfiles = 0;
	for (; *names && tmp_nfiles < MAX_TMP_FILES; names++) {
		snprintf(tmp_files[tmp_nfiles], PATH_MAX, "%s/%s", dir, *names);
		tmp_nfiles++;
	}
	tmp_dir_set = 1;
cleanup:
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

int wbpf_tmpout_create(const char *out, char *path, size_t pathsz)
{
	const char *slash = strrchr(out, '/');
	sigset_t old;
	int n, fd, ret = 0;

	if (slash)
		n = snprintf(path, pathsz, "%.*s/.%s.XXXXXX", (int)(slash - out), out, slash + 1);
	else
		n = snprintf(path, pathsz, ".%s.XXXXXX", out);
	if (n < 0 || (size_t)n >= pathsz || (size_t)n >= sizeof(tmp_out))
		return -ENAMETOOLONG;

	block_signals(&old);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		goto cleanup;
	}
	close(fd);
	strcpy(tmp_out, path);
	tmp_out_set = 1;
cleanup:
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

void wbpf_tmpout_release(void)
{
	tmp_out_set = 0;
}

int wbpf_tmpfile_create(char *path)
{
	sigset_t old;
	int fd;

	if (strlen(path) >= sizeof(tmp_file))
		return -ENAMETOOLONG;
	block_signals(&old);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
	} else {
		strcpy(tmp_file, path);
		tmp_file_set = 1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return fd;
}

void wbpf_tmpfile_release(void)
{
	tmp_file_set = 0;
}

void wbpf_tmpdir_keep(void)
{
	tmp_dir_keep = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_cmd(char *const argv[])
{
	size_t i;

	fputs("+", stderr);
	for (i = 0; argv[i]; i++) {
		const char *a = argv[i];

		if (a[0] && !a[strcspn(a, " \t\n'\"\\$`*?[]{}()<>|&;#~")])
			fprintf(stderr, " %s", a);
		else {
			fputs(" '", stderr);
			for (; *a; a++) {
				if (*a == '\'')
					fputs("'\\''", stderr);
				else
					fputc(*a, stderr);
			}
			fputc('\'', stderr);
		}
	}
	fputc('\n', stderr);
}

struct buf {
	char *data;
	size_t len, cap;
};

static int buf_read(struct buf *b, int fd)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -errno;
	if (n == 0)
		return 0;
	if (b->len + (size_t)n > MAX_CAPTURE)
		return 1; /* drop the excess; keep draining */
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8192;
		char *p;

		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p)
			return -ENOMEM;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, tmp, (size_t)n);
	b->len += (size_t)n;
	b->data[b->len] = '\0';
	return 1;
}

/* A command started by spawn(): its pipes, its output so far. */
struct job {
	pid_t pid;
	int slot; /* in child_pids */
	int errfd, outfd;
	struct buf eb, ob;
	double t0;
};

/* Start argv with stderr (and stdout when capture_out) on pipes; the child is
 * recorded in a free slot of child_pids before any signal can be handled. */
static int spawn(char *const argv[], bool capture_out, bool verbose, struct job *j)
{
	int errp[2] = {-1, -1}, outp[2] = {-1, -1}, slot, ret = 0;
	sigset_t old_mask;
	pid_t pid;

	memset(j, 0, sizeof(*j));
	j->errfd = j->outfd = -1;
	j->t0 = now();
	for (slot = 0; slot < WBPF_MAX_JOBS && child_pids[slot] > 0; slot++)
		;
	if (slot == WBPF_MAX_JOBS)
		return -EAGAIN;
	if (verbose) {
		print_cmd(argv);
		fflush(stderr);
	}
	if (pipe2(errp, O_CLOEXEC) || (capture_out && pipe2(outp, O_CLOEXEC))) {
		ret = -errno;
		goto cleanup;
	}
	fflush(NULL);
	/* no signal between fork() and the slot being set: the handler must
	 * know the child to stop it */
	block_signals(&old_mask);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		goto cleanup;
	}
	if (pid == 0) {
		int e;

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		dup2(errp[1], STDERR_FILENO);
		if (capture_out)
			dup2(outp[1], STDOUT_FILENO);
		execvp(argv[0], argv);
		e = errno;
		dprintf(STDERR_FILENO, "cannot run '%s': %s\n", argv[0], strerror(e));
		_exit(127);
	}
	child_pids[slot] = pid;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	j->pid = pid;
	j->slot = slot;
	j->errfd = errp[0];
	j->outfd = outp[0];
	errp[0] = outp[0] = -1;
cleanup:
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	return ret;
}

/* Wait for the job's child (its pipes are closed) and fill res. */
static int reap(struct job *j, bool capture_out, struct wbpf_cmd_result *res)
{
	int status, ret = 0;

	while (waitpid(j->pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = 0x7f00; /* cannot happen: report as exit 127 */
			break;
		}
	}
	child_pids[j->slot] = 0;
	j->pid = 0;
	if (WIFEXITED(status))
		res->status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		res->status = 128 + WTERMSIG(status);
	res->secs = now() - j->t0;
	res->err = j->eb.data ? j->eb.data : strdup("");
	res->out = capture_out ? (j->ob.data ? j->ob.data : strdup("")) : NULL;
	if (!capture_out)
		free(j->ob.data);
	j->eb.data = j->ob.data = NULL;
	if (!res->err || (capture_out && !res->out))
		ret = -ENOMEM;
	return ret;
}

/*
 * Drain the pipes of the running jobs until one of them has closed both; that
 * one's index, or -errno (its pipes are then closed, the child still to be
 * reaped).
 */
static int drain_one(struct job *jobs, size_t n, int *failed)
{
	struct pollfd pfd[2 * WBPF_MAX_JOBS];
	int who[2 * WBPF_MAX_JOBS];
	size_t i;

	for (;;) {
		int nfds = 0, k;

		for (i = 0; i < n; i++) {
			if (!jobs[i].pid)
				continue;
			if (jobs[i].errfd < 0 && jobs[i].outfd < 0)
				return (int)i;
			if (jobs[i].errfd >= 0) {
				who[nfds] = (int)i;
				pfd[nfds++] = (struct pollfd){jobs[i].errfd, POLLIN, 0};
			}
			if (jobs[i].outfd >= 0) {
				who[nfds] = (int)i;
				pfd[nfds++] = (struct pollfd){jobs[i].outfd, POLLIN, 0};
			}
		}
		if (!nfds)
			return -ECHILD;
		if (poll(pfd, nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (k = 0; k < nfds; k++) {
			struct job *j = &jobs[who[k]];
			bool is_err = pfd[k].fd == j->errfd;
			int *fd = is_err ? &j->errfd : &j->outfd;
			int r;

			if (!pfd[k].revents)
				continue;
			r = buf_read(is_err ? &j->eb : &j->ob, *fd);
			if (r <= 0) {
				close(*fd);
				*fd = -1;
				if (r < 0)
					*failed = r;
			}
		}
	}
}

int wbpf_run(char *const argv[], bool capture_out, bool verbose, struct wbpf_cmd_result *res)
{
	struct job j;
	int failed = 0, ret;

	memset(res, 0, sizeof(*res));
	ret = spawn(argv, capture_out, verbose, &j);
	if (ret)
		return ret;
	ret = drain_one(&j, 1, &failed);
	if (ret < 0) {
		/* poll failed: stop reading, still wait for the child */
		if (j.errfd >= 0)
			close(j.errfd);
		if (j.outfd >= 0)
			close(j.outfd);
	}
	ret = reap(&j, capture_out, res);
	return failed ? failed : ret;
}

int wbpf_run_many(char *const *const argvs[], size_t n, size_t max_jobs, bool verbose,
		  struct wbpf_cmd_result *res)
{
	struct job jobs[WBPF_MAX_JOBS];
	size_t started = 0, running = 0, i;
	int idx[WBPF_MAX_JOBS]; /* the command each job runs */
	int ret = 0, failed = 0, r;

	memset(res, 0, n * sizeof(*res));
	memset(jobs, 0, sizeof(jobs));
	if (max_jobs < 1)
		max_jobs = 1;
	if (max_jobs > WBPF_MAX_JOBS)
		max_jobs = WBPF_MAX_JOBS;
	for (i = 0; i < n; i++)
		res[i].status = -1;
	while (started < n || running) {
		/* fill the free job slots, unless something failed to start */
		while (!ret && started < n && running < max_jobs) {
			for (i = 0; jobs[i].pid; i++)
				;
			r = spawn(argvs[started], false, verbose, &jobs[i]);
			if (r) {
				ret = r;
				break;
			}
			idx[i] = (int)started++;
			running++;
		}
		if (!running)
			break;
		r = drain_one(jobs, max_jobs, &failed);
		if (r < 0) {
			/* poll failed: stop reading, wait for every child */
			for (i = 0; i < max_jobs; i++) {
				if (!jobs[i].pid)
					continue;
				if (jobs[i].errfd >= 0)
					close(jobs[i].errfd);
				if (jobs[i].outfd >= 0)
					close(jobs[i].outfd);
				jobs[i].errfd = jobs[i].outfd = -1;
			}
			if (!ret)
				ret = r;
			continue;
		}
		i = (size_t)r;
		r = reap(&jobs[i], false, &res[idx[i]]);
		if (r && !ret)
			ret = r;
		running--;
	}
	return ret ? ret : failed;
}

void wbpf_cmd_result__free(struct wbpf_cmd_result *res)
{
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
}

char *wbpf_first_line(const char *s, char *buf, size_t bufsz)
{
	size_t n;

	if (!bufsz)
		return buf;
	buf[0] = '\0';
	if (!s)
		return buf;
	while (*s == '\n' || *s == '\r' || *s == ' ')
		s++;
	n = strcspn(s, "\r\n");
	if (n >= bufsz)
		n = bufsz - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}
