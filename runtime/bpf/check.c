// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The guest's BPF object is parsed first in a disposable child process (see
 * docs/abi.md, section "Loading an object").
 *
 * libbpf is not written to parse hostile ELF: one changed byte in an
 * object's BTF makes libbpf 1.1 follow a bad pointer, and the host runs as
 * root. So before the host opens a guest's object, a forked child opens a
 * copy-on-write copy of it with bpf_object__open_mem() (ELF, BTF, maps,
 * programs and relocation records: everything libbpf parses without the
 * kernel) and walks what it parsed, under a seccomp filter that lets it
 * allocate memory, write to the pipe back to the parent, and exit; any other
 * system call fails with EPERM. It never touches the kernel's BPF objects.
 * The child answers through the pipe; a child killed by a signal (libbpf
 * crashed), over its CPU limit (libbpf looped) or silent means the object is
 * refused, as is an object libbpf refuses to open. Only an object the child
 * opened is opened again, for real, in the host.
 *
 * The child's answer is read as untrusted bytes: fixed size, its message cut
 * at the first NUL and stripped of control characters.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf-priv.h"

#define CHECK_CPU_SECONDS 2 /* RLIMIT_CPU of the child: libbpf looping is a refusal */
#define REASON_MAX 200

/* What the child writes to the pipe: one fixed-size record. */
struct answer {
	int err;	      /* bpf_object__open_mem()'s -errno, 0 if it opened */
	char msg[REASON_MAX]; /* libbpf's first warning, if any */
};

/* the child's state (a copy per child; the parent never sets these) */
static struct answer child_answer;
static bool child_debug;

static int child_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list copy;

	if (level == LIBBPF_WARN && !child_answer.msg[0]) {
		va_copy(copy, ap);
		vsnprintf(child_answer.msg, sizeof(child_answer.msg), fmt, copy);
		va_end(copy);
	}
	if (child_debug)
		vfprintf(stderr, fmt, ap);
	return 0;
}

#if defined(__x86_64__)
#define CHECK_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define CHECK_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define DENY BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)
/* if nr == NR: go on with the next instruction, else skip the `skip` after it */
#define IF_NR(nr, skip) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, (skip))
#define ARG_LO(i) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[i]))
#define ALLOW_NR(nr) IF_NR(nr, 1), ALLOW

/*
 * Memory, exit, and write to the pipe (and to stderr with WASMBPF_DEBUG);
 * mmap only anonymous (fd -1: the child holds the host's map fds); the few
 * calls newer libbpf makes while it opens an object (below). Anything else is
 * EPERM, which libbpf handles as any failed call.
 */
static int child_seccomp(int out_fd, bool allow_stderr)
{
#ifdef CHECK_AUDIT_ARCH
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CHECK_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		LD_NR,
#ifdef __x86_64__
		/* x32 system calls */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
		DENY,
#endif
		ALLOW_NR(__NR_exit_group),
		ALLOW_NR(__NR_exit),
		ALLOW_NR(__NR_brk),
		ALLOW_NR(__NR_munmap),
		ALLOW_NR(__NR_mremap),
		ALLOW_NR(__NR_madvise),
		ALLOW_NR(__NR_mprotect),
		ALLOW_NR(__NR_rt_sigreturn),
		ALLOW_NR(__NR_rt_sigprocmask),
		ALLOW_NR(__NR_getpid),
		ALLOW_NR(__NR_gettid),
		/* libbpf 1.5 opens with a placeholder fd for every map (an empty
		 * memfd, moved above fd 2 and closed again) and reads the kernel's
		 * version with uname: none of them reaches a file or the kernel's
		 * BPF state */
		ALLOW_NR(__NR_memfd_create),
		ALLOW_NR(__NR_close),
		ALLOW_NR(__NR_uname),
		/* fcntl(fd, F_DUPFD_CLOEXEC, ...) only: no flag of a description
		 * shared with the host may change */
		IF_NR(__NR_fcntl, 4),
		ARG_LO(1),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, F_DUPFD_CLOEXEC, 0, 1),
		ALLOW,
		DENY,
		/* mmap(addr, len, prot, flags, fd, off): fd == -1 */
		IF_NR(__NR_mmap, 4),
		ARG_LO(4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffu, 0, 1),
		ALLOW,
		DENY,
		/* write(fd, ...): the pipe, or stderr when allowed */
		IF_NR(__NR_write, 5),
		ARG_LO(0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)out_fd, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, allow_stderr ? 2u : (uint32_t)out_fd, 0, 1),
		ALLOW,
		DENY,
		DENY,
	};
	struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return -errno;
	return 0;
#else
	(void)out_fd;
	(void)allow_stderr;
	return 0; /* no filter for this architecture: the process boundary remains */
#endif
}

/* Touch what open parsed, as load will: names, sections, BTF types. */
static void child_walk(struct bpf_object *obj)
{
	struct bpf_program *prog;
	const struct bpf_map *map;
	const struct btf *btf;
	volatile size_t sum = 0;
	__u32 i, n;

	bpf_object__for_each_program(prog, obj) {
		sum += strlen(bpf_program__name(prog)) + strlen(bpf_program__section_name(prog));
		sum += bpf_program__insn_cnt(prog) + bpf_program__type(prog);
	}
	bpf_object__for_each_map(map, obj)
		sum += strlen(bpf_map__name(map)) + bpf_map__type(map) + bpf_map__value_size(map);
	btf = bpf_object__btf(obj);
	if (btf) {
		n = btf__type_cnt(btf);
		for (i = 1; i < n; i++) {
			const struct btf_type *t = btf__type_by_id(btf, i);
			const char *name = t ? btf__name_by_offset(btf, t->name_off) : NULL;

			sum += name ? strlen(name) : 0;
		}
	}
	(void)sum;
}

static void __attribute__((noreturn))
child_run(const void *elf, size_t size, int out_fd, const char *obj_name, bool debug)
{
	static const int deadly[] = {SIGSEGV, SIGBUS, SIGFPE,  SIGILL,
				     SIGABRT, SIGSYS, SIGTRAP, SIGXCPU};
	static const int ignored[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
	struct rlimit cpu = {CHECK_CPU_SECONDS, CHECK_CPU_SECONDS + 1}, core = {0, 0};
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = obj_name);
	struct sigaction sa = {};
	struct bpf_object *obj;
	sigset_t all;
	size_t i;

	/* the host's handlers (the wasm runtime's SIGSEGV handler among them)
	 * must not run here: a crash has to end this process */
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++)
		sigaction(deadly[i], &sa, NULL);
	sa.sa_handler = SIG_IGN; /* a ^C is the host's to handle */
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		sigaction(ignored[i], &sa, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	setrlimit(RLIMIT_CPU, &cpu);
	setrlimit(RLIMIT_CORE, &core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);

	child_debug = debug;
	libbpf_set_print(child_print);
	if (child_seccomp(out_fd, debug))
		_exit(3);

	obj = bpf_object__open_mem(elf, size, &opts);
	child_answer.err = obj ? 0 : (errno ? -errno : -EINVAL);
	if (obj)
		child_walk(obj);
	/* no close: the process ends; write() of less than PIPE_BUF is atomic */
	if (write(out_fd, &child_answer, sizeof(child_answer)) != sizeof(child_answer))
		_exit(4);
	_exit(0);
}

/* msg from the child: printable ASCII, no trailing newline or "libbpf: " */
static void clean_reason(char *dst, size_t dst_sz, const char *src, size_t src_sz)
{
	size_t i, n = 0;

	if (src_sz >= 8 && strncmp(src, "libbpf: ", 8) == 0) {
		src += 8;
		src_sz -= 8;
	}
	for (i = 0; i < src_sz && src[i] && n + 1 < dst_sz; i++)
		dst[n++] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : ' ';
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

/*
 * A child that answered "opened" is not waited for: its exit (the kernel
 * tearing down its copy of the address space) would double the cost of the
 * check. It is reaped, without blocking, by the next check; one left at the
 * host's exit is reaped by init.
 */
static pid_t unreaped = -1;

static void reap(void)
{
	if (unreaped > 0 && waitpid(unreaped, NULL, WNOHANG) != 0)
		unreaped = -1;
}

int wbpf_bpf_check_object(const void *elf, size_t size, const char *obj_name, bool debug,
			  char *reason, size_t reason_sz)
{
	struct answer a = {};
	size_t got = 0;
	int fds[2], status = 0, err = -EINVAL;
	pid_t pid, w;
	ssize_t n;

	reason[0] = '\0';
	reap();
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		snprintf(reason, reason_sz, "cannot start the check: %s", strerror(-err));
		return err;
	}
	if (pid == 0) {
		close(fds[0]);
		child_run(elf, size, fds[1], obj_name, debug);
	}
	close(fds[1]);
	while (got < sizeof(a)) {
		n = read(fds[0], (char *)&a + got, sizeof(a) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	if (got == sizeof(a) && a.err == 0) {
		reap(); /* the one before, if it still runs */
		if (unreaped < 0)
			unreaped = pid;
		else
			waitpid(pid, NULL, 0);
		return 0;
	}
	do
		w = waitpid(pid, &status, 0);
	while (w < 0 && errno == EINTR);

	if (w == pid && WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		if (sig == SIGXCPU || sig == SIGKILL)
			snprintf(reason, reason_sz,
				 "libbpf did not finish parsing it in %d s of CPU (%s)",
				 CHECK_CPU_SECONDS, sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
		else
			snprintf(reason, reason_sz, "libbpf crashed parsing it (SIG%s)",
				 sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
		return -EINVAL;
	}
	if (got != sizeof(a) || (w == pid && (!WIFEXITED(status) || WEXITSTATUS(status)))) {
		snprintf(reason, reason_sz, "the check ended without an answer (exit %d)",
			 w == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -EINVAL;
	}
	clean_reason(reason, reason_sz, a.msg, sizeof(a.msg));
	if (!reason[0]) {
		const char *name = a.err < 0 && a.err > -4096 ? strerrorname_np(-a.err) : NULL;

		if (name)
			snprintf(reason, reason_sz, "libbpf refused it without a message (%s)",
				 name);
		else
			snprintf(reason, reason_sz,
				 "libbpf refused it without a message (error %d)", a.err);
	}
	return err;
}
