// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * wasmbpf-aot's command line: options into a struct wbpf_opts, checked as
 * strictly as the runtime will read them, then one build (build.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "grant.h"

static const char prog[] = "wasmbpf-aot";

static void usage(FILE *f)
{
	fprintf(f,
		"wasmbpf-aot: compile a Wasm-eBPF module ahead of time into a native executable.\n"
		"\n"
		"USAGE\n"
		"  wasmbpf-aot [OPTIONS] PROG.wasm [-o PROG]\n"
		"\n"
		"The module is checked (its imports against the runtime's import table, its\n"
		"_start and memory exports), translated to C with wasm2c, compiled with cc and\n"
		"linked with the wasmbpf-aot runtime into one executable that needs nothing\n"
		"but libc at run time (with --static, not even that). The same module and\n"
		"options give the same bytes.\n"
		"\n"
		"EXAMPLES\n"
		"  wasmbpf-aot bootstrap.wasm                # writes ./bootstrap\n"
		"  sudo ./bootstrap -d 100                   # arguments go to the guest\n"
		"  wasmbpf-aot -O3 --strip prog.wasm -o /usr/local/bin/prog\n"
		"  wasmbpf-aot --static -Os --strip prog.wasm  # one self-contained file\n"
		"  wasmbpf-aot --dir /var/log::/logs:ro --env LANG=C prog.wasm\n"
		"  wasmbpf-aot -v --save-temps prog.wasm     # show commands, keep the C\n"
		"  wasmbpf-aot --target aarch64 prog.wasm    # an arm64 executable\n"
		"\n"
		"A build is cached under the SHA-256 of all that goes into it (the module,\n"
		"the runtime, wasm2c and the compiler, every command it runs); building the\n"
		"same thing again copies the cached executable. The cache keeps the 64 most\n"
		"recently used executables.\n"
		"\n"
		"OPTIONS\n"
		"  -o FILE                  output executable (default: the input name without\n"
		"                           .wasm, or a.out)\n"
		"  -O0, -O1, -O2, -O3, -Os  optimization of the generated C (default -O2)\n"
		"  -v, --verbose            print each step, each command and its time\n"
		"      --save-temps         keep the temporary directory and print its path\n"
		"      --keep-c DIR         copy guest.c (or its parts), guest.h and glue.c\n"
		"                           into DIR\n"
		"      --target ARCH        build for ARCH: x86_64 or aarch64 (also amd64,\n"
		"                           arm64, or a triplet: aarch64-linux-gnu); default:\n"
		"                           this machine. Another machine's runtime must be\n"
		"                           installed (lib/wasmbpf-aot/TRIPLET, built where\n"
		"                           its cross toolchain is)\n"
		"      --cc CC              C compiler (default: $CC, else cc; for another\n"
		"                           machine TRIPLET-gcc)\n"
		"      --cflags FLAGS       extra compiler flags (split on spaces)\n"
		"      --ldflags FLAGS      extra linker flags (split on spaces)\n"
		"      --strip              strip the executable\n"
		"      --static             link everything statically, libc included: one\n"
		"                           file that runs on any Linux of the same\n"
		"                           architecture\n"
		"      --oci-archive FILE   also write FILE, an OCI image archive holding just\n"
		"                           the executable as its entrypoint (needs --static)\n"
		"      --dir HOST[::GUEST][:ro]\n"
		"                           preopen directory HOST (as GUEST) by default;\n"
		"                           repeatable\n"
		"      --env NAME=VALUE     environment variable given to the guest by default;\n"
		"                           repeatable\n"
		"      --btf FILE           BTF that CO-RE relocates against instead of the\n"
		"                           kernel's, by default (for kernels without\n"
		"                           /sys/kernel/btf/vmlinux; WASMBPF_BTF overrides);\n"
		"                           kept as given: a relative FILE is looked up in the\n"
		"                           working directory of the program when it runs\n"
		"      --allow-unknown-imports\n"
		"                           accept function imports the runtime does not\n"
		"                           provide; calling one traps with \"call to\n"
		"                           unsupported import 'MODULE.NAME'\" (exit 134)\n"
		"      --wasm2c PATH        wasm2c to run (default: $WASM2C, else wasm2c)\n"
		"      --no-cache           neither use nor fill the build cache (--save-temps\n"
		"                           and --keep-c do not use it either)\n"
		"      --no-libc-fast-paths compile the guest libc's memcpy, memset, strlen\n"
		"                           and memchr as they are, without the native fast\n"
		"                           paths given to the builds the driver recognises\n"
		"      --num-outputs N      write the generated C in N files (1..8, default\n"
		"                           1) and compile them at once, as many as there\n"
		"                           are CPUs; wasm2c 1.0.32 always writes one\n"
		"  -h, --help               show this help\n"
		"  -V, --version            show the version and wasm2c's version\n"
		"      --print-sdk-dir      print the directory of the guest SDK (wasmbpf.mk,\n"
		"                           libbpf-wasm.h) and exit\n"
		"      --print-notices      print the licences of what executables contain and\n"
		"                           what a redistributor must do, and exit\n"
		"\n"
		"ENVIRONMENT\n"
		"  WASMBPF_AOT_HOME         install prefix holding lib/wasmbpf-aot/libwbpf-rt.a\n"
		"                           and include/wasmbpf-aot (default: found from the\n"
		"                           location of this program)\n"
		"  WASMBPF_AOT_CACHE        build cache directory (default:\n"
		"                           $XDG_CACHE_HOME/wasmbpf-aot, else\n"
		"                           $HOME/.cache/wasmbpf-aot); empty or \"off\" disables\n"
		"                           the cache\n"
		"  CC, WASM2C, TMPDIR       as above; TMPDIR holds the temporary directory\n"
		"\n"
		"Exit status: 0 on success, 1 on failure, 2 on a usage error.\n");
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	return 2;
}

enum {
	OPT_SAVE_TEMPS = 256,
	OPT_KEEP_C,
	OPT_CC,
	OPT_CFLAGS,
	OPT_LDFLAGS,
	OPT_STRIP,
	OPT_STATIC,
	OPT_OCI_ARCHIVE,
	OPT_DIR,
	OPT_ENV,
	OPT_BTF,
	OPT_ALLOW_UNKNOWN,
	OPT_WASM2C,
	OPT_NO_CACHE,
	OPT_NO_LIBC_FAST_PATHS,
	OPT_NUM_OUTPUTS,
	OPT_TARGET,
	OPT_VERSION,
	OPT_PRINT_SDK_DIR,
	OPT_PRINT_NOTICES,
};

static const struct option long_opts[] = {
	{"output", required_argument, NULL, 'o'},
	{"verbose", no_argument, NULL, 'v'},
	{"save-temps", no_argument, NULL, OPT_SAVE_TEMPS},
	{"keep-c", required_argument, NULL, OPT_KEEP_C},
	{"cc", required_argument, NULL, OPT_CC},
	{"cflags", required_argument, NULL, OPT_CFLAGS},
	{"ldflags", required_argument, NULL, OPT_LDFLAGS},
	{"strip", no_argument, NULL, OPT_STRIP},
	{"static", no_argument, NULL, OPT_STATIC},
	{"oci-archive", required_argument, NULL, OPT_OCI_ARCHIVE},
	{"dir", required_argument, NULL, OPT_DIR},
	{"env", required_argument, NULL, OPT_ENV},
	{"btf", required_argument, NULL, OPT_BTF},
	{"allow-unknown-imports", no_argument, NULL, OPT_ALLOW_UNKNOWN},
	{"wasm2c", required_argument, NULL, OPT_WASM2C},
	{"no-cache", no_argument, NULL, OPT_NO_CACHE},
	{"no-libc-fast-paths", no_argument, NULL, OPT_NO_LIBC_FAST_PATHS},
	{"num-outputs", required_argument, NULL, OPT_NUM_OUTPUTS},
	{"target", required_argument, NULL, OPT_TARGET},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"print-sdk-dir", no_argument, NULL, OPT_PRINT_SDK_DIR},
	{"print-notices", no_argument, NULL, OPT_PRINT_NOTICES},
	{NULL, 0, NULL, 0},
};

static int print_sdk_dir(void)
{
	char home[4096];
	int ret;

	ret = wbpf_find_home(home, sizeof(home));
	if (ret) {
		wbpf_msg("cannot find the install prefix: %s (set WASMBPF_AOT_HOME)",
			 strerror(-ret));
		return 1;
	}
	printf("%s/share/wasmbpf-aot\n", strcmp(home, "/") ? home : "");
	return 0;
}

/* What executables contain, under which licences (README, "Shipping a binary"). */
static int print_notices(void)
{
	char home[4096];

	if (wbpf_find_home(home, sizeof(home)))
		strcpy(home, "PREFIX");
	printf("Executables built by wasmbpf-aot %s contain, linked statically:\n"
	       "  the guest: wasm2c's translation of the module   the module's own licence\n"
	       "  the wasmbpf-aot runtime                         LGPL-2.1 OR BSD-2-Clause\n"
	       "  the wasm2c runtime (wabt)                       Apache-2.0\n"
	       "  libbpf                                          LGPL-2.1 OR BSD-2-Clause\n"
	       "  libelf (elfutils), where linked statically      LGPL-3.0-or-later OR "
	       "GPL-2.0-or-later\n"
	       "  zlib, where linked statically                   Zlib\n"
	       "and with --static also:\n"
	       "  the GNU C library (glibc)                       LGPL-2.1-or-later\n"
	       "\n"
	       "This wasmbpf-aot links: %s\n"
	       "With --static: %s\n"
	       "\n"
	       "A redistributor ships these notices with the executable. Because libelf (and,\n"
	       "with --static, glibc) are under the LGPL and linked statically, a recipient\n"
	       "must be able to relink the program with a changed library: ship or offer the\n"
	       "module (.wasm) the program was built from, which rebuilds it with this\n"
	       "toolchain, and point to the libraries' sources (Debian source packages\n"
	       "libbpf, elfutils, zlib, glibc, wabt). The runtime and libbpf may instead be\n"
	       "taken under BSD-2-Clause, which asks only for the notice.\n"
	       "\n"
	       "Licence texts: %s/share/doc/wasmbpf-aot/ (LICENSE, LICENSES/), and\n"
	       "/usr/share/doc/PACKAGE/copyright for libbpf1, libelf1, zlib1g, libc6, wabt.\n",
	       WBPF_VERSION, WBPF_BPF_LINK,
	       WBPF_BPF_STATIC_LINK[0] ? WBPF_BPF_STATIC_LINK : "not available here",
	       strcmp(home, "/") ? home : "");
	return 0;
}

/* The entrypoint's file name in an image: plain characters only (it is
 * written into JSON and tar headers as is). */
static bool image_name_ok(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

	return n && n <= 64 && !s[n] && s[0] != '.';
}

static char *default_output(const char *input)
{
	size_t n = strlen(input);

	if (n > 5 && !strcmp(input + n - 5, ".wasm") && input[n - 6] != '/')
		return strndup(input, n - 5);
	return strdup("a.out");
}

int main(int argc, char **argv)
{
	static char opt_level[8] = "-O2";
	struct wbpf_opts o = {0};
	struct wbpf_wasi_grant grant;
	char *output = NULL;
	bool version = false;
	int print = 0;
	const char *env;
	int c, ret = 1;
	long level;

	o.opt_level = opt_level;
	o.wasm2c = (env = getenv("WASM2C")) && env[0] ? env : "wasm2c";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:O:vhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!optarg[0]) {
				ret = usage_error("-o needs a file name");
				goto cleanup;
			}
			o.output = optarg;
			break;
		case 'O':
			if (!strcmp(optarg, "s")) {
				strcpy(opt_level, "-Os");
			} else if (!wbpf_parse_long(optarg, 0, 3, &level)) {
				snprintf(opt_level, sizeof(opt_level), "-O%ld", level);
			} else {
				ret = usage_error(
					"invalid optimization level '-O%s' (use -O0..-O3 or -Os)",
					optarg);
				goto cleanup;
			}
			break;
		case 'v':
			o.verbose = true;
			break;
		case OPT_SAVE_TEMPS:
			o.save_temps = true;
			break;
		case OPT_KEEP_C:
			o.keep_c = optarg;
			break;
		case OPT_CC:
			wbpf_args__free(&o.cc);
			wbpf_args__split(&o.cc, optarg);
			break;
		case OPT_CFLAGS:
			wbpf_args__split(&o.cflags, optarg);
			break;
		case OPT_LDFLAGS:
			wbpf_args__split(&o.ldflags, optarg);
			break;
		case OPT_STRIP:
			o.strip = true;
			break;
		case OPT_STATIC:
			o.static_link = true;
			break;
		case OPT_OCI_ARCHIVE:
			if (!optarg[0]) {
				ret = usage_error("--oci-archive needs a file name");
				goto cleanup;
			}
			o.oci_archive = optarg;
			break;
		case OPT_DIR:
			/* the runtime's own parser: what it would refuse at every
			 * start is refused now */
			if (wbpf_wasi_grant_parse(optarg, &grant)) {
				ret = usage_error("invalid --dir '%s' (use HOST[::GUEST][:ro])",
						  optarg);
				goto cleanup;
			}
			wbpf_wasi_grant_free(&grant);
			wbpf_args__push(&o.dirs, optarg);
			break;
		case OPT_ENV:
			if (!strchr(optarg, '=') || optarg[0] == '=') {
				ret = usage_error("invalid --env '%s' (use NAME=VALUE)", optarg);
				goto cleanup;
			}
			wbpf_args__push(&o.envs, optarg);
			break;
		case OPT_BTF:
			/* not looked for: the path names a file where the program runs */
			if (!optarg[0]) {
				ret = usage_error("--btf needs a file name");
				goto cleanup;
			}
			o.btf = optarg;
			break;
		case OPT_ALLOW_UNKNOWN:
			o.allow_unknown = true;
			break;
		case OPT_WASM2C:
			o.wasm2c = optarg;
			break;
		case OPT_NO_LIBC_FAST_PATHS:
			o.no_libc_fast_paths = true;
			break;
		case OPT_NO_CACHE:
			o.no_cache = true;
			break;
		case OPT_NUM_OUTPUTS:
			if (wbpf_parse_long(optarg, 1, WBPF_W2C_MAX_OUTPUTS, &level)) {
				ret = usage_error("invalid --num-outputs '%s' (use 1..%d)", optarg,
						  WBPF_W2C_MAX_OUTPUTS);
				goto cleanup;
			}
			o.num_outputs = (unsigned int)level;
			break;
		case OPT_TARGET:
			o.target = wbpf_target__find(optarg);
			if (!o.target) {
				ret = usage_error("unknown target '%s' (use x86_64 or aarch64)",
						  optarg);
				goto cleanup;
			}
			break;
		case 'h':
			usage(stdout);
			ret = 0;
			goto cleanup;
		case 'V':
		case OPT_VERSION:
			version = true;
			break;
		case OPT_PRINT_SDK_DIR:
		case OPT_PRINT_NOTICES:
			print = c;
			break;
		case ':':
			ret = usage_error("option '%s' needs an argument", argv[optind - 1]);
			goto cleanup;
		default:
			if (optopt && optopt < 256)
				ret = usage_error("unknown option '-%c'", optopt);
			else
				ret = usage_error("unknown option '%s'", argv[optind - 1]);
			goto cleanup;
		}
	}
	if (print) {
		ret = print == OPT_PRINT_SDK_DIR ? print_sdk_dir() : print_notices();
		goto cleanup;
	}
	if (version) {
		ret = wbpf_print_version(&o);
		goto cleanup;
	}
	if (optind >= argc) {
		ret = usage_error("no input file");
		goto cleanup;
	}
	if (argc - optind > 1) {
		ret = usage_error("more than one input file ('%s', '%s')", argv[optind],
				  argv[optind + 1]);
		goto cleanup;
	}
	o.input = argv[optind];
	if (!o.num_outputs)
		o.num_outputs = WBPF_NUM_OUTPUTS;
	if (!o.target)
		o.target = wbpf_target__native();
	if (!o.cc.n && !o.target->native) {
		char cc[64];

		snprintf(cc, sizeof(cc), "%s-gcc", o.target->triplet);
		wbpf_args__push(&o.cc, cc);
	}
	if (!o.cc.n)
		wbpf_args__split(&o.cc, (env = getenv("CC")) && env[0] ? env : "cc");
	if (!o.cc.n) {
		ret = usage_error("empty --cc");
		goto cleanup;
	}
	if (!o.output) {
		output = default_output(o.input);
		if (!output) {
			wbpf_msg("out of memory");
			goto cleanup;
		}
		o.output = output;
	}

	if (o.oci_archive) {
		const char *name = strrchr(o.output, '/') ? strrchr(o.output, '/') + 1 : o.output;

		if (!o.static_link) {
			ret = usage_error("--oci-archive needs --static (the image holds nothing "
					  "but the program)");
			goto cleanup;
		}
		if (!image_name_ok(name)) {
			ret = usage_error("--oci-archive: the program's name '%s' must be 1 to 64 "
					  "of A-Z a-z 0-9 . _ - and not start with '.'",
					  name);
			goto cleanup;
		}
	}

	wbpf_cleanup_init();
	ret = wbpf_build(&o) ? 1 : 0;
	wbpf_cleanup();
cleanup:
	free(output);
	wbpf_args__free(&o.cc);
	wbpf_args__free(&o.cflags);
	wbpf_args__free(&o.ldflags);
	wbpf_args__free(&o.dirs);
	wbpf_args__free(&o.envs);
	return ret;
}
