#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Differential tier: the two engines must agree. Every case of the WASI tier
# (tests/wasi/cases.sh: same guests, same cases, same host-side checks) runs
# once with the program wasmbpf-aot compiled and once as
# `wasmbpf-run PROG.wasm ARGS...`; stdout, stderr (trap lines included), exit
# code and the host-side findings must be the same, byte for byte. Then, as
# root, the bootstrap example runs under wasmbpf-run: it must report the exec
# and the exit of a process this script starts, and end with exit 0 on SIGINT.
#   tests/run.sh diff                 everything
#   tests/diff/run.sh [CASE...]       some WASI cases (env defaults as tests/run.sh's)
# Builds go to $WBPF_TMP/diff. wasmbpf-run: $WASMBPF_RUN or $WBPF_BUILD/bin/wasmbpf-run.
set -u
export WBPF_TOP=${WBPF_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export WBPF_BUILD=${WBPF_BUILD:-$WBPF_TOP/build}
export WASMBPF_AOT=${WASMBPF_AOT:-$WBPF_BUILD/bin/wasmbpf-aot}
export WBPF_TMP=${WBPF_TMP:-$WBPF_BUILD/test-tmp}
. "$WBPF_TOP/tests/lib.sh"
. "$WBPF_TOP/tests/wasi/cases.sh"

RUN=${WASMBPF_RUN:-$WBPF_BUILD/bin/wasmbpf-run}
BOOT_WASM=${WBPF_BOOTSTRAP_WASM:-$WBPF_BUILD/examples/bootstrap/bootstrap.wasm}
# cases.sh builds and runs under $CACHE: this tier's own folder
CACHE=$WBPF_TMP/diff

CLI_TESTS="interp_help interp_usage_error interp_unsupported_import interp_not_wasm"
# shellcheck disable=SC2086 # CASES is a list of words
read -r -a TESTS <<<"$(printf 'diff_%s ' $CASES) $CLI_TESTS bootstrap_interp_exec_exit"
if [ $# -gt 0 ]; then
	read -r -a TESTS <<<"$(printf 'diff_%s ' "$@")"
fi

[ -x "$RUN" ] || skip_all "no $RUN (make interp)"
[ -x "$WASMBPF_AOT" ] || fail_all "no $WASMBPF_AOT (make driver)"

mkdir -p "$CACHE/interp"

# The interpreter's "build" of a guest: a script that runs wasmbpf-run on its
# .wasm, so that a case runs `$BIN/PROG ARGS...` the same way for both engines
# (exec: signals the case sends reach wasmbpf-run itself).
make_interp() {
	local p=$1
	[ -e "$CACHE/wasm/$p.wasm" ] || return 1
	printf '#!/bin/sh\nexec %q %q "$@"\n' "$RUN" "$CACHE/wasm/$p.wasm" >"$CACHE/interp/$p"
	chmod +x "$CACHE/interp/$p"
}

# Build the guests (wasm, then wasmbpf-aot), cached by cases.sh's keys.
build_diff() {
	local jobs=$(($(nproc) * 2)) p
	for p in $PROGS_BOTH $PROGS_WASM; do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
		(build_one wasm "$p" && build_one aot "$p" && make_interp "$p") &
	done
	wait
}

# run_engine NAME ENGINE: one case, as cases.sh's run_case does, with the
# environment of a compiled program (MODE=aot: grants through WASMBPF_*).
run_engine() {
	W=$CACHE/run/$1.$2
	MODE=aot
	BIN=$CACHE/$2
	rm -rf "$W"
	mkdir -p "$W"
	: >"$W/problems"
	"case_$1" </dev/null
}

diff_case() {
	local name=$1 prog A I
	reasons=()
	prog=$(case_prog "$name")
	if [ ! -x "$CACHE/aot/$prog" ] || [ ! -x "$CACHE/interp/$prog" ]; then
		fail "diff_$name" "guest $prog did not build (see stderr)"
		return
	fi
	run_engine "$name" aot
	A=$W
	run_engine "$name" interp
	I=$W
	why_diff "exit code differs ($(cat "$A/exit") aot, $(cat "$I/exit") interp)" \
		"$A/exit" "$I/exit"
	why_diff "stdout differs" "$A/out" "$I/out"
	why_diff "stderr differs" "$A/err" "$I/err"
	why_diff "host-side findings differ" "$A/problems" "$I/problems"
	if [ ${#reasons[@]} -eq 0 ]; then
		pass "diff_$name"
	else
		fail "diff_$name" "$(IFS=';'; echo "${reasons[*]}")"
	fi
}

# ------------------------------------------------------------------ wasmbpf-run itself
# help, usage error, modules it must refuse
check_cli() {
	local T=$CACHE/cli rc lines
	rm -rf "$T"
	mkdir -p "$T"

	"$RUN" -h >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -ne 0 ] || ! head -1 "$T/out" | grep -q '^Usage: wasmbpf-run .*PROG.wasm' ||
	   [ -s "$T/err" ]; then
		fail interp_help "exit $rc, stdout '$(head -1 "$T/out")', stderr '$(head -c 200 "$T/err")'"
	else
		pass interp_help
	fi

	"$RUN" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -ne 2 ] || [ "$(tail -1 "$T/err")" != "Try 'wasmbpf-run --help'." ] ||
	   [ -s "$T/out" ]; then
		fail interp_usage_error "exit $rc (want 2), stderr '$(head -c 200 "$T/err")'"
	else
		pass interp_usage_error
	fi

	# a guest importing a function no runtime serves: refused before it runs,
	# one line naming the import, exit 1; wasmbpf-aot refuses it alike
	printf '%s\n' '__attribute__((import_module("env"), import_name("nope"))) void nope(int);' \
		'int main(void) { nope(1); return 0; }' >"$T/unsup.c"
	if ! guest_cc "$T/unsup.c" "$T/unsup.wasm" 2>"$T/cc.err"; then
		cat "$T/cc.err" >&2
		fail interp_unsupported_import "cannot build the guest"
	else
		"$RUN" "$T/unsup.wasm" >"$T/out" 2>"$T/err"
		rc=$?
		lines=$(wc -l <"$T/err")
		"$WASMBPF_AOT" "$T/unsup.wasm" -o "$T/unsup" >/dev/null 2>"$T/aot.err"
		if [ $rc -ne 1 ] || [ "$lines" != 1 ] || [ -s "$T/out" ] ||
		   [ "$(cat "$T/err")" != "wasmbpf-run: $T/unsup.wasm: unsupported import 'env.nope'" ]; then
			fail interp_unsupported_import "exit $rc (want 1), stderr '$(head -c 300 "$T/err")'"
		elif ! grep -q "unsupported import 'env.nope'" "$T/aot.err"; then
			fail interp_unsupported_import "wasmbpf-aot does not refuse it alike: '$(head -c 300 "$T/aot.err")'"
		else
			pass interp_unsupported_import
		fi
	fi

	printf 'not a wasm module\n' >"$T/bad.wasm"
	"$RUN" "$T/bad.wasm" >"$T/out" 2>"$T/err"
	rc=$?
	lines=$(wc -l <"$T/err")
	if [ $rc -ne 1 ] || [ "$lines" != 1 ] || ! grep -q "^wasmbpf-run: $T/bad.wasm: " "$T/err"; then
		fail interp_not_wasm "exit $rc (want 1), stderr '$(head -c 300 "$T/err")'"
	else
		pass interp_not_wasm
	fi
}

# ------------------------------------------------------------------ bootstrap
bootstrap_interp() {
	local t=bootstrap_interp_exec_exit T=$CACHE/boot
	need_root $t || return 0
	if [ ! -e "$BOOT_WASM" ]; then
		fail $t "no $BOOT_WASM (make examples)"
		return
	fi
	if [ ! -r /sys/kernel/btf/vmlinux ]; then
		skip $t "kernel has no BTF (/sys/kernel/btf/vmlinux)"
		return
	fi
	if ! mount_tracefs; then
		skip $t "no tracefs (mount -t tracefs tracefs /sys/kernel/tracing failed)"
		return
	fi
	rm -rf "$T"
	mkdir -p "$T"
	bootstrap_sees_child $t "$T" 200 "$RUN" "$BOOT_WASM"
}

# ------------------------------------------------------------------ main
build_diff
if [ $# -gt 0 ]; then
	for c in "$@"; do diff_case "$c"; done
	exit 0
fi
for c in $CASES; do
	diff_case "$c"
done
check_cli
bootstrap_interp
