// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evbench: time an event-tracing tool (bootstrap's output format) from the
 * outside, without changing it.
 *
 * The tool runs on a pseudo-terminal, so that its stdout is line buffered
 * whatever libc it uses, and every line it prints is seen when printed.
 * Attach time: from just before the fork to the first EXEC line of PROBE,
 * which evbench execs every 5 ms meanwhile. With --events N it then execs
 * COUNT-PROBE N times, waits for the N EXEC and N EXIT lines of it, and
 * reports the CPU time the tool used in between (the sum of the run times in
 * /proc/PID/task/TID/schedstat, i.e. utime + stime in ns) divided by the
 * events it printed meanwhile: those 2N, and any other process's exec and
 * exit on the machine in that time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct tool {
	pid_t pid;
	int fd;
	FILE *out;
	char line[4096];
	size_t len;
	char attach_comm[16];
	char count_comm[16];
	bool attached;
	long exec_seen;
	long exit_seen;
	long all_seen;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* the kernel's comm: the file name, at most 15 bytes */
static void comm_of(const char *path, char comm[16])
{
	const char *base = strrchr(path, '/');

	snprintf(comm, 16, "%s", base ? base + 1 : path);
}

static void on_line(struct tool *t, const char *line)
{
	char ts[64], ev[16], comm[64];

	if (sscanf(line, "%63s %15s %63s", ts, ev, comm) != 3)
		return;
	if (strcmp(ev, "EXEC") && strcmp(ev, "EXIT"))
		return;
	t->all_seen++;
	if (!strcmp(ev, "EXEC") && !strcmp(comm, t->attach_comm))
		t->attached = true;
	if (t->count_comm[0] && !strcmp(comm, t->count_comm)) {
		if (!strcmp(ev, "EXEC"))
			t->exec_seen++;
		else if (!strcmp(ev, "EXIT"))
			t->exit_seen++;
	}
}

/* read what the tool printed, waiting up to timeout_ms for the first byte;
 * -EIO once the tool is gone */
static int drain(struct tool *t, int timeout_ms)
{
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
	char buf[16384];
	ssize_t n;

	if (poll(&pfd, 1, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	for (;;) {
		n = read(t->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			return -EIO;
		if (t->out)
			fwrite(buf, 1, n, t->out);
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || t->len == sizeof(t->line) - 1) {
				t->line[t->len] = 0;
				on_line(t, t->line);
				t->len = 0;
			} else if (buf[i] != '\r') {
				t->line[t->len++] = buf[i];
			}
		}
	}
}

static int run_probe(const char *path)
{
	char *argv[] = { (char *)path, NULL };
	pid_t pid;
	int status, err;

	err = posix_spawn(&pid, path, NULL, NULL, argv, environ);
	if (err)
		return -err;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

/* utime + stime of every thread of pid, in ns */
static long long cpu_ns(pid_t pid)
{
	char path[64], file[384];
	long long sum = 0, ns;
	struct dirent *d;
	DIR *dir;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s/schedstat", path, d->d_name);
		f = fopen(file, "r");
		if (!f)
			continue;
		if (fscanf(f, "%lld", &ns) == 1)
			sum += ns;
		fclose(f);
	}
	closedir(dir);
	return sum;
}

static int stop_tool(struct tool *t)
{
	double deadline = now_ms() + 5000;
	int status;

	kill(t->pid, SIGINT);
	while (now_ms() < deadline) {
		if (drain(t, 50) == -EIO || waitpid(t->pid, &status, WNOHANG) == t->pid) {
			if (waitpid(t->pid, &status, 0) < 0 && errno != ECHILD)
				return -errno;
			return 0;
		}
	}
	fprintf(stderr, "evbench: the tool did not stop on SIGINT; killed\n");
	kill(t->pid, SIGKILL);
	waitpid(t->pid, &status, 0);
	return -ETIMEDOUT;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: evbench [OPTIONS] -- TOOL [ARG...]\n"
		   "\n"
		   "Run TOOL on a pseudo-terminal; exec PROBE every 5 ms until TOOL prints its\n"
		   "EXEC line, and print attach_ms. With -n, then exec COUNT-PROBE N times and\n"
		   "print the CPU time TOOL used per event seen.\n"
		   "\n"
		   "  -p, --probe PATH         the attach probe (required)\n"
		   "  -n, --events N           exec+exit pairs to cause\n"
		   "  -c, --count-probe PATH   the program exec'd N times (required with -n)\n"
		   "  -o, --output FILE        copy TOOL's output to FILE\n"
		   "  -t, --timeout SEC        give up after SEC seconds per phase (default 20)\n"
		   "  -h, --help               show this help\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "probe", required_argument, NULL, 'p' },
		{ "events", required_argument, NULL, 'n' },
		{ "count-probe", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	const char *probe = NULL, *count_probe = NULL, *output = NULL;
	struct tool t = { .fd = -1 };
	long events = 0, timeout_ms = 20000;
	double t0, attach_ms, deadline;
	long long cpu0, cpu1;
	long seen0 = 0, seen;
	struct termios tio;
	int c, err = 0;

	while ((c = getopt_long(argc, argv, "p:n:c:o:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			probe = optarg;
			break;
		case 'n':
			events = atol(optarg);
			break;
		case 'c':
			count_probe = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 't':
			timeout_ms = atol(optarg) * 1000;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'evbench --help'.\n");
			return 2;
		}
	}
	if (!probe || optind >= argc || events < 0 || (events && !count_probe)) {
		fprintf(stderr, "evbench: need -p PROBE, TOOL, and -c with -n\n"
				"Try 'evbench --help'.\n");
		return 2;
	}
	comm_of(probe, t.attach_comm);
	if (events)
		comm_of(count_probe, t.count_comm);
	if (output) {
		t.out = fopen(output, "w");
		if (!t.out) {
			fprintf(stderr, "evbench: cannot write %s: %s\n", output, strerror(errno));
			return 1;
		}
	}

	/* no echo, no CR added: the tool's bytes as printed */
	memset(&tio, 0, sizeof(tio));
	tio.c_cflag = CS8 | CREAD;
	t0 = now_ms();
	t.pid = forkpty(&t.fd, NULL, &tio, NULL);
	if (t.pid < 0) {
		fprintf(stderr, "evbench: forkpty: %s\n", strerror(errno));
		return 1;
	}
	if (t.pid == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "evbench: cannot run %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	fcntl(t.fd, F_SETFL, fcntl(t.fd, F_GETFL) | O_NONBLOCK);

	/* 1. attach: probe every 5 ms until its EXEC line shows */
	deadline = t0 + timeout_ms;
	while (!t.attached) {
		double next = now_ms() + 5;

		if (now_ms() > deadline) {
			fprintf(stderr, "evbench: no EXEC line of %s within %ld s\n", t.attach_comm,
				timeout_ms / 1000);
			err = -ETIMEDOUT;
			goto stop;
		}
		err = run_probe(probe);
		if (err) {
			fprintf(stderr, "evbench: cannot run %s: %s\n", probe, strerror(-err));
			goto stop;
		}
		while (!t.attached && now_ms() < next)
			if (drain(&t, (int)(next - now_ms()) + 1) == -EIO) {
				fprintf(stderr, "evbench: the tool ended before attaching\n");
				err = -EIO;
				goto stop;
			}
	}
	attach_ms = now_ms() - t0;
	printf("attach_ms=%.1f", attach_ms);

	/* 2. CPU per event */
	if (events) {
		/* let the attach probes' events pass */
		for (int i = 0; i < 4; i++)
			drain(&t, 50);
		cpu0 = cpu_ns(t.pid);
		seen0 = t.all_seen;
		for (long i = 0; i < events; i++) {
			err = run_probe(count_probe);
			if (err) {
				fprintf(stderr, "evbench: cannot run %s: %s\n", count_probe,
					strerror(-err));
				goto stop;
			}
			drain(&t, 0);
		}
		deadline = now_ms() + timeout_ms;
		while ((t.exec_seen < events || t.exit_seen < events) && now_ms() < deadline)
			if (drain(&t, 100) == -EIO)
				break;
		drain(&t, 0);
		cpu1 = cpu_ns(t.pid);
		seen = t.all_seen - seen0;
		printf(" events=%ld exec_seen=%ld exit_seen=%ld all_seen=%ld cpu_ns=%lld"
		       " ns_per_event=%.0f",
		       2 * events, t.exec_seen, t.exit_seen, seen, cpu1 - cpu0,
		       (double)(cpu1 - cpu0) / (seen ?: 1));
		if (t.exec_seen != events || t.exit_seen != events) {
			fprintf(stderr, "evbench: saw %ld EXEC and %ld EXIT lines of %s, want %ld\n",
				t.exec_seen, t.exit_seen, t.count_comm, events);
			err = -EPROTO;
		}
	}
	printf("\n");
stop:
	if (stop_tool(&t) && !err)
		err = -ETIMEDOUT;
	if (t.out)
		fclose(t.out);
	close(t.fd);
	return err ? 1 : 0;
}
