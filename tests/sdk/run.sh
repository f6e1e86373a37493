#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Tier "sdk": the guest SDK as a new user meets it. `make install` into a
# temporary prefix, then a libbpf-bootstrap style tool (tests/sdk/minimal:
# minimal.bpf.c + minimal.c, the original user code plus lines marked
# "test:") is built in a folder outside the repository by a three-line
# Makefile that includes wasmbpf.mk from where the installed `wasmbpf-aot
# --print-sdk-dir` says, with only the installed tools and the system's in
# PATH. The install also holds the man pages, the licence texts and a
# pkg-config file that names the SDK. Then: the guest sees only WASI libc and the SDK headers;
# the tool counts its own write()s (the real host pid through getpid());
# an unprivileged run says what privileges are missing; TZ reaches the
# guest's local time. Runs under the AOT binary and under wasmbpf-run
# (NAME-interp).
set -u
. "$WBPF_TOP/tests/lib.sh"

SRC=$WBPF_TOP/tests/sdk
TESTS=(sdk_install sdk_install_docs sdk_print_sdk_dir sdk_pkg_config sdk_out_of_tree_build sdk_guest_sees_no_host_headers sdk_argp_error
	sdk_rlimit_shim sdk_libbpf_names sdk_minimal_own_pid sdk_minimal_own_pid-interp
	sdk_getpid_needs_grant sdk_unprivileged_load sdk_unprivileged_load-interp
	sdk_local_time_tz)

W=$(mktemp -d /tmp/wbpf-sdk.XXXXXX) || fail_all "cannot make a temporary folder"
trap 'rm -rf "$W"' EXIT
chmod 755 "$W" # the unprivileged runs read the tool from here
P=$W/prefix
export WASMBPF_AOT_CACHE=off

# ------------------------------------------------------------------ install
t=sdk_install
if ! make -C "$WBPF_TOP" --no-print-directory install PREFIX="$P" >"$W/install.log" 2>&1; then
	tail -5 "$W/install.log" >&2
	fail_all "make install PREFIX=$P failed"
fi
if [ ! -f "$P/share/wasmbpf-aot/wasmbpf.mk" ] || [ ! -x "$P/bin/wasmbpf-skel" ] ||
	[ ! -f "$P/share/wasmbpf-aot/include/compat/bpf/libbpf.h" ]; then
	fail_all "the install has no wasmbpf.mk, wasmbpf-skel or compat headers"
fi
pass $t

t=sdk_install_docs
missing=
for f in share/man/man1/wasmbpf-aot.1 share/man/man1/wasmbpf-run.1 share/man/man1/wasmbpf-skel.1 \
	share/doc/wasmbpf-aot/LICENSE share/doc/wasmbpf-aot/LICENSES/LGPL-2.1 \
	share/doc/wasmbpf-aot/LICENSES/BSD-2-Clause share/doc/wasmbpf-aot/abi.md; do
	[ -s "$P/$f" ] || missing+=" $f"
done
notices=$("$P/bin/wasmbpf-aot" --print-notices 2>&1)
if [ -n "$missing" ]; then
	fail $t "not installed:$missing"
elif ! grep -q 'libbpf' <<<"$notices" || ! grep -q 'libelf' <<<"$notices" ||
	! grep -qF "$P/share/doc/wasmbpf-aot/" <<<"$notices"; then
	fail $t "--print-notices does not name libbpf, libelf and the installed texts: $(head -c 200 <<<"$notices")"
else
	pass $t
fi

t=sdk_print_sdk_dir
sdk=$("$P/bin/wasmbpf-aot" --print-sdk-dir 2>&1)
if [ "$sdk" = "$P/share/wasmbpf-aot" ] && [ -f "$sdk/wasmbpf.mk" ]; then
	pass $t
else
	fail $t "--print-sdk-dir said '$sdk', expected $P/share/wasmbpf-aot"
fi

t=sdk_pkg_config
pc_sdk=$(PKG_CONFIG_PATH=$P/share/pkgconfig pkg-config --variable=sdkdir wasmbpf-aot 2>&1)
pc_mk=$(PKG_CONFIG_PATH=$P/share/pkgconfig pkg-config --variable=mkfile wasmbpf-aot 2>&1)
pc_cflags=$(PKG_CONFIG_PATH=$P/share/pkgconfig pkg-config --cflags wasmbpf-aot 2>&1 | sed "s/ *$//")
if [ "$pc_sdk" = "$P/share/wasmbpf-aot" ] && [ -f "$pc_mk" ] &&
	[ "$pc_cflags" = "-I$P/share/wasmbpf-aot/include" ] &&
	[ -f "$P/share/wasmbpf-aot/include/libbpf-wasm.h" ]; then
	pass $t
else
	fail $t "sdkdir '$pc_sdk', mkfile '$pc_mk', cflags '$pc_cflags'"
fi

# ------------------------------------------------------------------ out-of-tree build
t=sdk_out_of_tree_build
A=$W/app
mkdir -p "$A"
cp "$SRC/minimal/minimal.bpf.c" "$SRC/minimal/minimal.c" "$A/"
cat >"$A/Makefile" <<'MK'
WASMBPF_APPS := minimal
include $(shell wasmbpf-aot --print-sdk-dir)/wasmbpf.mk
all: $(WASMBPF_TARGETS)

# test: compile one guest source the way wasmbpf.mk does
probe-%.o: probe-%.c
	$(CLANG) --target=wasm32-wasi -std=gnu11 -Wall -Werror $(WASMBPF_GUEST_INCLUDES) -c $< -o $@
MK
# only the installed tools and the system's in PATH
SYSPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mk() { PATH=$P/bin:$SYSPATH make -C "$A" --no-print-directory "$@"; }
if ! mk all >"$W/build.log" 2>&1; then
	tail -8 "$W/build.log" >&2
	fail $t "the out-of-tree build failed"
	built=false
elif [ ! -x "$A/minimal" ] || [ ! -f "$A/minimal.wasm" ]; then
	fail $t "no minimal and minimal.wasm after the build"
	built=false
else
	pass $t
	built=true
fi

# ------------------------------------------------------------------ headers
t=sdk_guest_sees_no_host_headers
printf '#include <gelf.h>\nint x;\n' >"$A/probe-host.c"
if [ ! -f /usr/include/gelf.h ]; then
	skip $t "no /usr/include/gelf.h (libelf-dev) to be hidden"
elif mk probe-host.o >"$W/host.log" 2>&1; then
	fail $t "a guest includes the host's /usr/include/gelf.h"
elif ! grep -q "'gelf.h' file not found" "$W/host.log"; then
	head -3 "$W/host.log" >&2
	fail $t "no 'file not found' for a host-only header"
else
	pass $t
fi

t=sdk_argp_error
printf '#include <argp.h>\nint x;\n' >"$A/probe-argp.c"
if mk probe-argp.o >"$W/argp.log" 2>&1; then
	fail $t "argp.h compiled for a guest"
elif ! grep -q 'getopt_long' "$W/argp.log" || grep -q 'argp.h.*file not found' "$W/argp.log"; then
	head -3 "$W/argp.log" >&2
	fail $t "the error does not name getopt_long"
else
	pass $t
fi

t=sdk_rlimit_shim
cat >"$A/probe-rlimit.c" <<'C'
#include <sys/resource.h>
int f(void)
{
	struct rlimit r = {RLIM_INFINITY, RLIM_INFINITY};

	return setrlimit(RLIMIT_MEMLOCK, &r);
}
C
if ! mk probe-rlimit.o >"$W/rlimit.log" 2>&1; then
	head -3 "$W/rlimit.log" >&2
	fail $t "setrlimit(RLIMIT_MEMLOCK) does not compile for a guest"
else
	pass $t
fi

t=sdk_libbpf_names
cat >"$A/probe-names.c" <<'C'
#include <stdio.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
static int pr(enum libbpf_print_level l, const char *f, va_list ap) { return vfprintf(stderr, f, ap); }
static int rs(void *c, void *d, size_t n) { return 0; }
static void ps(void *c, int cpu, void *d, __u32 n) {}
static void pl(void *c, int cpu, __u64 n) {}
int f(struct bpf_object *o, struct bpf_program *p)
{
	struct ring_buffer *rb;
	struct perf_buffer *pb;

	libbpf_set_print(pr);
	bpf_program__set_autoload(p, false);
	rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(o, "rb")), rs, NULL, NULL);
	pb = perf_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(o, "pb")), 8, ps, pl, NULL,
			      NULL);
	ring_buffer__poll(rb, 100);
	ring_buffer__consume(rb);
	perf_buffer__poll(pb, 100);
	ring_buffer__free(rb);
	perf_buffer__free(pb);
	return (int)libbpf_get_error(rb);
}
C
if ! mk probe-names.o >"$W/names.log" 2>&1; then
	head -5 "$W/names.log" >&2
	fail $t "libbpf's names do not compile for a guest"
else
	pass $t
fi

# ------------------------------------------------------------------ running
blocker=$(kernel_test_blocker)
run_tests=(sdk_minimal_own_pid sdk_minimal_own_pid-interp sdk_getpid_needs_grant
	sdk_unprivileged_load sdk_unprivileged_load-interp sdk_local_time_tz)
if [ -n "$blocker" ] || ! $built; then
	for t in "${run_tests[@]}"; do skip $t "${blocker:-the tool did not build}"; done
	exit 0
fi

# start NAME CMD...: run CMD in the background in $A, stdout/stderr in $W/NAME.*
start() {
	local name=$1
	shift
	(cd "$A" && exec "$@") >"$W/$name.out" 2>"$W/$name.err" &
	pid=$!
}

# stop_after SECONDS: SIGINT to $pid after that long, then its exit status in rc
stop_after() {
	sleep "$1"
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
}

for sfx in "" -interp; do
	t=sdk_minimal_own_pid$sfx
	if [ -z "$sfx" ]; then
		start own$sfx env WASMBPF_DIR=/proc/self:ro ./minimal
	else
		start own$sfx env WASMBPF_DIR=/proc/self:ro "$P/bin/wasmbpf-run" minimal.wasm
	fi
	stop_after 2.5
	n=$(sed -n "s/^writes counted for pid $pid: \([0-9]*\)$/\1/p" "$W/own$sfx.out")
	if [ $rc -ne 0 ]; then
		head -5 "$W/own$sfx.err" >&2
		fail $t "exit $rc (want 0 after SIGINT)"
	elif ! grep -q '^Successfully started!' "$W/own$sfx.out"; then
		fail $t "no 'Successfully started!' line"
	elif [ -z "$n" ] || [ "$n" -lt 2 ]; then
		cat "$W/own$sfx.out" >&2
		fail $t "no count of at least 2 writes for the tool's own pid $pid"
	elif ! grep -q "^write from pid $pid$" "$W/own$sfx.out"; then
		fail $t "no ring buffer record of a write from pid $pid"
	else
		pass $t
	fi
done

t=sdk_getpid_needs_grant
start nogrant ./minimal
stop_after 1.5
if ! grep -q 'cannot see its host pid unless /proc/self is granted' "$W/nogrant.err"; then
	head -5 "$W/nogrant.err" >&2
	fail $t "no message saying that getpid() needs /proc/self"
elif ! grep -q '^writes counted for pid -1: 0$' "$W/nogrant.out"; then
	fail $t "getpid() gave something other than -1 without the grant"
else
	pass $t
fi

for sfx in "" -interp; do
	t=sdk_unprivileged_load$sfx
	if ! command -v setpriv >/dev/null; then
		skip $t "no setpriv (util-linux)"
		continue
	fi
	if [ -z "$sfx" ]; then
		cmd=(./minimal)
	else
		cmd=("$P/bin/wasmbpf-run" minimal.wasm)
	fi
	(cd "$A" && WASMBPF_DIR=/proc/self:ro timeout 20 \
		setpriv --reuid nobody --regid nogroup --clear-groups "${cmd[@]}") \
		>"$W/unpriv$sfx.out" 2>"$W/unpriv$sfx.err"
	rc=$?
	# the guest returns -err: the guest's (WASI's) EPERM is 63
	if [ $rc -ne 63 ]; then
		head -5 "$W/unpriv$sfx.err" >&2
		fail $t "exit $rc (want 63, the guest's EPERM; 28 is EINVAL)"
	elif ! grep -q 'needs root, or the capabilities CAP_BPF and CAP_PERFMON' \
		"$W/unpriv$sfx.err"; then
		head -5 "$W/unpriv$sfx.err" >&2
		fail $t "stderr does not say which privileges are missing"
	elif ! grep -q 'failed to load BPF object: Operation not permitted' "$W/unpriv$sfx.err"; then
		fail $t "stderr does not give the load's EPERM"
	else
		pass $t
	fi
done

# bootstrap's TIME column (localtime through the SDK) with TZ=UTC-2: two hours
# ahead of UTC
t=sdk_local_time_tz
BOOT=$WBPF_BUILD/examples/bootstrap/bootstrap
if [ ! -x "$BOOT" ]; then
	skip $t "no $BOOT (make examples)"
else
	cp /bin/true "$W/wbpf-tz-probe"
	(exec env WASMBPF_ENV_TZ=UTC-2 "$BOOT") >"$W/tz.out" 2>"$W/tz.err" &
	pid=$!
	for _ in $(seq 1 50); do
		grep -q '^TIME' "$W/tz.out" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.3
	utc=$(date -u +%s)
	"$W/wbpf-tz-probe"
	stop_after 0.5
	hms=$(awk '$2 == "EXEC" && $NF ~ /wbpf-tz-probe$/ { print $1; exit }' "$W/tz.out")
	if [ -z "$hms" ]; then
		head -5 "$W/tz.out" "$W/tz.err" >&2
		fail $t "bootstrap printed no EXEC line for the probe"
	else
		IFS=: read -r h m s <<<"$hms"
		got=$((10#$h * 3600 + 10#$m * 60 + 10#$s))
		want=$(((utc + 7200) % 86400))
		d=$(((got - want + 86400) % 86400))
		if [ $d -le 3 ] || [ $d -ge $((86400 - 1)) ]; then
			pass $t
		else
			fail $t "TIME $hms is not UTC+2 ($(date -u -d @$((utc + 7200)) +%T))"
		fi
	fi
fi
exit 0
