// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: every import handler of imports.def, called with
 * arbitrary arguments against a guest memory of arbitrary size and content,
 * under ASan/UBSan. The handlers are the real ones (WASI on real files in a
 * scratch grant, wasm_bpf on a real BPF object loaded into the kernel when run
 * as root); only the engine is this file's: a plain heap buffer as linear
 * memory that moves (realloc) whenever a callback runs, as the interpreter's
 * does, so a handler that kept a host pointer across a callback is caught.
 *
 * Input: 3 bytes of memory size (mod 256 KiB), then up to 8 calls of
 * [import index][8 bytes per argument], then the memory's first bytes.
 *
 * Not called: proc_exit (ends the process), and the load and close of BPF
 * objects (the object loaded at start-up must stay; guest objects have
 * their own target, and loading one per input would be too slow).
 *
 * Each input starts from the same state, but for attachments, and leaves
 * nothing behind it: no call blocks (the timeouts of polls are zeroed), the
 * grant is emptied, and no file in it grows beyond FILE_MAX (RLIMIT_FSIZE:
 * fd_allocate and writes at large offsets get EFBIG). Detaching a program
 * takes the kernel tens of milliseconds (an RCU grace period), so the
 * programs inputs attach stay attached: after an input, those past the
 * first LINKS_MAX are detached, and all at exit. Attachments that would
 * reach beyond this process are not made (see attach_allowed()).
 *
 * Environment: WBPF_FUZZ_DIR (scratch directory granted to the guest, default
 * a new one under /tmp), WBPF_FUZZ_BPF_OBJ (a .bpf.o to load, when root).
 * With WBPF_FUZZ_SEEDS=DIR set, the target writes its seed inputs into DIR
 * and exits (write_seeds(): files in the grant, polls, every program of the
 * abi tier's object attached).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/magic.h>
#include <net/if.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "wbpf/guest.h"
#include "wbpf/wasi.h"

#include "../../runtime/bpf/bpf-priv.h"
#include "../../runtime/wasi/wasi-layout.h"

#define MEM_MAX (256u << 10)
#define FILE_MAX (16u << 20)
#define FD_SLACK 64
#define LINKS_MAX 16
#define MAX_CALLS 8

static struct {
	uint8_t *mem;
	uint64_t size;
	jmp_buf trap;
	char grant[4200];
	uint64_t handle; /* the BPF object loaded at start-up, or 0 */
	int fd_base;	 /* the lowest free descriptor after start-up */
	bool xfsz_ignored;
} fz;

static struct wbpf_guest guest;

static uint8_t *fz_mem(struct wbpf_guest *g, uint64_t *size)
{
	*size = fz.size;
	return fz.mem;
}

/* The guest "grows" its memory in every callback: the buffer moves. */
static void fz_move_memory(void)
{
	uint8_t *m = malloc(fz.size ? fz.size : 1);

	if (!m)
		abort();
	memcpy(m, fz.mem, fz.size);
	free(fz.mem);
	fz.mem = m;
}

/* Table index 1 is a good callback, 2 one of another type, the rest empty. */
static int fz_call_table(struct wbpf_guest *g, uint32_t idx, uint32_t a, uint32_t b, uint32_t c,
			 int32_t *ret)
{
	if (idx == 2)
		return -EINVAL;
	if (idx != 1)
		return -ERANGE;
	fz_move_memory();
	*ret = (int32_t)(a & 1 ? -1 : 0); /* ctx picks: go on, or stop the poll */
	return 0;
}

static int fz_call_go(struct wbpf_guest *g, uint32_t a, uint32_t b, uint32_t c, int32_t *ret)
{
	fz_move_memory();
	*ret = 0;
	return 0;
}

__attribute__((noreturn)) static void fz_trap(struct wbpf_guest *g, const char *what)
{
	longjmp(fz.trap, 1);
}

static const struct wbpf_engine_ops fz_ops = {
	.mem = fz_mem,
	.call_table_iii_i = fz_call_table,
	.call_go_callback = fz_call_go,
	.trap = fz_trap,
};

static int lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		abort();
	close(fd);
	return fd;
}

static size_t import_index(const char *name)
{
	size_t i;

	for (i = 0; i < wbpf_imports_cnt; i++)
		if (!strcmp(wbpf_imports[i].name, name) &&
		    strcmp(wbpf_imports[i].module, "env") /* the alias rows */)
			return i;
	return (size_t)-1;
}

static bool excluded(const struct wbpf_import *im)
{
	return !strcmp(im->name, "proc_exit") || !strcmp(im->name, "wasm_load_bpf_object") ||
	       !strcmp(im->name, "wasm_close_bpf_object");
}

static int new_wasi(void)
{
	static char *argv[] = {"fuzz", "arg", NULL};
	char env_grant[4300];
	char *host_env[] = {env_grant, "WASMBPF_ENV_HOME=/sandbox", NULL};
	struct wbpf_wasi_opts opts = {
		.argc = 2,
		.argv = argv,
		.host_environ = host_env,
	};

	snprintf(env_grant, sizeof(env_grant), "WASMBPF_DIR=%s::/sandbox", fz.grant);
	return wbpf_wasi__new(&guest, &opts);
}

static void load_bpf_object(void)
{
	const char *path = getenv("WBPF_FUZZ_BPF_OBJ");
	uint64_t args[2];
	long n;
	FILE *f;

	if (!path || geteuid() != 0)
		return;
	f = fopen(path, "re");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "fuzz_imports: cannot read %s\n", path);
		exit(1);
	}
	fz.size = (uint64_t)n;
	fz.mem = malloc(fz.size);
	if (!fz.mem || fread(fz.mem, 1, fz.size, f) != fz.size)
		exit(1);
	fclose(f);
	args[0] = 0;
	args[1] = fz.size;
	fz.handle = wbpf_imports[import_index("wasm_load_bpf_object")].call(&guest, args);
	if (!fz.handle) {
		fprintf(stderr, "fuzz_imports: %s does not load\n", path);
		exit(1);
	}
	free(fz.mem);
	fz.mem = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
static void empty_grant(void);
static void detach_all(void);

/* The grant this process made (no WBPF_FUZZ_DIR): removed at exit. */
static void remove_grant(void)
{
	empty_grant();
	rmdir(fz.grant);
}

/* ---------------------------------------------------------------- seeds */

struct seed {
	uint8_t buf[8192];
	size_t len;
	uint8_t mem[0x800]; /* the memory's first bytes, after the calls */
};

static void seed_call(struct seed *sd, const char *name, int nargs, ...)
{
	size_t idx = import_index(name);
	va_list ap;
	int i;

	if (idx == (size_t)-1 || (int)strlen(wbpf_imports[idx].params) != nargs ||
	    sd->len + 1 + 8 * nargs > sizeof(sd->buf))
		abort();
	sd->buf[sd->len++] = (uint8_t)idx;
	va_start(ap, nargs);
	for (i = 0; i < nargs; i++) {
		uint64_t v = va_arg(ap, uint64_t);

		memcpy(sd->buf + sd->len, &v, 8);
		sd->len += 8;
	}
	va_end(ap);
}

static void seed_put(struct seed *sd, uint32_t off, const void *p, size_t n)
{
	if (off + n > sizeof(sd->mem))
		abort();
	memcpy(sd->mem + off, p, n);
}

/* Write the seed: its calls made MAX_CALLS with sched_yield (1 byte each),
 * for the memory to start where the calls end. */
static void seed_write(const char *dir, const char *name, struct seed *sd)
{
	char path[4200];
	size_t ncalls = 0, off = 3;
	FILE *f;

	while (off < sd->len) {
		off += 1 + 8 * strlen(wbpf_imports[sd->buf[off]].params);
		ncalls++;
	}
	while (ncalls++ < MAX_CALLS)
		seed_call(sd, "sched_yield", 0);

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f || fwrite(sd->buf, 1, sd->len, f) != sd->len ||
	    fwrite(sd->mem, 1, sizeof(sd->mem), f) != sizeof(sd->mem) || fclose(f)) {
		fprintf(stderr, "fuzz_imports: cannot write %s\n", path);
		exit(1);
	}
}

/* Memory of every seed: strings and an iovec at fixed offsets. */
enum {
	S_FILE = 0x100,	  /* "f" */
	S_DIR = 0x110,	  /* "d" */
	S_LINK = 0x120,	  /* "l" */
	S_MAP = 0x130,	  /* "rb" */
	S_IOV = 0x140,	  /* {0x400, 64} */
	S_OUT = 0x160,	  /* results */
	S_SUBS = 0x200,	  /* two subscriptions: a clock, fd 0 readable */
	S_EVENTS = 0x300, /* their events */
	S_DATA = 0x400,	  /* 64 bytes of data, the iovec's */
	S_PROG = 0x500,	  /* program names, 48 bytes each */
	S_TARGET = 0x680, /* targets, 48 bytes each */
};

static const char *const seed_progs[][2] = {
	{"wbpf_abi_tp", ""},	       /* tracepoint, auto-attached */
	{"wbpf_abi_xdp", "lo"},	       /* XDP on the loopback */
	{"wbpf_abi_sockfilter", "lo"}, /* an AF_PACKET socket on it */
	{"wbpf_abi_uprobe", "/proc/self/exe:LLVMFuzzerTestOneInput"},
	{"wbpf_abi_sockops", "d"}, /* no such cgroup: refused */
};

/* The seed inputs: each a short guest that reaches far into the handlers. */
static void write_seeds(const char *dir)
{
	static const uint64_t fd_rights = ~0ull;
	uint32_t iov[2] = {S_DATA, 64};
	struct seed sd;
	uint64_t sub[6];
	size_t i;

	memset(&sd, 0, sizeof(sd));
	sd.buf[0] = 0x00, sd.buf[1] = 0x00, sd.buf[2] = 0x01; /* 64 KiB */
	sd.len = 3;
	seed_put(&sd, S_FILE, "f", 2);
	seed_put(&sd, S_DIR, "d", 2);
	seed_put(&sd, S_LINK, "l", 2);
	seed_put(&sd, S_MAP, "rb", 3);
	seed_put(&sd, S_IOV, iov, sizeof(iov));
	memset(sd.mem + S_DATA, 'x', 64);
	memset(sub, 0, sizeof(sub));
	sub[3] = 1000000; /* clock 0 (realtime), 1 ms */
	seed_put(&sd, S_SUBS, sub, sizeof(sub));
	sub[1] = 1; /* fd_read */
	sub[2] = 0;
	sub[3] = 0;
	seed_put(&sd, S_SUBS + W_SUBSCRIPTION_SIZE, sub, sizeof(sub));
	for (i = 0; i < sizeof(seed_progs) / sizeof(seed_progs[0]); i++) {
		seed_put(&sd, S_PROG + 48 * i, seed_progs[i][0], strlen(seed_progs[i][0]) + 1);
		seed_put(&sd, S_TARGET + 48 * i, seed_progs[i][1], strlen(seed_progs[i][1]) + 1);
	}
	struct seed base = sd;

	/* a file: created, written, read back, grown, stat, removed */
	seed_call(&sd, "path_open", 9, 3ull, 0ull, (uint64_t)S_FILE, 1ull, 1ull /* creat */,
		  fd_rights, fd_rights, 0ull, (uint64_t)S_OUT);
	seed_call(&sd, "fd_write", 4, 4ull, (uint64_t)S_IOV, 1ull, (uint64_t)S_OUT + 4);
	seed_call(&sd, "fd_pread", 5, 4ull, (uint64_t)S_IOV, 1ull, 0ull, (uint64_t)S_OUT + 4);
	seed_call(&sd, "fd_allocate", 3, 4ull, 0ull, 4096ull);
	seed_call(&sd, "fd_filestat_get", 2, 4ull, (uint64_t)S_OUT);
	seed_call(&sd, "fd_readdir", 5, 3ull, (uint64_t)S_DATA, 256ull, 0ull, (uint64_t)S_OUT);
	seed_call(&sd, "path_unlink_file", 3, 3ull, (uint64_t)S_FILE, 1ull);
	seed_write(dir, "file", &sd);

	/* a file past FILE_MAX: EFBIG, not SIGXFSZ */
	sd = base;
	seed_call(&sd, "path_open", 9, 3ull, 0ull, (uint64_t)S_FILE, 1ull, 1ull /* creat */,
		  fd_rights, fd_rights, 0ull, (uint64_t)S_OUT);
	seed_call(&sd, "fd_allocate", 3, 4ull, 0ull, (uint64_t)FILE_MAX * 2);
	seed_call(&sd, "fd_pwrite", 5, 4ull, (uint64_t)S_IOV, 1ull, (uint64_t)FILE_MAX,
		  (uint64_t)S_OUT + 4);
	seed_write(dir, "file-max", &sd);

	/* a directory and a symbolic link */
	sd = base;
	seed_call(&sd, "path_create_directory", 3, 3ull, (uint64_t)S_DIR, 1ull);
	seed_call(&sd, "path_symlink", 5, (uint64_t)S_DIR, 1ull, 3ull, (uint64_t)S_LINK, 1ull);
	seed_call(&sd, "path_readlink", 6, 3ull, (uint64_t)S_LINK, 1ull, (uint64_t)S_DATA, 64ull,
		  (uint64_t)S_OUT);
	seed_call(&sd, "path_filestat_get", 5, 3ull, 1ull, (uint64_t)S_LINK, 1ull,
		  (uint64_t)S_OUT + 8);
	seed_call(&sd, "path_rename", 6, 3ull, (uint64_t)S_DIR, 1ull, 3ull, (uint64_t)S_FILE, 1ull);
	seed_call(&sd, "path_remove_directory", 3, 3ull, (uint64_t)S_FILE, 1ull);
	seed_write(dir, "dir", &sd);

	/* a poll: a clock and stdin */
	sd = base;
	seed_call(&sd, "poll_oneoff", 4, (uint64_t)S_SUBS, (uint64_t)S_EVENTS, 2ull,
		  (uint64_t)S_OUT);
	seed_call(&sd, "fd_read", 4, 0ull, (uint64_t)S_IOV, 1ull, (uint64_t)S_OUT);
	seed_write(dir, "poll", &sd);

	/* every program of the object attached, one input each */
	for (i = 0; i < sizeof(seed_progs) / sizeof(seed_progs[0]); i++) {
		char name[32];

		sd = base;
		seed_call(&sd, "wasm_attach_bpf_program", 3, 0ull, (uint64_t)(S_PROG + 48 * i),
			  seed_progs[i][1][0] ? (uint64_t)(S_TARGET + 48 * i) : 0ull);
		seed_call(&sd, "wasm_bpf_map_fd_by_name", 2, 0ull, (uint64_t)S_MAP);
		snprintf(name, sizeof(name), "attach-%zu", i);
		seed_write(dir, name, &sd);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("WBPF_FUZZ_DIR");
	struct rlimit rl = {4096, 4096}, fsize = {FILE_MAX, FILE_MAX};
	int fd;

	if (getenv("WBPF_FUZZ_SEEDS")) {
		write_seeds(getenv("WBPF_FUZZ_SEEDS"));
		exit(0);
	}
	guest.ops = &fz_ops;
	guest.prog = "fuzz";
	if (dir) {
		snprintf(fz.grant, sizeof(fz.grant), "%s", dir);
	} else {
		strcpy(fz.grant, "/tmp/wbpf-fuzz.XXXXXX");
		if (!mkdtemp(fz.grant))
			abort();
		atexit(remove_grant);
	}
	/* the guest's stdin never blocks; stdout and stderr are closed by
	 * libFuzzer's -close_fd_mask when asked */
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || dup2(fd, 0) < 0)
		abort();
	close(fd);
	setrlimit(RLIMIT_NOFILE, &rl);
	setrlimit(RLIMIT_FSIZE, &fsize); /* SIGXFSZ: see LLVMFuzzerTestOneInput() */
	if (new_wasi())
		abort();
	load_bpf_object();
	atexit(detach_all);
	wbpf_wasi__free(guest.wasi);
	guest.wasi = NULL;
	fz.fd_base = lowest_free_fd();
	return 0;
}

/* No call may block: zero the timeouts of poll_oneoff's clock subscriptions
 * and of buffer polls (each module's row of the import: by handler). */
static void defuse(const struct wbpf_import *im, uint64_t *args)
{
	if (!strcmp(im->handler, "wbpf_wasi_poll_oneoff")) {
		uint64_t in = (uint32_t)args[0], n = (uint32_t)args[2], i, s;

		for (i = 0; i < n; i++) {
			s = in + i * W_SUBSCRIPTION_SIZE;
			if (!wbpf_range_ok(fz.size, s, W_SUBSCRIPTION_SIZE))
				break;
			memset(fz.mem + s + W_SUBSCRIPTION_CLOCK_TIMEOUT_OFF, 0, W_TIMESTAMP_SIZE);
		}
	} else if (!strcmp(im->handler, "wbpf_bpf_buffer_poll")) {
		args[6] = 0;
	} else if (!strcmp(im->handler, "wbpf_bpf_buffer_poll_go")) {
		args[5] = 0;
	}
}

/*
 * Whether an attach call may run: not when it would reach beyond this
 * process for the time of an input. An XDP program or a socket filter only
 * on the loopback interface (or a name that is no interface), a cgroup
 * program never on a cgroup (any cgroup is one of the whole machine), a
 * uprobe only in this executable (/proc/self/exe:...). Calls the handler
 * refuses before attaching (bad handle, name, unknown program) run.
 */
static bool attach_allowed(const uint64_t *args)
{
	struct wbpf_obj *o = wbpf_bpf__obj(&guest, args[0]);
	const char *name, *target, *sec;
	struct bpf_program *prog;
	struct statfs st;

	wbpf_guest_refresh(&guest); /* the view of this input's memory */
	name = wbpf_guest_str(&guest, (uint32_t)args[1], NULL);
	target = args[2] ? wbpf_guest_str(&guest, (uint32_t)args[2], NULL) : NULL;
	if (!o || !name || !target || !*target)
		return true;
	prog = bpf_object__find_program_by_name(o->obj, name);
	if (!prog)
		return true;
	sec = bpf_program__section_name(prog);
	if (wbpf_bpf_is_cgroup_prog(bpf_program__type(prog)))
		return statfs(target, &st) || st.f_type != CGROUP2_SUPER_MAGIC;
	switch (bpf_program__type(prog)) {
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return !strcmp(target, "lo") || !if_nametoindex(target);
	default:
		if (!strncmp(sec, "uprobe", 6) || !strncmp(sec, "uretprobe", 9))
			return !strncmp(target, "/proc/self/exe:", 15);
		return true;
	}
}

/* Detach what inputs attached, the last first, until max attachments are
 * left (0: all); the object loaded at start-up stays. An input pays for what
 * it attached itself (MAX_CALLS at most), never for a whole batch. */
static void detach(size_t max)
{
	struct wbpf_obj *o = fz.handle ? wbpf_bpf__obj(&guest, fz.handle) : NULL;

	while (o && o->links_cnt + o->socks_cnt > max) {
		if (o->socks_cnt)
			close(o->socks[--o->socks_cnt]);
		else
			bpf_link__destroy(o->links[--o->links_cnt]);
	}
}

static void detach_all(void)
{
	detach(0);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (ftw->level > 0 && remove(path))
		abort();
	return 0;
}

/* Empty the grant: nftw does not follow symbolic links (FTW_PHYS), and
 * stays on the grant's file system (FTW_MOUNT). */
static void empty_grant(void)
{
	if (nftw(fz.grant, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	size_t calls[MAX_CALLS], ncalls = 0, i, off = 3;
	uint64_t args[MAX_CALLS][16];

	/* Past FILE_MAX, writes fail with EFBIG instead of raising SIGXFSZ.
	 * Ignored here, not at initialization: libFuzzer sets its handlers
	 * (-handle_xfsz) after LLVMFuzzerInitialize(). */
	if (!fz.xfsz_ignored) {
		signal(SIGXFSZ, SIG_IGN);
		fz.xfsz_ignored = true;
	}
	if (len < 3)
		return 0;
	fz.size = (data[0] | data[1] << 8 | (uint32_t)data[2] << 16) % (MEM_MAX + 1);
	while (ncalls < MAX_CALLS && off < len) {
		const struct wbpf_import *im = &wbpf_imports[data[off] % wbpf_imports_cnt];
		size_t np = strlen(im->params);

		if (off + 1 + np * 8 > len)
			break;
		calls[ncalls] = data[off] % wbpf_imports_cnt;
		for (i = 0; i < np; i++) {
			uint64_t v;

			memcpy(&v, data + off + 1 + i * 8, 8);
			args[ncalls][i] = im->params[i] == 'i' ? (uint32_t)v : v;
		}
		/* handles of wasm_bpf calls: mostly the real one */
		if (!strncmp(im->name, "wasm_", 5) && np && im->params[0] == 'I' &&
		    !(args[ncalls][0] & 0x100))
			args[ncalls][0] = fz.handle;
		off += 1 + np * 8;
		ncalls++;
	}
	fz.mem = calloc(1, fz.size ? fz.size : 1);
	if (!fz.mem)
		abort();
	memcpy(fz.mem, data + off, len - off < fz.size ? len - off : fz.size);
	if (new_wasi())
		abort();

	for (i = 0; i < ncalls; i++) {
		const struct wbpf_import *im = &wbpf_imports[calls[i]];

		if (excluded(im))
			continue;
		defuse(im, args[i]);
		if (!strcmp(im->handler, "wbpf_bpf_attach_program") && !attach_allowed(args[i]))
			continue;
		if (setjmp(fz.trap))
			break; /* a trap ends the guest */
		im->call(&guest, args[i]);
	}

	wbpf_wasi__free(guest.wasi);
	guest.wasi = NULL;
	free(fz.mem);
	fz.mem = NULL;
	detach(LINKS_MAX);
	empty_grant();
	/* Every descriptor an input opened is closed with its WASI state or its
	 * attachments (LINKS_MAX at most). What stays open for the object's life
	 * is made once (a poll's ring or perf buffer, at most one per map): past
	 * FD_SLACK more, descriptors leak. */
	if (lowest_free_fd() > fz.fd_base + LINKS_MAX + FD_SLACK) {
		fprintf(stderr, "fuzz_imports: file descriptors leak: %d open after start-up\n",
			lowest_free_fd() - fz.fd_base);
		abort();
	}
	return 0;
}
