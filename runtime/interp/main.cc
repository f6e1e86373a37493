// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * wasmbpf-run: the interpreter engine. It runs a Wasm-eBPF module with wabt's
 * interpreter against the same runtime as the compiled programs: every row of
 * imports.def is bound as a host function that calls the handler the AOT
 * binding calls, and the engine ops of guest.h (memory, table call, go-callback,
 * trap) are served from the interpreter's instance.
 *
 *   wasmbpf-run [-h | -V] PROG.wasm [ARGS...]
 *
 * Option parsing stops at the first non-option: everything after PROG.wasm
 * belongs to the guest. What the runtime can be told (directory grants,
 * environment, grace period, custom BTF) comes from the same WASMBPF_* environment
 * variables as for a compiled program. The guest's argv[0] and the program
 * name of messages are the module's basename without ".wasm", what a program
 * compiled from the module (named after it) sees.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <vector>

#include <wabt/binary-reader.h>
#include <wabt/error-formatter.h>
#include <wabt/feature.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

#include "wbpf/bpf.h"
#include "wbpf/guest.h"
#include "wbpf/wasi.h"

#include "check.h"
#include "interp.h"

extern char **environ;

using namespace wabt;
using namespace wabt::interp;

#ifndef WBPF_VERSION
#define WBPF_VERSION "0.1.0"
#endif

static const char *tool = "wasmbpf-run";

namespace {

struct interp_engine {
	Store *store;
	Instance::Ptr inst;
	Memory::Ptr mem;
	Table::Ptr table;		/* the module's table 0, exported or not; may be null */
	Func::Ptr go_callback;		/* export "go-callback", when the module has it */
};

interp_engine eng;
struct wbpf_guest guest;

/*
 * wabt's trap messages in the runtime's words (those of the wasm2c engine), so
 * that both engines print the same line for the same trap.
 */
const char *trap_what(const std::string &msg)
{
	static const struct {
		const char *prefix;
		enum wbpf_trap trap;
	} map[] = {
		{ "out of bounds memory access", WBPF_TRAP_OOB },
		{ "out of bounds table access", WBPF_TRAP_OOB },
		{ "unreachable", WBPF_TRAP_UNREACHABLE },
		{ "integer divide by zero", WBPF_TRAP_DIV_BY_ZERO },
		{ "integer overflow", WBPF_TRAP_INT_OVERFLOW },
		{ "invalid conversion to integer", WBPF_TRAP_INVALID_CONVERSION },
		{ "call stack exhausted", WBPF_TRAP_EXHAUSTION },
		{ "value stack exhausted", WBPF_TRAP_EXHAUSTION },
		{ "indirect call signature mismatch", WBPF_TRAP_CALL_INDIRECT },
		{ "undefined table index", WBPF_TRAP_CALL_INDIRECT },
		{ "uninitialized table element", WBPF_TRAP_CALL_INDIRECT },
	};

	for (const auto &m : map)
		if (!msg.compare(0, strlen(m.prefix), m.prefix))
			return wbpf_trap_name(m.trap);
	return NULL;
}

/* A trap from the interpreter: one line, cleanups, exit 134. */
__attribute__((noreturn)) void trap_exit(const Trap::Ptr &trap)
{
	std::string msg = trap ? trap->message() : std::string("unknown trap");
	const char *what = trap_what(msg);

	/* wbpf_trap_exit() exits: the string outlives its use */
	wbpf_trap_exit(&guest, what ? what : msg.c_str());
}

uint8_t *interp_mem(struct wbpf_guest *g, uint64_t *size)
{
	/* the interpreter's memory is a vector: it moves when it grows */
	if (!eng.mem) { /* no instance yet, and no host call from a start section */
		*size = 0;
		return NULL;
	}
	*size = eng.mem->ByteSize();
	return eng.mem->UnsafeData();
}

bool type_is_iii_i(const FuncType &t)
{
	return t.params.size() == 3 && t.results.size() == 1 && t.params[0] == Type::I32 &&
	       t.params[1] == Type::I32 && t.params[2] == Type::I32 && t.results[0] == Type::I32;
}

/*
 * Interpreter threads by nesting depth: [0] runs _start, [1] a callback the
 * guest's _start reaches through a host call (a ring buffer sample), and so
 * on; an outer thread waits in its host call while an inner one runs. A thread
 * is empty again once its call returns, so each depth keeps its own. They are
 * never freed: the program may end (exit, trap) from inside any of them.
 */
std::vector<Thread *> threads;
size_t depth;

/* Call a guest function; a trap ends the program. */
void call_guest(const Func::Ptr &f, const Values &params, Values &results)
{
	Trap::Ptr trap;
	Result r;

	if (threads.size() <= depth)
		threads.push_back(new Thread(*eng.store));
	depth++;
	r = f->Call(*threads[depth - 1], params, results, &trap);
	depth--;
	if (Failed(r) || trap)
		trap_exit(trap);
}

int32_t call_iii_i(Func::Ptr &f, uint32_t a, uint32_t b, uint32_t c)
{
	Values params = { Value::Make(a), Value::Make(b), Value::Make(c) };
	Values results;

	call_guest(f, params, results);
	return (int32_t)results[0].Get<u32>();
}

int interp_call_table_iii_i(struct wbpf_guest *g, uint32_t idx, uint32_t a, uint32_t b,
			    uint32_t c, int32_t *ret)
{
	Ref ref;

	if (!eng.table || Failed(eng.table->Get(idx, &ref)) || ref == Ref::Null)
		return -ERANGE;
	if (!eng.store->Is<Func>(ref))
		return -ERANGE;
	Func::Ptr f = eng.store->UnsafeGet<Func>(ref);
	if (!type_is_iii_i(f->type()))
		return -EINVAL;
	*ret = call_iii_i(f, a, b, c);
	return 0;
}

int interp_call_go_callback(struct wbpf_guest *g, uint32_t a, uint32_t b, uint32_t c,
			    int32_t *ret)
{
	if (!eng.go_callback)
		return -ENOENT;
	*ret = call_iii_i(eng.go_callback, a, b, c);
	return 0;
}

/*
 * A trap raised by host code. The interpreter keeps all of its state in heap
 * objects and has nothing to release on the way out, so the trap ends the
 * program from where it is, as wbpf_guest_exit() does for proc_exit: the
 * message, the runtime's cleanups and the exit code are those of a trap the
 * interpreter reports itself.
 */
__attribute__((noreturn)) void interp_trap(struct wbpf_guest *g, const char *what)
{
	wbpf_trap_exit(g, what);
}

const struct wbpf_engine_ops interp_ops = {
	interp_mem,
	interp_call_table_iii_i,
	interp_call_go_callback,
	interp_trap,
};

ValueTypes sig_types(const char *sig)
{
	ValueTypes v;

	for (; *sig; sig++)
		v.push_back(*sig == 'I' ? Type(Type::I64) : Type(Type::I32));
	return v;
}

/*
 * A host call from the module's start section comes while Instantiate() still
 * runs, before main() has the instance: take memory and table from the
 * calling instance (the guest's), so that the call sees the guest's memory as
 * it does under the wasm2c engine.
 */
void adopt_caller(Thread &t)
{
	Instance *inst = t.GetCallerInstance();

	if (!inst)
		return;
	if (!inst->memories().empty())
		eng.mem = eng.store->UnsafeGet<Memory>(inst->memories()[0]);
	if (!eng.table && !inst->tables().empty())
		eng.table = eng.store->UnsafeGet<Table>(inst->tables()[0]);
}

/* The host function of one row of imports.def: wasm values in, handler, result out. */
HostFunc::Ptr bind_import(const struct wbpf_import *im)
{
	FuncType ft(sig_types(im->params), sig_types(im->results));
	const char *params = im->params;
	bool has_result = im->results[0] != '\0';
	bool result_i64 = im->results[0] == 'I';
	wbpf_handler_t call = im->call;

	return HostFunc::New(*eng.store, ft,
			     [=](Thread &t, const Values &in, Values &out, Trap::Ptr *) -> Result {
				     uint64_t args[16];
				     uint64_t r;
				     size_t i;

				     if (!eng.mem)
					     adopt_caller(t);

				     for (i = 0; params[i] && i < 16; i++)
					     args[i] = params[i] == 'I' ? in[i].Get<u64>()
									: (uint64_t)in[i].Get<u32>();
				     r = call(&guest, args);
				     if (has_result) {
					     out.resize(1);
					     out[0] = result_i64 ? Value::Make((u64)r)
								 : Value::Make((u32)r);
				     }
				     return Result::Ok;
			     });
}

__attribute__((format(printf, 2, 3))) int fail(const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", tool, path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

/* Bind every import of the module (load_module() has checked them all against
 * the import table, by name and type). */
int resolve_imports(const char *path, const Module::Ptr &mod, RefVec *imports)
{
	for (const ImportType &it : mod->import_types()) {
		const struct wbpf_import *im = NULL;

		for (size_t i = 0; i < wbpf_imports_cnt; i++)
			if (it.module == wbpf_imports[i].module && it.name == wbpf_imports[i].name)
				im = &wbpf_imports[i];
		if (!im || it.type->kind != ExternKind::Func)
			return fail(path, "import '%s.%s' passed the checks but has no handler",
				    it.module.c_str(), it.name.c_str());
		imports->push_back(bind_import(im).ref());
	}
	return 0;
}

/* The export called name, or NULL. */
const ExportType *find_export_type(const Module::Ptr &mod, const char *name)
{
	for (const ExportType &t : mod->export_types())
		if (t.name == name)
			return &t;
	return NULL;
}

/* The instance's object for an export of the module. */
Ref export_ref(const Module::Ptr &mod, const ExportType *t)
{
	return eng.inst->exports()[(size_t)(t - mod->export_types().data())];
}

int load_module(const char *path, Module::Ptr *out)
{
	FILE *f = fopen(path, "rb");
	std::vector<uint8_t> data;
	Errors errors;
	ModuleDesc desc;
	Features features;
	ReadBinaryOptions options(features, nullptr, false, true, false);
	uint8_t buf[65536];
	size_t n;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", tool, path, strerror(errno));
		return -errno;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		data.insert(data.end(), buf, buf + n);
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: %s\n", tool, path, strerror(errno));
		fclose(f);
		return -EIO;
	}
	fclose(f);

	/* the driver's reader and checks: a module is refused with its words */
	struct wbpf_wasm wm = {};
	struct wbpf_check chk = {};
	char why[1024];
	int ret = wbpf_wasm__parse(data.data(), data.size(), &wm, why, sizeof(why));

	if (!ret)
		ret = wbpf_check_module(&chk, &wm, false, why, sizeof(why));
	wbpf_check__free(&chk);
	wbpf_wasm__free(&wm);
	if (ret)
		return fail(path, "%s", why);
	/* the object checker, while this process is small: before wabt reads
	 * the module and before the guest's memory (docs/abi.md, "Loading an
	 * object"); without it, checks fork */
	if (chk.loads_bpf_object)
		wbpf_bpf_checker_start();

	std::vector<uint8_t> guarded;
	std::string err;

	if (wbpf_interp_guard_calls(path, data, &guarded, &err)) {
		while (!err.empty() && err.back() == '\n')
			err.pop_back();
		return fail(path, "not a valid wasm module: %s", err.c_str());
	}
	if (Failed(ReadBinaryInterp(path, guarded.data(), guarded.size(), options, &errors,
				    &desc))) {
		std::string msg = FormatErrorsToString(errors, Location::Type::Binary);

		while (!msg.empty() && msg.back() == '\n')
			msg.pop_back();
		return fail(path, "not a valid wasm module: %s", msg.c_str());
	}
	*out = Module::New(*eng.store, std::move(desc));
	return 0;
}

void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]... PROG.wasm [ARG]...\n"
		"Run a Wasm-eBPF module (a WASI command module) with the interpreter, on the\n"
		"same runtime as the programs wasmbpf-aot compiles.\n"
		"\n"
		"Options are read only before PROG.wasm; every argument after it goes to\n"
		"the guest, whose argv[0] is PROG (the basename without .wasm).\n"
		"  -h, --help     show this help and exit\n"
		"  -V, --version  show the version and exit\n"
		"\n"
		"The runtime is configured by the environment, as for a compiled program:\n"
		"  WASMBPF_DIR=HOST[::GUEST][:ro]  grant a host directory (also WASMBPF_DIR_*)\n"
		"  WASMBPF_ENV_NAME=VALUE          the guest sees NAME=VALUE\n"
		"  WASMBPF_GRACE_MS=N              grace period after SIGINT/SIGTERM\n"
		"  WASMBPF_BTF=FILE                BTF for CO-RE instead of the kernel's\n"
		"\n"
		"Exit status: the guest's; 134 on a wasm trap; 125 when the runtime cannot\n"
		"start the guest; 1 for a module it cannot run; 2 for a usage error.\n",
		tool);
}

} // namespace

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	Module::Ptr mod;
	RefVec imports;
	Trap::Ptr trap;
	std::string prog;
	const char *path, *slash;
	int c;

	argv[0] = const_cast<char *>(tool); /* getopt's messages */
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", tool, WBPF_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", tool);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: missing PROG.wasm\nTry '%s --help'.\n", tool, tool);
		return 2;
	}
	path = argv[optind];

	slash = strrchr(path, '/');
	prog = slash ? slash + 1 : path;
	if (prog.size() > 5 && !prog.compare(prog.size() - 5, 5, ".wasm"))
		prog.resize(prog.size() - 5);

	eng.store = new Store(); /* lives until exit: the program ends from host calls */
	if (load_module(path, &mod))
		return 1;
	if (resolve_imports(path, mod, &imports))
		return 1;

	/* the guest's argv: PROG, then what follows PROG.wasm */
	std::vector<char *> gargv;
	gargv.push_back(const_cast<char *>(prog.c_str()));
	for (int i = optind + 1; i < argc; i++)
		gargv.push_back(argv[i]);
	gargv.push_back(NULL);

	struct wbpf_wasi_opts opts = {};
	opts.argc = (int)gargv.size() - 1;
	opts.argv = gargv.data();
	opts.host_environ = environ;

	guest.prog = prog.c_str();
	guest.ops = &interp_ops;
	guest.engine = &eng;

	/* the exports the engine needs, checked before anything runs */
	const ExportType *start = find_export_type(mod, "_start");
	const ExportType *mem = find_export_type(mod, "memory");
	const ExportType *gocb = find_export_type(mod, "go-callback");

	/* load_module() checked them: _start () -> (), memory, go-callback's type */
	if (!start || !mem)
		return fail(path, "the checked exports are missing"), 1;

	if (wbpf_wasi__new(&guest, &opts))
		exit(WBPF_EXIT_RUNTIME);
	wbpf_signals_init(&guest);

	/* runs data and element segments and the start section, if any */
	eng.inst = Instance::Instantiate(*eng.store, mod.ref(), imports, &trap);
	if (!eng.inst) {
		if (trap && trap_what(trap->message()))
			trap_exit(trap);
		return fail(path, "cannot instantiate: %s",
			    trap ? trap->message().c_str() : "unknown error"),
		       1;
	}
	Func::Ptr start_fn = eng.store->UnsafeGet<Func>(export_ref(mod, start));
	eng.mem = eng.store->UnsafeGet<Memory>(export_ref(mod, mem));
	if (gocb)
		eng.go_callback = eng.store->UnsafeGet<Func>(export_ref(mod, gocb));
	if (!eng.inst->tables().empty())
		eng.table = eng.store->UnsafeGet<Table>(eng.inst->tables()[0]);

	Values params, results;
	call_guest(start_fn, params, results);
	wbpf_guest_exit(&guest, 0);
}
