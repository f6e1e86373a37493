// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The wasm2c engine: main() of every compiled program. It provides the two
 * things the runtime needs of an engine (guest.h): the linear memory and a
 * type-checked call into the guest's table, and it turns wasm2c's traps
 * (longjmp from generated code or from the SIGSEGV handler) into one line and
 * a documented exit code.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "wbpf/aot.h" /* first: wasm-rt-impl.h needs what wbpf/w2c.h includes */
#include "wbpf/bpf.h"
#include "wbpf/wasi.h"
#include <wasm-rt-impl.h>

extern char **environ;

/* wasm2c reserves this much address space per memory; any guest access lands
 * inside it (a 32-bit address plus a 32-bit offset). */
#define GUEST_RESERVATION 0x200000000ull

static struct {
	const struct wbpf_aot_module *m;
	void *inst;
	wasm_rt_funcref_table_t *table;
	wbpf_w2c_func_type type_iii_i; /* wasm2c's id of (i32, i32, i32) -> i32 */
	const char *trap_msg; /* set by a trap raised from host code */
} aot;

static struct wbpf_guest guest;

wasm_rt_memory_t *wbpf_aot_memory;

static uint8_t *aot_mem(struct wbpf_guest *g, uint64_t *size)
{
	/*
	 * From the page count, in 64 bits (wbpf/w2c.h): wasm2c 1.0.32 keeps the
	 * byte size in a uint32_t, which wraps to 0 at 65536 pages (4 GiB).
	 * Before the memory is allocated (start of instantiation) it has 0 pages.
	 * The view is taken again after every call into the guest, which may
	 * have grown (moved) its memory; the binding's import functions take it
	 * on entry the same way, inline (wbpf_aot_enter()).
	 */
	*size = wbpf_w2c_mem_size(wbpf_aot_memory);
	return wbpf_aot_memory->data;
}

static int aot_call_table_iii_i(struct wbpf_guest *g, uint32_t idx, uint32_t a, uint32_t b,
				uint32_t c, int32_t *ret)
{
	const wasm_rt_funcref_table_t *t = aot.table;
	const wasm_rt_funcref_t *f;

	if (!t || idx >= t->size || !t->data[idx].func)
		return -ERANGE;
	f = &t->data[idx];
	if (!wbpf_w2c_func_type_eq(f->func_type, aot.type_iii_i))
		return -EINVAL;
	*ret = (int32_t)((uint32_t(*)(void *, uint32_t, uint32_t, uint32_t))f->func)(
		f->module_instance, a, b, c);
	return 0;
}

static int aot_call_go_callback(struct wbpf_guest *g, uint32_t a, uint32_t b, uint32_t c,
				int32_t *ret)
{
	if (!aot.m->go_callback)
		return -ENOENT;
	*ret = (int32_t)aot.m->go_callback(aot.inst, a, b, c);
	return 0;
}

__attribute__((noreturn)) static void aot_trap(struct wbpf_guest *g, const char *what)
{
	aot.trap_msg = what;
	wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);
}

static const struct wbpf_engine_ops aot_ops = {
	.mem = aot_mem,
	.call_table_iii_i = aot_call_table_iii_i,
	.call_go_callback = aot_call_go_callback,
	.trap = aot_trap,
};

void wbpf_aot_trap(const char *what)
{
	aot_trap(&guest, what);
}

/* wasm2c's trap codes in the runtime's words. */
static const char *trap_name(int trap)
{
	switch (trap) {
	case WASM_RT_TRAP_OOB:
		return wbpf_trap_name(WBPF_TRAP_OOB);
	case WASM_RT_TRAP_INT_OVERFLOW:
		return wbpf_trap_name(WBPF_TRAP_INT_OVERFLOW);
	case WASM_RT_TRAP_DIV_BY_ZERO:
		return wbpf_trap_name(WBPF_TRAP_DIV_BY_ZERO);
	case WASM_RT_TRAP_INVALID_CONVERSION:
		return wbpf_trap_name(WBPF_TRAP_INVALID_CONVERSION);
	case WASM_RT_TRAP_UNREACHABLE:
		return wbpf_trap_name(WBPF_TRAP_UNREACHABLE);
	case WASM_RT_TRAP_CALL_INDIRECT:
		return wbpf_trap_name(WBPF_TRAP_CALL_INDIRECT);
	case WASM_RT_TRAP_UNCAUGHT_EXCEPTION:
		return wbpf_trap_name(WBPF_TRAP_UNCAUGHT_EXCEPTION);
	case WASM_RT_TRAP_EXHAUSTION:
		return wbpf_trap_name(WBPF_TRAP_EXHAUSTION);
	default:
		return wbpf_trap_name(WBPF_TRAP_UNKNOWN);
	}
}

static void write_str(const char *s)
{
	ssize_t r = write(STDERR_FILENO, s, strlen(s));

	(void)r;
}

/*
 * wasm2c's own handler calls every SIGSEGV a guest trap. Ours tells them apart:
 * a fault inside the guest's reservation is an out-of-bounds access, a fault
 * just below the stack pointer is stack exhaustion (deep guest recursion), and
 * anything else is a crash of the host that must not pass for a guest trap.
 */
static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	const wasm_rt_memory_t *mem = wbpf_aot_memory;
	uintptr_t addr = (uintptr_t)si->si_addr;
	uintptr_t sp = 0;
	ucontext_t *uc = ctx;

#if defined(__x86_64__)
	sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
	sp = (uintptr_t)uc->uc_mcontext.sp;
#endif
	if (mem && mem->data && addr >= (uintptr_t)mem->data &&
	    addr - (uintptr_t)mem->data < GUEST_RESERVATION)
		wasm_rt_trap(WASM_RT_TRAP_OOB);
	if (sp && addr < sp + 4096 && addr + (1u << 20) > sp)
		wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);

	write_str(guest.prog ? guest.prog : "wasm");
	write_str(": fatal: host fault (SIGSEGV/SIGBUS) outside guest memory\n");
	signal(sig, SIG_DFL); /* returning re-faults and dumps core as usual */
}

static void install_fault_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK; /* alternate stack set up by wasm_rt_init */
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = on_segv;
	if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL)) {
		perror("sigaction");
		abort();
	}
}

int wbpf_aot_main(int argc, char **argv, const struct wbpf_aot_module *m)
{
	struct wbpf_wasi_opts opts = {
		.argc = argc,
		.argv = argv,
		.dirs = m->dirs,
		.envs = m->envs,
		.host_environ = environ,
	};
	const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;
	int trap;

	/* while this process is small: the guest's memory and every fd come
	 * after (docs/abi.md, "Loading an object"); without it, checks fork */
	if (m->loads_bpf_object)
		wbpf_bpf_checker_start();

	guest.prog = argc > 0 ? (slash ? slash + 1 : argv[0]) : "wasm";
	guest.ops = &aot_ops;
	guest.btf_default = m->btf;
	aot.m = m;

	if (wbpf_wasi__new(&guest, &opts))
		exit(WBPF_EXIT_RUNTIME);

	wasm_rt_init();
	install_fault_handler();
	if (m->init_module)
		m->init_module();
	aot.type_iii_i = m->func_type_iii_i();
	wbpf_signals_init(&guest);

	trap = wasm_rt_impl_try();
	if (trap)
		wbpf_trap_exit(&guest, aot.trap_msg ? aot.trap_msg : trap_name(trap));

	/*
	 * wasm2c runs the module's start function at the end of instantiate, and
	 * it may call imports: the runtime must see the instance's memory and
	 * table by then. Both live inside the (static) instance, so take their
	 * addresses first; instantiate fills them before it runs start.
	 */
	aot.inst = m->instance;
	wbpf_aot_memory = m->memory(aot.inst);
	aot.table = m->table ? m->table(aot.inst) : NULL;
	m->instantiate(&guest);
	m->start(aot.inst);
	wbpf_guest_exit(&guest, 0);
}
