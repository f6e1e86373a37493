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
 * Environment: WBPF_FUZZ_DIR (scratch directory granted to the guest, default
 * a new one under /tmp), WBPF_FUZZ_BPF_OBJ (a .bpf.o to load, when root).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "wbpf/guest.h"
#include "wbpf/wasi.h"

#include "../../runtime/wasi/wasi-layout.h"

#define MEM_MAX (256u << 10)
#define MAX_CALLS 8

static struct {
	uint8_t *mem;
	uint64_t size;
	jmp_buf trap;
	char grant[4200];
	uint64_t handle; /* the BPF object loaded at start-up, or 0 */
	size_t idx_poll_oneoff, idx_buffer_poll, idx_buffer_poll_go;
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

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("WBPF_FUZZ_DIR");
	struct rlimit rl = {4096, 4096};
	int fd;

	guest.ops = &fz_ops;
	guest.prog = "fuzz";
	if (dir) {
		snprintf(fz.grant, sizeof(fz.grant), "%s", dir);
	} else {
		strcpy(fz.grant, "/tmp/wbpf-fuzz.XXXXXX");
		if (!mkdtemp(fz.grant))
			abort();
	}
	/* the guest's stdin never blocks; stdout and stderr are closed by
	 * libFuzzer's -close_fd_mask when asked */
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || dup2(fd, 0) < 0)
		abort();
	close(fd);
	setrlimit(RLIMIT_NOFILE, &rl);
	fz.idx_poll_oneoff = import_index("poll_oneoff");
	fz.idx_buffer_poll = import_index("wasm_bpf_buffer_poll");
	fz.idx_buffer_poll_go = (size_t)-1;
	for (size_t i = 0; i < wbpf_imports_cnt; i++)
		if (!strcmp(wbpf_imports[i].module, "callback-wrapper"))
			fz.idx_buffer_poll_go = i;
	if (new_wasi())
		abort();
	load_bpf_object();
	wbpf_wasi__free(guest.wasi);
	guest.wasi = NULL;
	return 0;
}

/* No call may block: zero the timeouts of poll_oneoff's clock subscriptions
 * and of buffer polls. */
static void defuse(size_t idx, uint64_t *args)
{
	if (idx == fz.idx_poll_oneoff) {
		uint64_t in = (uint32_t)args[0], n = (uint32_t)args[2], i, s;

		for (i = 0; i < n; i++) {
			s = in + i * W_SUBSCRIPTION_SIZE;
			if (!wbpf_range_ok(fz.size, s, W_SUBSCRIPTION_SIZE))
				break;
			memset(fz.mem + s + W_SUBSCRIPTION_CLOCK_TIMEOUT_OFF, 0, W_TIMESTAMP_SIZE);
		}
	} else if (idx == fz.idx_buffer_poll) {
		args[6] = 0;
	} else if (idx == fz.idx_buffer_poll_go) {
		args[5] = 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	size_t calls[MAX_CALLS], ncalls = 0, i, off = 3;
	uint64_t args[MAX_CALLS][16];

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
		defuse(calls[i], args[i]);
		if (setjmp(fz.trap))
			break; /* a trap ends the guest */
		im->call(&guest, args[i]);
	}

	wbpf_wasi__free(guest.wasi);
	guest.wasi = NULL;
	free(fz.mem);
	fz.mem = NULL;
	return 0;
}
