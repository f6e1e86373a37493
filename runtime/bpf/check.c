// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The guest's BPF object is parsed first in a disposable child process (see
 * docs/abi.md, section "Loading an object").
 *
 * libbpf is not written to parse hostile ELF: one changed byte in an
 * object's BTF makes libbpf 1.1 follow a bad pointer, and the host runs as
 * root. So before the host opens a guest's object, a child process opens a
 * copy of it with bpf_object__open_mem() (ELF, BTF, maps, programs and
 * relocation records: everything libbpf parses without the kernel) and walks
 * what it parsed, under a seccomp filter that lets it allocate memory, read
 * the object, write to the pipe back and exit; any other system call fails
 * with EPERM. It never touches the kernel's BPF objects. A child killed by a
 * signal (libbpf crashed), over its CPU limit (libbpf looped) or silent means
 * the object is refused, as is an object libbpf refuses to open. Only an
 * object the child opened is opened again, for real, in the host.
 *
 * Where the child comes from. Forking the host costs a copy of its page
 * tables: the guest's memory, the interpreter's heap, libbpf's state, which
 * is milliseconds for a big guest. So an engine starts the checker first thing
 * (wbpf_bpf_checker_start()), for a module that imports wasm_load_bpf_object,
 * while the host is still small: a process that holds nothing of the host but
 * one socket, and keeps a spare child ready, its filter already in place,
 * waiting for an object. The host forks the first spare itself, just before
 * the checker, so that an object loaded right after the start waits for one
 * new process rather than two in turn. The host holds each spare's socket
 * before the spare exists (the first it made itself; for the others the
 * checker sends it, SCM_RIGHTS, then forks the spare on the other end); a
 * check sends the object on it and reads the answer from it, with no process
 * in between. After each check the host asks the checker for the next spare
 * (MSG_NEXT), which the checker forks SPARE_DELAY_MS later, or at once when
 * the host's next check waits for it (MSG_NOW): none competes for a CPU with
 * the first spare's check or the start-up after it, and a program that loads
 * one object gets one more spare, not a new one after every check. The
 * checker waits for each spare to end and tells the host how it ended (which
 * matters when it did not answer; the first spare's end is the host's own to
 * wait for).
 * When there is no checker (never started, or gone: killed, or it could not
 * fork), the host forks the child itself, as it did before the checker
 * existed.
 *
 * A spare, while it waits, maps the code and fills the heap and stack the
 * parse will use, and has libbpf open a small object of our own
 * (spare_warm()): in a virtual machine a page fault costs tens of
 * microseconds, and a fresh process takes dozens of them in libbpf.
 *
 * What comes back is read as untrusted bytes: fixed size, the message cut at
 * the first NUL and stripped of control characters.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "wbpf/bpf.h"
#include "bpf-priv.h"

#define CHECK_CPU_SECONDS 2 /* RLIMIT_CPU of the child: libbpf looping is a refusal */
#define REASON_MAX 200

/* What the child writes back: one fixed-size record. */
struct answer {
	int err;	      /* bpf_object__open_mem()'s -errno, 0 if it opened */
	char msg[REASON_MAX]; /* libbpf's first warning, if any */
};

/* A check, host to the checker's spare: this, then size bytes. */
struct request {
	uint32_t magic;
	uint32_t pad;
	uint64_t size;
	char name[64]; /* the object's name for libbpf, NUL-terminated */
};

#define REQUEST_MAGIC 0x6b636877u /* "whck" */

/* What the checker tells the host, one datagram each, in turn for every spare. */
struct checker_msg {
	int32_t kind;	/* MSG_* */
	int32_t status; /* MSG_ENDED: the spare's wait status */
};

enum {
	MSG_SPARE = 1, /* the next spare's socket comes with this (SCM_RIGHTS); then it is forked */
	MSG_ENDED,     /* that spare ended (and is reaped): its wait status */
	MSG_NEXT,      /* host to checker: make the next spare */
	MSG_NOW,       /* host to checker: a load waits for that spare: no delay */
};

/*
 * How long the checker waits, after the host asked for the next spare,
 * before it forks it (unless the host's next load comes first: MSG_NOW).
 * A check comes in the middle of a tool's start-up; a new spare made at
 * once (a fork, then libbpf warmed up) takes a CPU from it for some
 * milliseconds.
 */
#define SPARE_DELAY_MS 200

/* fds of the checker (its 0 and 1 are /dev/null, 2 is stderr or /dev/null) */
#define CHECKER_FD 3
/* the spare's socket: the request comes on it, the answer goes back on it */
#define SPARE_FD 0

/* ---------------------------------------------------------------- the child */

/* the child's state (a copy per child; the host never sets these) */
static struct answer child_answer;
static bool child_debug;

/*
 * With WASMBPF_DEBUG, libbpf's messages in the child: gathered here and
 * written to stderr in one go (a write per message costs more than the parse),
 * before the answer, when full, or when the child crashes.
 */
static char child_log[16384];
static size_t child_log_len;

static void child_log_flush(void)
{
	size_t n = child_log_len < sizeof(child_log) ? child_log_len : sizeof(child_log);

	child_log_len = 0;
	if (n && write(2, child_log, n) < 0)
		return;
}

static int child_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list copy;
	size_t room;
	int n;

	if (level == LIBBPF_WARN && !child_answer.msg[0]) {
		va_copy(copy, ap);
		vsnprintf(child_answer.msg, sizeof(child_answer.msg), fmt, copy);
		va_end(copy);
	}
	if (!child_debug)
		return 0;
	room = sizeof(child_log) - child_log_len;
	va_copy(copy, ap);
	n = vsnprintf(child_log + child_log_len, room, fmt, copy);
	va_end(copy);
	if (n >= 0 && (size_t)n < room) {
		child_log_len += n;
		return 0;
	}
	/* it did not fit: what came before, then this one (cut to the buffer) */
	child_log_flush();
	n = vsnprintf(child_log, sizeof(child_log), fmt, ap);
	child_log_len = n < 0 ? 0 : (size_t)n;
	child_log_flush();
	return 0;
}

/* A crash in the child with WASMBPF_DEBUG: its messages, then the crash again
 * with the default action (SA_RESETHAND), which ends the child. */
static void child_log_on_crash(int sig)
{
	(void)sig;
	child_log_flush();
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
 * Memory, exit, read from in_fd (-1: none), write to out_fd (and to stderr
 * with WASMBPF_DEBUG); mmap only anonymous (fd -1: a child forked by the host
 * holds the host's map fds); the few calls newer libbpf makes while it opens
 * an object (below). Anything else is EPERM, which libbpf handles as any
 * failed call.
 */
static int child_seccomp(int in_fd, int out_fd, bool allow_stderr)
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
		/* the sanitizers' runtime asks for the signal stack before each call
		 * that does not return (child_parse(), _exit()): it is this
		 * process's own memory */
		ALLOW_NR(__NR_sigaltstack),
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
		/* read(fd, ...): the object's pipe */
		IF_NR(__NR_read, 4),
		ARG_LO(0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)in_fd, 0, 1),
		ALLOW,
		DENY,
		/* write(fd, ...): the answer's pipe, or stderr when allowed */
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
	(void)in_fd;
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

	bpf_object__for_each_program (prog, obj) {
		sum += strlen(bpf_program__name(prog)) + strlen(bpf_program__section_name(prog));
		sum += bpf_program__insn_cnt(prog) + bpf_program__type(prog);
	}
	bpf_object__for_each_map (map, obj)
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

/*
 * What every child does first: a crash or a signal ends it, ^C is the host's,
 * a CPU limit (cpu_limit), no core file, it dies with its parent (parent: the
 * pid it was forked from; gone if that is no longer the parent).
 */
static void child_setup(pid_t parent, bool cpu_limit, bool debug)
{
	static const int deadly[] = {SIGSEGV, SIGBUS, SIGFPE,  SIGILL,
				     SIGABRT, SIGSYS, SIGTRAP, SIGXCPU};
	static const int ignored[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
	struct rlimit cpu = {CHECK_CPU_SECONDS, CHECK_CPU_SECONDS + 1}, core = {0, 0};
	struct sigaction sa = {};
	sigset_t all;
	size_t i;

	/* the host's handlers (the wasm runtime's SIGSEGV handler among them)
	 * must not run here: a crash has to end this process */
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++)
		sigaction(deadly[i], &sa, NULL);
	if (debug) {
		/* a fault comes back after the handler, then with SIG_DFL; a
		 * fault on a bad stack cannot run it and ends the child as is */
		sa.sa_handler = child_log_on_crash;
		sa.sa_flags = SA_RESETHAND | SA_NODEFER;
		for (i = 0; i < 5; i++) /* SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT */
			sigaction(deadly[i], &sa, NULL);
		sa.sa_flags = 0;
	}
	sa.sa_handler = SIG_IGN;
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		sigaction(ignored[i], &sa, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (cpu_limit)
		setrlimit(RLIMIT_CPU, &cpu);
	setrlimit(RLIMIT_CORE, &core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* no preempting the program when it wakes us: the object comes with a
	 * wake-up that would otherwise put a spare on the program's CPU ahead of
	 * it, while the program has work of its own (kernel-btf.c) */
	sched_setscheduler(0, SCHED_BATCH, &(struct sched_param){0});
	if (getppid() != parent)
		_exit(0);
}

/* Open [elf, elf + size) under the filter already in place, answer on out_fd, exit. */
static void __attribute__((noreturn))
child_parse(const void *elf, size_t size, int out_fd, const char *obj_name)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = obj_name);
	struct bpf_object *obj;

	obj = bpf_object__open_mem(elf, size, &opts);
	child_answer.err = obj ? 0 : (errno ? -errno : -EINVAL);
	if (obj)
		child_walk(obj);
	child_log_flush();
	/* no close: the process ends; write() of less than PIPE_BUF is atomic */
	if (write(out_fd, &child_answer, sizeof(child_answer)) != sizeof(child_answer))
		_exit(4);
	_exit(0);
}

/* The child the host forks itself: the object is in its copy of the host's memory. */
static void __attribute__((noreturn))
child_run(const void *elf, size_t size, int out_fd, const char *obj_name, bool debug, pid_t parent)
{
	child_setup(parent, true, debug);
	child_debug = debug;
	libbpf_set_print(child_print);
	if (child_seccomp(-1, out_fd, debug))
		_exit(3);
	child_parse(elf, size, out_fd, obj_name);
}

/* read() until n bytes or the end: how many came */
static size_t read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* heap the spare makes ready for libbpf's parse, and a buffer for an object up to WARM_OBJECT */
#define WARM_HEAP (256 << 10)
#define WARM_OBJECT (128 << 10)
/* stack below the spare's frame made ready for libbpf */
#define WARM_STACK (64 << 10)

static void populate(uintptr_t lo, uintptr_t hi, int advice)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);

	lo &= ~(pg - 1);
	hi = (hi + pg - 1) & ~(pg - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, advice);
}

/* whether [lo, hi) of this ELF object's PT_LOAD segments holds addr */
static bool object_holds(struct dl_phdr_info *info, uintptr_t addr)
{
	const ElfW(Phdr) * ph;
	uintptr_t lo;
	int i;

	for (i = 0; i < info->dlpi_phnum; i++) {
		ph = &info->dlpi_phdr[i];
		lo = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && addr >= lo && addr < lo + ph->p_memsz)
			return true;
	}
	return false;
}

/* the code of the ELF objects libbpf's parse runs in: the one with libbpf, the C library */
static int warm_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	const ElfW(Phdr) * ph;
	uintptr_t lo;
	int i;

	(void)size;
	(void)arg;
	if (!object_holds(info, (uintptr_t)bpf_object__open_mem) &&
	    !object_holds(info, (uintptr_t)malloc))
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		lo = info->dlpi_addr + ph->p_vaddr;
		populate(lo, lo + ph->p_memsz, MADV_POPULATE_READ);
	}
	return 0;
}

/*
 * Before the object comes: what libbpf's parse would otherwise take one page
 * fault at a time (the code of libbpf and of the C library, the heap, the
 * stack), each of which costs tens of microseconds in a virtual machine; one
 * madvise() per range fills them. (Not the data pages shared with the
 * checker: a copy of each costs as much as its fault, and the parse writes
 * few of them.) Then libbpf opens and closes a small object of our own
 * (check-warm.bpf.c): a process's first open costs several times its next
 * (the data pages it writes, libelf's set-up, the dynamic linker resolving
 * each function on its first call), and this one is done before the guest's
 * object comes. Only speed: the object is parsed all the same when this fails.
 */
static void *spare_warm(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "check-warm");
	struct bpf_object *obj;
	struct pollfd pfd;
	char here;
	void *heap, *buf;

	dl_iterate_phdr(warm_object, NULL);
	populate((uintptr_t)&here - WARM_STACK, (uintptr_t)&here, MADV_POPULATE_WRITE);
	/* the heap stays with the process once freed: objects up to 32 MiB
	 * come from it rather than each from a new mapping */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	/* our own object, before the filter and without a word on stderr;
	 * not when the guest's has come meanwhile: it would only wait longer */
	pfd.fd = SPARE_FD;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) == 0) {
		libbpf_set_print(NULL);
		obj = bpf_object__open_mem(wbpf_check_warm_obj, wbpf_check_warm_obj_size, &opts);
		if (obj) {
			child_walk(obj);
			bpf_object__close(obj);
		}
	}
	/* the object's buffer, kept: the free chunks of a heap shared with
	 * the host would each cost a copy */
	buf = malloc(WARM_OBJECT);
	if (buf)
		populate((uintptr_t)buf, (uintptr_t)buf + WARM_OBJECT, MADV_POPULATE_WRITE);
	heap = malloc(WARM_HEAP);
	if (heap)
		populate((uintptr_t)heap, (uintptr_t)heap + WARM_HEAP, MADV_POPULATE_WRITE);
	free(heap);
	return buf;
}

/*
 * A spare (the checker's, or the first, the host's): set up, warmed and
 * filtered before there is an object, it waits on SPARE_FD for one request
 * (struct request, then the object), opens the object and answers on
 * SPARE_FD. Its other fds are /dev/null and stderr (/dev/null too without
 * debug).
 */
static void __attribute__((noreturn)) spare_run(pid_t parent, bool debug)
{
	struct request rq;
	char *elf, *warm;

	child_setup(parent, true, debug);
	warm = spare_warm();
	child_debug = debug;
	libbpf_set_print(child_print);
	if (child_seccomp(SPARE_FD, SPARE_FD, debug))
		_exit(3);
	/* from the host: still, the name is cut and the size is what came */
	if (read_full(SPARE_FD, &rq, sizeof(rq)) != sizeof(rq) || rq.magic != REQUEST_MAGIC)
		_exit(5);
	rq.name[sizeof(rq.name) - 1] = '\0';
	if (warm && rq.size && rq.size <= WARM_OBJECT)
		elf = warm;
	else
		elf = rq.size && rq.size <= SIZE_MAX ? malloc(rq.size) : NULL;
	if (!elf) {
		child_answer.err = -ENOMEM;
		if (write(SPARE_FD, &child_answer, sizeof(child_answer)) < 0)
			_exit(4);
		_exit(0);
	}
	if (read_full(SPARE_FD, elf, rq.size) != rq.size)
		_exit(5);
	child_parse(elf, rq.size, SPARE_FD, rq.name);
}

/* ---------------------------------------------------------------- the checker */

/* Close every fd from lo up: close_range(), or one by one from /proc/self/fd. */
static void close_from(int lo)
{
	struct dirent *e;
	DIR *d;
	int fd;

	if (!syscall(__NR_close_range, (unsigned int)lo, ~0u, 0))
		return;
	d = opendir("/proc/self/fd");
	if (!d) {
		for (fd = lo; fd < 65536; fd++)
			close(fd);
		return;
	}
	while ((e = readdir(d))) {
		fd = atoi(e->d_name);
		if (fd >= lo && fd != dirfd(d))
			close(fd);
	}
	closedir(d);
}

/* send() without SIGPIPE until all of buf is out: 0 or -errno */
static int send_full(int fd, const void *buf, size_t n)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = send(fd, (const char *)buf + done, n - done, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EPIPE;
		done += (size_t)r;
	}
	return 0;
}

/* waitpid(pid): its status, or that of an exit 255 if it cannot be had */
static int wait_for(pid_t pid)
{
	int status = 0;
	pid_t w;

	do
		w = waitpid(pid, &status, 0);
	while (w < 0 && errno == EINTR);
	return w == pid ? status : 0xff00;
}

/* One message to the host, with fd passed along unless it is -1: 0 or -errno. */
static int checker_send(int kind, int status, int fd)
{
	struct checker_msg m = {.kind = kind, .status = status};
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = {.iov_base = &m, .iov_len = sizeof(m)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *c;
	ssize_t n;

	if (fd >= 0) {
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do
		n = sendmsg(CHECKER_FD, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == sizeof(m) ? 0 : -EPIPE;
}

/*
 * The checker's life: wait for the host to ask for a spare, make the spare's
 * socket, hand the host its end, fork the spare on the other (after
 * SPARE_DELAY_MS, or when the host says MSG_NOW), wait for it to end, say
 * how, and again. The host talks
 * to each spare directly, and holds its socket before the spare exists: a
 * check waits for the spare, never for the checker. (The first spare is the
 * host's own: see wbpf_bpf_checker_start().) It ends when the host is gone
 * (the socket closed, or PDEATHSIG) or when it cannot fork (the host then
 * forks its own children).
 */
static void __attribute__((noreturn)) checker_run(pid_t host, bool debug)
{
	struct pollfd pfd = {.fd = CHECKER_FD, .events = POLLIN};
	pid_t self = getpid(), spare;
	struct checker_msg m;
	ssize_t n;
	int sv[2];

	/* no CPU limit: the checker lives as long as the host, and only waits */
	child_setup(host, false, false);
	/* its own children: their end is waited for, whatever the host had */
	signal(SIGCHLD, SIG_DFL);
	prctl(PR_SET_NAME, "wbpf-check", 0, 0, 0);
	for (;;) {
		/* a spare when the host asks for one: not one racing the first
		 * spare's check for a CPU, nor one for a program that never
		 * loads a second object */
		do
			n = recv(CHECKER_FD, &m, sizeof(m), 0);
		while (n < 0 && errno == EINTR);
		/* a MSG_NOW that came after the spare was made: nothing to hurry */
		if (n == sizeof(m) && m.kind == MSG_NOW)
			continue;
		if (n != sizeof(m) || m.kind != MSG_NEXT)
			_exit(0);
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
			_exit(1);
		if (checker_send(MSG_SPARE, 0, sv[0]))
			_exit(0);
		close(sv[0]);
		/* not in the middle of the program's start-up: SPARE_DELAY_MS
		 * later, or as soon as a load waits for it */
		if (poll(&pfd, 1, SPARE_DELAY_MS) > 0) {
			do
				n = recv(CHECKER_FD, &m, sizeof(m), 0);
			while (n < 0 && errno == EINTR);
			if (n != sizeof(m) || m.kind != MSG_NOW)
				_exit(0);
		}
		spare = fork();
		if (spare < 0)
			_exit(1);
		if (spare == 0) {
			if (dup2(sv[1], SPARE_FD) < 0)
				_exit(6);
			close_from(3);
			spare_run(self, debug);
		}
		close(sv[1]);
		if (checker_send(MSG_ENDED, wait_for(spare), -1))
			_exit(0);
	}
}

static struct {
	pid_t pid;
	int fd;
	int first_fd;	 /* the first spare's socket, until the first check */
	pid_t first_pid; /* the first spare, a child of the host */
	bool debug;
	bool ended_pending; /* the last spare answered: its MSG_ENDED is still to read */
} checker = {.pid = -1, .fd = -1, .first_fd = -1, .first_pid = -1};
static bool by_checker; /* the last check was the checker's */

/*
 * A new process's fds: 0 keep (dup2()ed there, unless -1), 1 /dev/null, 2
 * stderr with debug or /dev/null, 3 keep3 (unless -1), no other.
 */
static void child_fds(int keep, int keep3, bool debug)
{
	int fd;

	/* out of the way of the numbers they go to */
	if (keep >= 0)
		keep = fcntl(keep, F_DUPFD, 10);
	if (keep3 >= 0)
		keep3 = fcntl(keep3, F_DUPFD, 10);
	if (keep3 >= 0 && dup2(keep3, 3) < 0)
		_exit(6);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (!debug)
			dup2(fd, 2);
	}
	if (keep >= 0 && dup2(keep, 0) < 0)
		_exit(6);
	close_from(keep3 >= 0 ? 4 : 3);
}

/* Tell the checker MSG_NEXT (make the next spare) or MSG_NOW (without delay).
 * A checker gone is found at the next check. */
static void checker_tell(int kind)
{
	struct checker_msg m = {.kind = kind};
	ssize_t n;

	do
		n = send(checker.fd, &m, sizeof(m), MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
}

/*
 * The checker, and the first spare: both forked here while the host is small.
 * The host forks that first spare itself, before the checker, rather than
 * leave it to the checker: a program that loads its object soon after it
 * starts would otherwise wait for two forks and two new processes to be
 * scheduled in turn. Only a check's duration changes: that spare is set up
 * and filtered as the checker's are.
 */
int wbpf_bpf_checker_start(void)
{
	const char *env = getenv("WASMBPF_DEBUG");
	bool debug = env && *env && strcmp(env, "0") != 0;
	pid_t host = getpid(), pid;
	int sv[2], sp[2], err;

	if (checker.fd >= 0)
		return 0;
	/* the first spare: without it, checks start with the checker's */
	if (!socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp)) {
		pid = fork();
		if (pid == 0) {
			child_fds(sp[1], -1, debug);
			spare_run(host, debug);
		}
		close(sp[1]);
		if (pid > 0) {
			checker.first_fd = sp[0];
			checker.first_pid = pid;
		} else {
			close(sp[0]);
		}
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		err = -errno;
		goto no_checker;
	}
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(sv[0]);
		close(sv[1]);
		goto no_checker;
	}
	if (pid == 0) {
		/* 0 and 1 /dev/null, 2 stderr with debug, 3 the socket, no other */
		child_fds(-1, sv[1], debug);
		checker_run(host, debug);
	}
	close(sv[1]);
	checker.pid = pid;
	checker.fd = sv[0];
	checker.debug = debug;
	checker.ended_pending = false;
	/* no first spare: the first check is the checker's */
	if (checker.first_pid < 0)
		checker_tell(MSG_NEXT);
	return 0;
no_checker:
	if (checker.first_fd >= 0) {
		close(checker.first_fd);
		kill(checker.first_pid, SIGKILL);
		wait_for(checker.first_pid);
		checker.first_fd = -1;
		checker.first_pid = -1;
	}
	return err;
}

void wbpf_bpf_checker_stop(void)
{
	if (checker.fd < 0)
		return;
	close(checker.fd);
	kill(checker.pid, SIGKILL);
	wait_for(checker.pid);
	if (checker.first_fd >= 0) {
		close(checker.first_fd);
		kill(checker.first_pid, SIGKILL);
		wait_for(checker.first_pid);
	}
	checker.fd = -1;
	checker.first_fd = -1;
	checker.first_pid = -1;
	checker.pid = -1;
}

pid_t wbpf_bpf_checker_pid(void)
{
	return checker.pid;
}

/* The checker's next message of this kind (*fd: the socket it carries, or
 * -1): 0, or -errno when it is gone or says something else. */
static int checker_recv(int kind, struct checker_msg *m, int *fd)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 4)];
	struct iovec iov = {.iov_base = m, .iov_len = sizeof(*m)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *c;
	int fds[4], i, n_fds;
	ssize_t n;

	*fd = -1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	do
		n = recvmsg(checker.fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	for (c = n >= 0 ? CMSG_FIRSTHDR(&mh) : NULL; c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		if (c->cmsg_len < CMSG_LEN(0))
			continue;
		n_fds = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		if (n_fds > (int)(sizeof(fds) / sizeof(fds[0])))
			n_fds = sizeof(fds) / sizeof(fds[0]);
		memcpy(fds, CMSG_DATA(c), n_fds * sizeof(int));
		for (i = 0; i < n_fds; i++) {
			if (*fd < 0 && kind == MSG_SPARE)
				*fd = fds[i];
			else
				close(fds[i]);
		}
	}
	if (n != sizeof(*m) || m->kind != kind || (kind == MSG_SPARE && *fd < 0)) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return n < 0 ? -errno : -EPIPE;
	}
	return 0;
}

/*
 * A child of the host that answered "opened" (forked for the check, or the
 * first spare) is not waited for: its exit (the kernel tearing down its copy
 * of the address space) would double the cost of the check. It is reaped,
 * without blocking, by the next check; one left at the host's exit is reaped
 * by init.
 */
static pid_t unreaped = -1;

static void reap(void)
{
	if (unreaped > 0 && waitpid(unreaped, NULL, WNOHANG) != 0)
		unreaped = -1;
}

/*
 * The check by the checker's spare: 1 with *a its answer, 0 with *status its
 * end when it did not answer; -errno when the checker is gone (it is then
 * stopped, and the check is to be made another way).
 */
static int checker_check(const void *elf, size_t size, const char *obj_name,
			 void (*meanwhile)(void), struct answer *a, int *status)
{
	struct request rq = {.magic = REQUEST_MAGIC, .size = size};
	struct checker_msg m;
	int fd = -1, err = 0, ret;
	pid_t first = checker.first_pid;

	if (first > 0) {
		/* the first spare, the host's child: its socket is held since
		 * the start, and its end is the host's to wait for */
		fd = checker.first_fd;
		checker.first_fd = -1;
		checker.first_pid = -1;
	} else {
		/* the spare may wait for SPARE_DELAY_MS yet */
		checker_tell(MSG_NOW);
		if (checker.ended_pending)
			err = checker_recv(MSG_ENDED, &m, &fd);
		checker.ended_pending = false;
		if (!err)
			err = checker_recv(MSG_SPARE, &m, &fd);
		if (err)
			goto gone;
	}
	/* a spare that dies early makes these fail (EPIPE): its end says why */
	snprintf(rq.name, sizeof(rq.name), "%s", obj_name);
	if (!send_full(fd, &rq, sizeof(rq)))
		send_full(fd, elf, size);
	if (meanwhile)
		meanwhile();
	ret = read_full(fd, a, sizeof(*a)) == sizeof(*a);
	close(fd);
	/* the next check's spare is made while the program goes on */
	checker_tell(MSG_NEXT);
	if (first > 0) {
		if (!ret)
			*status = wait_for(first);
		else if (unreaped < 0)
			unreaped = first;
		else
			waitpid(first, NULL, 0);
		return ret;
	}
	if (ret) {
		/* its end is read at the next check, when it is long there */
		checker.ended_pending = true;
		return 1;
	}
	err = checker_recv(MSG_ENDED, &m, &fd);
	if (err)
		goto gone;
	*status = m.status;
	return 0;
gone:
	if (checker.debug)
		fprintf(stderr,
			"%s: the object checker process is gone (%s): objects are checked "
			"in a child of this process\n",
			obj_name, strerror(-err));
	wbpf_bpf_checker_stop();
	return err;
}

/* ---------------------------------------------------------------- the host */

/* Whether the checker has ended (it is left unreaped: wbpf_bpf_checker_stop() reaps it). */
static bool checker_ended(void)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	return checker.pid > 0 &&
	       !waitid(P_PID, (id_t)checker.pid, &info, WEXITED | WNOHANG | WNOWAIT) &&
	       info.si_pid == checker.pid;
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
 * The verdict on what a child left: a whole answer (a), or else how it ended
 * (waited: a wait status, or none). 0, or -EINVAL with reason.
 */
static int verdict(const struct answer *a, bool waited, int status, char *reason, size_t reason_sz)
{
	const char *name;
	int sig;

	if (a) {
		if (a->err == 0)
			return 0;
		clean_reason(reason, reason_sz, a->msg, sizeof(a->msg));
		if (reason[0])
			return -EINVAL;
		name = a->err < 0 && a->err > -4096 ? strerrorname_np(-a->err) : NULL;
		if (name)
			snprintf(reason, reason_sz, "libbpf refused it without a message (%s)",
				 name);
		else
			snprintf(reason, reason_sz,
				 "libbpf refused it without a message (error %d)", a->err);
		return -EINVAL;
	}
	if (waited && WIFSIGNALED(status)) {
		sig = WTERMSIG(status);
		if (sig == SIGXCPU || sig == SIGKILL)
			snprintf(reason, reason_sz,
				 "libbpf did not finish parsing it in %d s of CPU (SIG%s)",
				 CHECK_CPU_SECONDS, sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
		else
			snprintf(reason, reason_sz, "libbpf crashed parsing it (SIG%s)",
				 sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
		return -EINVAL;
	}
	snprintf(reason, reason_sz, "the check ended without an answer (exit %d)",
		 waited && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return -EINVAL;
}

/* The check in a child forked from this process. */
static int fork_check(const void *elf, size_t size, const char *obj_name, bool debug,
		      void (*meanwhile)(void), char *reason, size_t reason_sz)
{
	struct answer a = {};
	int fds[2], status = 0, err;
	pid_t pid, self = getpid(), w;
	size_t got;

	/* the child of the check before is reaped by wbpf_bpf_check_object() */
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
		child_run(elf, size, fds[1], obj_name, debug, self);
	}
	close(fds[1]);
	if (meanwhile)
		meanwhile();
	got = read_full(fds[0], &a, sizeof(a));
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
	if (got == sizeof(a) && (w != pid || (WIFEXITED(status) && !WEXITSTATUS(status))))
		return verdict(&a, true, status, reason, reason_sz);
	return verdict(NULL, w == pid, status, reason, reason_sz);
}

int wbpf_bpf_check_object(const void *elf, size_t size, const char *obj_name, bool debug,
			  void (*meanwhile)(void), char *reason, size_t reason_sz)
{
	struct answer a;
	int status = 0, ret = -1;

	reason[0] = '\0';
	reap();
	if (checker.fd >= 0 && checker_ended()) {
		/* killed: a spare socket it sent before may still be queued, but
		 * the checker is gone, and is reaped here */
		if (checker.debug)
			fprintf(stderr,
				"%s: the object checker process is gone (it ended): objects are "
				"checked in a child of this process\n",
				obj_name);
		wbpf_bpf_checker_stop();
	}
	if (checker.fd >= 0)
		ret = checker_check(elf, size, obj_name, meanwhile, &a, &status);
	by_checker = ret >= 0;
	/* ended meanwhile (its last spare can still answer): reaped now, not at exit */
	if (checker.fd >= 0 && checker_ended())
		wbpf_bpf_checker_stop();
	if (ret == 1)
		return verdict(&a, false, 0, reason, reason_sz);
	if (ret == 0)
		return verdict(NULL, true, status, reason, reason_sz);
	/* no checker (any more): a child of this process */
	return fork_check(elf, size, obj_name, debug, meanwhile, reason, reason_sz);
}

bool wbpf_bpf_check_by_checker(void)
{
	return by_checker;
}
