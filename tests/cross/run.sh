#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Cross tier: one .wasm, two machines. The guests of the WASI tier
# (tests/wasi/cases.sh) are compiled by `wasmbpf-aot --target aarch64` and run
# under qemu's user-mode emulator; every case must print what the same module
# compiled for this machine prints (stdout, exit code, stderr where the WASI
# tier checks it, the host-side findings). The arm64 executables are checked
# as files (machine, dynamic, needing only libc), the driver's refusals for a
# missing cross toolchain, and bootstrap under the emulator: where it passes
# bpf() through, bootstrap must report an exec this script causes; where it
# does not, the test says so and bootstrap must fail cleanly.
#   tests/run.sh cross                 everything
#   tests/cross/run.sh [CASE...]       some WASI cases (env defaults as tests/run.sh's)
# Needs gcc-aarch64-linux-gnu, libbpf-dev:arm64 (so that `make` builds the arm64
# runtime) and qemu-user (scripts/install-deps.sh installs them on amd64).
# Builds go to $WBPF_TMP/cross. WBPF_QEMU_AARCH64 picks the emulator.
set -u
export WBPF_TOP=${WBPF_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export WBPF_BUILD=${WBPF_BUILD:-$WBPF_TOP/build}
export WASMBPF_AOT=${WASMBPF_AOT:-$WBPF_BUILD/bin/wasmbpf-aot}
export WBPF_TMP=${WBPF_TMP:-$WBPF_BUILD/test-tmp}
. "$WBPF_TOP/tests/lib.sh"
. "$WBPF_TOP/tests/wasi/cases.sh"

TRIPLET=aarch64-linux-gnu
XCC=$TRIPLET-gcc
RT_ARCHIVE=$WBPF_BUILD/lib/wasmbpf-aot/$TRIPLET/libwbpf-rt.a
BOOT_WASM=${WBPF_BOOTSTRAP_WASM:-$WBPF_BUILD/examples/bootstrap/bootstrap.wasm}
# cases.sh builds and runs under $CACHE: this tier's own folder
CACHE=$WBPF_TMP/cross
T=$CACHE/t

FILE_TESTS="cross_elf_is_aarch64 cross_needs_only_libc cross_triplet_spelling
	cross_cache_keeps_targets_apart cross_missing_compiler_one_line cross_static_is_static
	cross_static_runs_like_x86_64 cross_static_reproducible cross_oci_archive_arm64
	cross_installed_driver"
RUN_TESTS="cross_bootstrap_fails_closed_without_bpf cross_bootstrap_exec"
# shellcheck disable=SC2086 # CASES is a list of words
read -r -a TESTS <<<"$FILE_TESTS $(printf 'cross_%s ' $CASES) $RUN_TESTS"
if [ $# -gt 0 ]; then
	read -r -a TESTS <<<"$(printf 'cross_%s ' "$@")"
fi

case $(uname -m) in
x86_64) ;;
*) skip_all "the tier cross-compiles from x86_64; this machine is $(uname -m)" ;;
esac
[ -x "$WASMBPF_AOT" ] || fail_all "no $WASMBPF_AOT (make driver)"
command -v "$XCC" >/dev/null ||
	skip_all "no $XCC (gcc-aarch64-linux-gnu: scripts/install-deps.sh)"
if [ ! -r "$RT_ARCHIVE" ]; then
	if PKG_CONFIG_LIBDIR=/usr/lib/$TRIPLET/pkgconfig pkg-config --exists libbpf; then
		fail_all "no $RT_ARCHIVE although the cross toolchain is installed (make cross)"
	fi
	skip_all "no libbpf for arm64, so no arm64 runtime (libbpf-dev:arm64: scripts/install-deps.sh)"
fi

# The emulator. Its -L prefix alone is not enough on a machine that also has
# Debian's arm64 libc (libc6:arm64, which libbpf-dev:arm64 brings): the dynamic
# loader would come from the prefix and libc.so.6 from /lib/aarch64-linux-gnu,
# two different builds of glibc, and a fork() in the guest spins for ever in
# glibc's child path. The library path keeps both from the prefix.
QEMU=${WBPF_QEMU_AARCH64:-$(command -v qemu-aarch64-static || command -v qemu-aarch64)}
QEMU_ARGS=(-L "/usr/$TRIPLET" -E "LD_LIBRARY_PATH=/usr/$TRIPLET/lib")
QEMU_VERSION=
[ -n "$QEMU" ] && QEMU_VERSION=$("$QEMU" --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
no_qemu() { # why tests that run arm64 code cannot, or nothing
	[ -n "$QEMU" ] || echo "no qemu-aarch64 (qemu-user: scripts/install-deps.sh)"
}

rm -rf "$T"
mkdir -p "$CACHE/aot" "$CACHE/arm64" "$CACHE/arm64-bin" "$T"

# ------------------------------------------------------------------ building
# build_arm64 PROG: $CACHE/wasm/PROG.wasm compiled for aarch64 into
# $CACHE/arm64-bin/PROG, cached by cases.sh's key scheme; $CACHE/arm64/PROG is
# the script that runs it under the emulator, so that a case runs
# `$BIN/PROG ARGS...` for either machine (exec: the signals a case sends reach
# qemu, which hands them to the guest; the guest's argv[0] is the binary's path).
build_arm64() {
	local p=$1 out=$CACHE/arm64-bin/$1 key
	[ -e "$CACHE/wasm/$p.wasm" ] || return 1
	key=$(key_of "$CACHE/wasm/$p.wasm" "$WASMBPF_AOT" "$RT_ARCHIVE")
	if [ ! -e "$out" ] || [ "$(cat "$out.key" 2>/dev/null)" != "$key" ]; then
		rm -f "$out" "$out.key"
		if ! "$WASMBPF_AOT" --target aarch64 "$CACHE/wasm/$p.wasm" -o "$out" \
			>"$out.log" 2>&1; then
			echo "cross: building arm64/$p failed:" >&2
			cat "$out.log" >&2
			return 1
		fi
		echo "$key" >"$out.key"
	fi
	printf '#!/bin/sh\nexec %q' "$QEMU" >"$CACHE/arm64/$p"
	printf ' %q' "${QEMU_ARGS[@]}" "$out" >>"$CACHE/arm64/$p"
	printf ' "$@"\n' >>"$CACHE/arm64/$p"
	chmod +x "$CACHE/arm64/$p"
}

build_cross() {
	local jobs=$(($(nproc) * 2)) p
	for p in $PROGS_BOTH $PROGS_WASM; do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
		(build_one wasm "$p" && build_one aot "$p" && build_arm64 "$p") &
	done
	wait
}

# ------------------------------------------------------------------ the executables
# elf_machine FILE: readelf's "Machine:" value
elf_machine() {
	readelf -h "$1" 2>/dev/null | sed -n 's/^ *Machine: *//p'
}

# needed FILE: the shared libraries FILE needs, one a line
needed() {
	readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

check_files() {
	local a=$CACHE/arm64-bin/args x=$CACHE/aot/args m libs rc
	if [ ! -x "$a" ] || [ ! -x "$x" ]; then
		for t in cross_elf_is_aarch64 cross_needs_only_libc cross_triplet_spelling \
			cross_cache_keeps_targets_apart; do
			fail $t "the args guest did not build for both machines (see stderr)"
		done
		return
	fi
	m=$(elf_machine "$a")
	if [ "$m" != AArch64 ]; then
		fail cross_elf_is_aarch64 "Machine: '$m'"
	elif [ "$(elf_machine "$x")" != "Advanced Micro Devices X86-64" ]; then
		fail cross_elf_is_aarch64 "the default build's Machine: '$(elf_machine "$x")'"
	elif ! readelf -l "$a" | grep -q "Requesting program interpreter: /lib/ld-linux-aarch64.so.1"; then
		fail cross_elf_is_aarch64 "not dynamic with /lib/ld-linux-aarch64.so.1"
	else
		pass cross_elf_is_aarch64
	fi
	# libbpf, libelf and zlib inside, as the link line in link-flags says
	libs=$(needed "$a" | grep -Ev '^(libc\.so\.6|libm\.so\.6|ld-linux-aarch64\.so\.1)$' |
		tr '\n' ' ')
	if [ -n "$libs" ]; then
		fail cross_needs_only_libc "also needs: $libs"
	elif ! grep -q -- '-Wl,-Bstatic .*-lbpf.*-lelf.*-lz.* -Wl,-Bdynamic$' \
		"$WBPF_BUILD/lib/wasmbpf-aot/$TRIPLET/link-flags"; then
		fail cross_needs_only_libc \
			"link-flags: '$(tr '\n' ' ' <"$WBPF_BUILD/lib/wasmbpf-aot/$TRIPLET/link-flags")'"
	else
		pass cross_needs_only_libc
	fi

	# every spelling of the target is the same build: a hit in a fresh cache
	local C=$T/cache spell out hits=0 said
	mkdir -p "$C"
	WASMBPF_AOT_CACHE=$C "$WASMBPF_AOT" --target aarch64 "$CACHE/wasm/args.wasm" \
		-o "$T/args-0" 2>"$T/err"
	rc=$?
	for spell in arm64 aarch64-linux-gnu aarch64-unknown-linux-gnu; do
		said=$(WASMBPF_AOT_CACHE=$C "$WASMBPF_AOT" -v --target $spell \
			"$CACHE/wasm/args.wasm" -o "$T/args-$spell" 2>&1 | grep -o 'cache hit')
		[ "$said" = "cache hit" ] && cmp -s "$T/args-0" "$T/args-$spell" && hits=$((hits + 1))
	done
	if [ $rc -ne 0 ]; then
		fail cross_triplet_spelling "--target aarch64: exit $rc: $(head -1 "$T/err")"
	elif [ $hits -ne 3 ]; then
		fail cross_triplet_spelling "$hits of 3 other spellings reused the aarch64 build"
	else
		pass cross_triplet_spelling
	fi

	# the same module, options and cache for both machines: two entries, two machines
	WASMBPF_AOT_CACHE=$C "$WASMBPF_AOT" "$CACHE/wasm/args.wasm" -o "$T/args-x" 2>"$T/err" &&
		WASMBPF_AOT_CACHE=$C "$WASMBPF_AOT" --target x86_64 "$CACHE/wasm/args.wasm" \
			-o "$T/args-x2" 2>>"$T/err" &&
		WASMBPF_AOT_CACHE=$C "$WASMBPF_AOT" --target aarch64 "$CACHE/wasm/args.wasm" \
			-o "$T/args-a" 2>>"$T/err"
	rc=$?
	local n
	n=$(find "$C" -maxdepth 1 -regextype egrep -regex '.*/[0-9a-f]{64}' | wc -l)
	if [ $rc -ne 0 ]; then
		fail cross_cache_keeps_targets_apart "a build failed: $(head -1 "$T/err")"
	elif [ "$(elf_machine "$T/args-x")" != "Advanced Micro Devices X86-64" ] ||
		[ "$(elf_machine "$T/args-a")" != AArch64 ]; then
		fail cross_cache_keeps_targets_apart \
			"machines $(elf_machine "$T/args-x") and $(elf_machine "$T/args-a")"
	elif ! cmp -s "$T/args-x" "$T/args-x2"; then
		fail cross_cache_keeps_targets_apart "--target x86_64 is not the default build"
	elif [ "$n" -ne 2 ]; then
		fail cross_cache_keeps_targets_apart "$n cache entries, expected 2 (aarch64, x86_64)"
	else
		pass cross_cache_keeps_targets_apart
	fi
}

# expect_refusal NAME CODE WANT ARGS...: the driver (in the environment
# REFUSE_ENV adds) exits CODE with WANT in its first line on stderr (one line,
# or two for a usage error) and writes no output and no temporary file
expect_refusal() {
	local name=$1 code=$2 want=$3 rc lines
	shift 3
	rm -rf "$T/refuse" "$T/tmp"
	mkdir -p "$T/refuse" "$T/tmp"
	env TMPDIR="$T/tmp" "${REFUSE_ENV[@]}" "$WASMBPF_AOT" "$@" -o "$T/refuse/prog" \
		>"$T/out" 2>"$T/err"
	rc=$?
	lines=$(wc -l <"$T/err")
	if [ $rc -ne "$code" ]; then
		fail "$name" "exit $rc, expected $code: $(head -1 "$T/err")"
	elif ! head -1 "$T/err" | grep -qF -- "$want"; then
		fail "$name" "first line on stderr: '$(head -1 "$T/err")', expected '$want'"
	elif [ "$lines" -ne $((code == 2 ? 2 : 1)) ]; then
		fail "$name" "$lines lines on stderr"
	elif [ -s "$T/out" ] || [ -n "$(find "$T/refuse" "$T/tmp" -mindepth 1)" ]; then
		fail "$name" "output left behind: $(find "$T/refuse" "$T/tmp" -mindepth 1 | tr '\n' ' ')"
	else
		pass "$name"
	fi
}

# The arm64 runtime is there, its compiler is not (a PATH without it). (An
# unknown target and a missing runtime: the driver tier, on every machine.)
check_refusals() {
	REFUSE_ENV=("PATH=$T/bin")
	mkdir -p "$T/bin"
	expect_refusal cross_missing_compiler_one_line 1 \
		"wasmbpf-aot: target aarch64: C compiler 'aarch64-linux-gnu-gcc' not found (the cross \
toolchain: apt-get install gcc-aarch64-linux-gnu" \
		--target aarch64 "$CACHE/wasm/args.wasm"
}

# --static for arm64: no loader, no library; under the emulator with no -L
# prefix it prints what this machine's build prints (a guest with arguments and
# an exit status, a trap); two builds are the same bytes; --oci-archive labels
# the image arm64.
check_static() {
	local t x a out rc why
	if "$WASMBPF_AOT" --version | grep -q "^target $TRIPLET links with --static (not available)"; then
		for t in cross_static_is_static cross_static_runs_like_x86_64 \
			cross_static_reproducible cross_oci_archive_arm64; do
			skip $t "the arm64 libbpf, libelf or zlib archives do not link statically here"
		done
		return
	fi
	mkdir -p "$T/static"
	for p in args trap_oob; do
		if ! "$WASMBPF_AOT" --target aarch64 --static --no-cache "$CACHE/wasm/$p.wasm" \
			-o "$T/static/$p" 2>"$T/err"; then
			for t in cross_static_is_static cross_static_runs_like_x86_64 \
				cross_static_reproducible cross_oci_archive_arm64; do
				fail $t "--target aarch64 --static: $(head -1 "$T/err")"
			done
			return
		fi
	done
	a=$T/static/args
	out=$(file -b "$a")
	if [[ $out != *"ARM aarch64"* ]] || [[ $out != *"statically linked"* ]] ||
		readelf -l "$a" | grep -q 'Requesting program interpreter' || [ -n "$(needed "$a")" ]; then
		fail cross_static_is_static "file: $out; NEEDED: $(needed "$a" | tr '\n' ' ')"
	else
		pass cross_static_is_static
	fi

	if [ -n "$(no_qemu)" ]; then
		skip cross_static_runs_like_x86_64 "$(no_qemu)"
	else
		why=
		for p in args trap_oob; do
			x=$CACHE/aot/$p
			# the same argv[0] for both: the binaries under one name
			mkdir -p "$T/static/x" "$T/static/a"
			cp "$x" "$T/static/x/$p"
			cp "$T/static/$p" "$T/static/a/$p"
			env -i "$T/static/x/$p" one 'two words' >"$T/static/x.out" 2>"$T/static/x.err"
			echo "exit $?" >>"$T/static/x.out"
			env -i "$QEMU" "$T/static/a/$p" one 'two words' >"$T/static/a.out" \
				2>"$T/static/a.err"
			echo "exit $?" >>"$T/static/a.out"
			cmp -s "$T/static/x.out" "$T/static/a.out" || why="$why $p: stdout or exit differ;"
			cmp -s "$T/static/x.err" "$T/static/a.err" || why="$why $p: stderr differs;"
		done
		if [ -n "$why" ]; then
			fail cross_static_runs_like_x86_64 "${why%;}"
			diff "$T/static/x.out" "$T/static/a.out" | head -10 >&2
		else
			pass cross_static_runs_like_x86_64
		fi
	fi

	if "$WASMBPF_AOT" --target aarch64 --static --no-cache "$CACHE/wasm/args.wasm" \
		-o "$T/static/args-2" 2>"$T/err" && cmp -s "$a" "$T/static/args-2"; then
		pass cross_static_reproducible
	else
		fail cross_static_reproducible "a second build differs: $(head -1 "$T/err")"
	fi

	if ! "$WASMBPF_AOT" --target aarch64 --static --strip --oci-archive "$T/static/args.tar" \
		"$CACHE/wasm/args.wasm" -o "$T/static/args-oci" 2>"$T/err"; then
		fail cross_oci_archive_arm64 "--oci-archive build failed: $(head -1 "$T/err")"
	elif ! command -v skopeo >/dev/null; then
		skip cross_oci_archive_arm64 "no skopeo (scripts/install-deps.sh installs it)"
	else
		out=$(skopeo inspect --config "oci-archive:$T/static/args.tar" 2>"$T/err" | tr -d ' \n')
		if [[ $out == *'"architecture":"arm64"'* ]] && [[ $out == *'"Entrypoint":["/args-oci"]'* ]]; then
			pass cross_oci_archive_arm64
		else
			fail cross_oci_archive_arm64 "skopeo: ${out:0:300} $(head -c 200 "$T/err")"
		fi
	fi
}

# make install puts the arm64 runtime next to this machine's; the installed
# driver cross-compiles from any directory.
check_install() {
	local inst=$T/install out
	if ! make -s -C "$WBPF_TOP" OUT="$WBPF_BUILD" install DESTDIR="$inst" PREFIX=/opt/wbpf \
		>"$T/install.log" 2>&1; then
		fail cross_installed_driver "make install failed: $(tail -1 "$T/install.log")"
		return
	fi
	if [ ! -f "$inst/opt/wbpf/lib/wasmbpf-aot/$TRIPLET/libwbpf-rt.a" ] ||
		[ ! -f "$inst/opt/wbpf/lib/wasmbpf-aot/$TRIPLET/link-flags" ]; then
		fail cross_installed_driver "no lib/wasmbpf-aot/$TRIPLET/ in the installed tree"
		return
	fi
	if ! (cd / && "$inst/opt/wbpf/bin/wasmbpf-aot" --no-cache --target aarch64 \
		"$CACHE/wasm/args.wasm" -o "$T/args-inst") 2>"$T/err"; then
		fail cross_installed_driver "the installed driver failed: $(head -1 "$T/err")"
	elif [ "$(elf_machine "$T/args-inst")" != AArch64 ]; then
		fail cross_installed_driver "Machine: '$(elf_machine "$T/args-inst")'"
	elif [ -n "$(no_qemu)" ]; then
		pass cross_installed_driver # built; running it is the cases' business
	elif ! out=$("$QEMU" "${QEMU_ARGS[@]}" "$T/args-inst" x 2>&1) ||
		! grep -qx 'argv\[1\]=\[x\] (1 bytes)' <<<"$out"; then
		fail cross_installed_driver "under qemu: '$(head -2 <<<"$out" | tr '\n' '|')'"
	else
		pass cross_installed_driver
	fi
}

# ------------------------------------------------------------------ WASI cases
# Under qemu-user 7.2 (Debian 12) openat2 and seccomp are ENOSYS: the runtime
# resolves every guest path with openat2, so a path call fails with ENOSYS
# there (closed, never unconfined), and the cases that open paths cannot agree.
# Which calls pass through is probed, not assumed.
PATH_CASES="files_in_granted_dir files_grant_default_guest_path files_ro_grant ranges_checked
	sock_calls_check_the_fd"

# A program under the emulator takes some 0.3 s (more on a busy machine) to
# reach main, so the data cases.sh sends 0.5 s after the start is not late
# enough for the guest to have to wait for it: these two cases, with the data
# 2 s late, on both machines.
# shellcheck disable=SC2317 # called by name
case_stdin_poll_late_data() { (sleep 2; echo hi) | run_prog stdin poll; }
# shellcheck disable=SC2317
case_stdin_read_late_data() { (sleep 2; echo hi) | run_prog stdin block; }

# probe: a small arm64 program run under the emulator; "SYSCALL errno" lines
probe_emulator() {
	cat >"$T/probe.c" <<-'EOF'
	#include <errno.h>
	#include <fcntl.h>
	#include <stdio.h>
	#include <string.h>
	#include <unistd.h>
	#include <linux/bpf.h>
	#include <linux/openat2.h>
	#include <sys/syscall.h>

	int main(void)
	{
		struct open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_BENEATH};
		union bpf_attr a;

		memset(&a, 0, sizeof(a));
		a.map_type = BPF_MAP_TYPE_ARRAY;
		a.key_size = 4;
		a.value_size = 4;
		a.max_entries = 1;
		a.map_name[0] = 'w';
		errno = 0;
		syscall(__NR_bpf, BPF_MAP_CREATE, &a, sizeof(a));
		printf("bpf %d\n", errno);
		errno = 0;
		syscall(__NR_openat2, AT_FDCWD, ".", &how, sizeof(how));
		printf("openat2 %d\n", errno);
		return 0;
	}
	EOF
	"$XCC" -O2 -o "$T/probe" "$T/probe.c" 2>"$T/probe.log" &&
		"$QEMU" "${QEMU_ARGS[@]}" "$T/probe" >"$T/probe.out" 2>>"$T/probe.log"
}

# errno_of CALL: the errno the probe saw for CALL (0: it worked), empty if unknown
errno_of() {
	sed -n "s/^$1 //p" "$T/probe.out" 2>/dev/null
}

ENOSYS=38

# run_machine NAME BUILD: one case, as cases.sh's run_case does, with the
# environment of a compiled program (MODE=aot) and the guests of BUILD (aot:
# this machine's, arm64: under the emulator).
run_machine() {
	W=$CACHE/run/$1.$2
	MODE=aot
	BIN=$CACHE/$2
	rm -rf "$W"
	mkdir -p "$W"
	: >"$W/problems"
	"case_$1" </dev/null
}

cross_case() {
	local name=$1 prog A X
	reasons=()
	if [ -n "$(no_qemu)" ]; then
		skip "cross_$name" "$(no_qemu)"
		return
	fi
	if in_list "$name" "$PATH_CASES" && [ "$(errno_of openat2)" = $ENOSYS ]; then
		skip "cross_$name" \
			"qemu-aarch64 $QEMU_VERSION returns ENOSYS for openat2, which every guest path goes through"
		return
	fi
	prog=$(case_prog "$name")
	if [ ! -x "$CACHE/aot/$prog" ] || [ ! -x "$CACHE/arm64-bin/$prog" ]; then
		fail "cross_$name" "guest $prog did not build for both machines (see stderr)"
		return
	fi
	run_machine "$name" aot
	X=$W
	run_machine "$name" arm64
	A=$W
	why_diff "exit code differs ($(cat "$X/exit") x86_64, $(cat "$A/exit") aarch64)" \
		"$X/exit" "$A/exit"
	why_diff "stdout differs" "$X/out" "$A/out"
	if in_list "$name" "$ERR_CASES"; then
		why_diff "stderr differs" "$X/err" "$A/err"
	fi
	why_diff "host-side findings differ" "$X/problems" "$A/problems"
	if [ ${#reasons[@]} -eq 0 ]; then
		pass "cross_$name"
	else
		fail "cross_$name" "$(IFS=';'; echo "${reasons[*]}")"
	fi
}

# ------------------------------------------------------------------ bootstrap
# The arm64 bootstrap under the emulator. Without bpf() there it must end on
# its own with the load's failure and an exit status, not a trap, a signal or
# a hang; with bpf() it must report a real exec.
check_bootstrap() {
	local b=$T/bootstrap-arm64 rc blocker
	if [ ! -e "$BOOT_WASM" ]; then
		fail cross_bootstrap_fails_closed_without_bpf "no $BOOT_WASM (make examples)"
		fail cross_bootstrap_exec "no $BOOT_WASM (make examples)"
		return
	fi
	if ! "$WASMBPF_AOT" --target aarch64 "$BOOT_WASM" -o "$b" 2>"$T/err" ||
		[ "$(elf_machine "$b")" != AArch64 ]; then
		fail cross_bootstrap_fails_closed_without_bpf "no arm64 build: $(head -1 "$T/err")"
		fail cross_bootstrap_exec "no arm64 build: $(head -1 "$T/err")"
		return
	fi
	if [ -n "$(no_qemu)" ]; then
		skip cross_bootstrap_fails_closed_without_bpf "$(no_qemu)"
		skip cross_bootstrap_exec "$(no_qemu)"
		return
	fi
	if [ -z "$(errno_of bpf)" ]; then
		fail cross_bootstrap_fails_closed_without_bpf \
			"the emulator probe did not run: $(head -1 "$T/probe.log")"
		fail cross_bootstrap_exec "the emulator probe did not run"
		return
	fi
	if [ "$(errno_of bpf)" = $ENOSYS ]; then
		timeout -k 5 60 "$QEMU" "${QEMU_ARGS[@]}" "$b" >"$T/boot.out" 2>"$T/boot.err"
		rc=$?
		if [ $rc -eq 0 ] || [ $rc -eq 124 ] || [ $rc -ge 125 ]; then
			fail cross_bootstrap_fails_closed_without_bpf \
				"exit $rc (want a failure status of the guest): $(head -1 "$T/boot.err")"
		elif ! grep -q '^bootstrap-arm64: bpf object rejected: \|Failed to load' "$T/boot.err"; then
			fail cross_bootstrap_fails_closed_without_bpf "stderr: '$(head -2 "$T/boot.err" | tr '\n' '|')'"
		else
			pass cross_bootstrap_fails_closed_without_bpf
		fi
		skip cross_bootstrap_exec \
			"qemu-aarch64 $QEMU_VERSION returns ENOSYS for bpf(): no BPF program can load under it"
		return
	fi
	skip cross_bootstrap_fails_closed_without_bpf "this emulator passes bpf() through"
	blocker=$(kernel_test_blocker)
	if [ -n "$blocker" ]; then
		skip cross_bootstrap_exec "$blocker"
		return
	fi
	bootstrap_sees_child cross_bootstrap_exec "$T" 400 "$QEMU" "${QEMU_ARGS[@]}" "$b"
}

# ------------------------------------------------------------------ main
t0=$(date +%s)
build_cross
echo "cross: guests built in $(($(date +%s) - t0)) s" >&2
[ -n "$(no_qemu)" ] || probe_emulator ||
	echo "cross: the emulator probe failed: $(head -3 "$T/probe.log")" >&2
[ -n "$(no_qemu)" ] ||
	echo "cross: qemu-aarch64 $QEMU_VERSION; errno: $(tr '\n' ' ' <"$T/probe.out" 2>/dev/null)" >&2
if [ $# -gt 0 ]; then
	for c in "$@"; do cross_case "$c"; done
	exit 0
fi
check_files
check_refusals
check_static
check_install
t0=$(date +%s)
for c in $CASES; do
	cross_case "$c"
done
echo "cross: cases in $(($(date +%s) - t0)) s" >&2
check_bootstrap
exit 0
