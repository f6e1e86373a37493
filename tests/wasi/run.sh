#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# WASI tier: guest programs (tests/wasi/*.c) built to wasm, compiled with
# wasmbpf-aot and run; stdout, exit code (and stderr where it matters) must
# match tests/wasi/golden, and, for the guests that make sense natively, what
# the same program built with cc does. Some cases also check the host side
# (files the guest wrote, directories it must not have touched).
#   tests/run.sh wasi                 every case
#   tests/wasi/run.sh [CASE...]       some cases (env defaults as tests/run.sh's)
# Goldens: tests/wasi/regen-golden.sh.
set -u
export WBPF_TOP=${WBPF_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export WBPF_BUILD=${WBPF_BUILD:-$WBPF_TOP/build}
export WASMBPF_AOT=${WASMBPF_AOT:-$WBPF_BUILD/bin/wasmbpf-aot}
export WBPF_TMP=${WBPF_TMP:-$WBPF_BUILD/test-tmp}
. "$WBPF_TOP/tests/lib.sh"
. "$WBPF_TOP/tests/wasi/cases.sh"

check_case() {
	local name=$1 prog r g
	reasons=()
	prog=$(case_prog "$name")
	if [ ! -x "$CACHE/aot/$prog" ]; then
		fail "$name" "guest $prog did not build with wasmbpf-aot (see stderr)"
		return
	fi
	if [ ! -e "$GOLDEN/$name.out" ] || [ ! -e "$GOLDEN/$name.exit" ] ||
	   { in_list "$name" "$ERR_CASES" && [ ! -e "$GOLDEN/$name.err" ]; }; then
		fail "$name" "no golden file (tests/wasi/regen-golden.sh)"
		return
	fi
	run_case "$name" aot
	local A=$W
	r=$(cat "$A/exit")
	g=$(cat "$GOLDEN/$name.exit")
	[ "$r" = "$g" ] || reasons+=("exit $r, golden $g")
	why_diff "stdout differs from golden" "$GOLDEN/$name.out" "$A/out"
	if in_list "$name" "$ERR_CASES"; then
		why_diff "stderr differs from golden" "$GOLDEN/$name.err" "$A/err"
	fi
	while IFS= read -r l; do reasons+=("$l"); done <"$A/problems"

	if in_list "$name" "$NATIVE_CASES"; then
		if [ ! -x "$CACHE/native/$prog" ]; then
			reasons+=("native $prog did not build")
		else
			run_case "$name" native
			local N=$W
			[ "$(cat "$N/exit")" = "$r" ] || reasons+=("exit $r, native $(cat "$N/exit")")
			why_diff "stdout differs from native" "$N/out" "$A/out"
			if in_list "$name" "$ERR_CASES"; then
				why_diff "stderr differs from native" "$N/err" "$A/err"
			fi
			while IFS= read -r l; do reasons+=("native: $l"); done <"$N/problems"
		fi
	fi
	if [ ${#reasons[@]} -gt 0 ] && [ -s "$A/err" ]; then
		echo "--- $name: stderr of the AOT run:" >&2
		head -20 "$A/err" >&2
	fi
	if [ ${#reasons[@]} -eq 0 ]; then
		pass "$name"
	else
		local why
		why=$(printf '%s; ' "${reasons[@]}")
		fail "$name" "${why%; }"
	fi
}

if [ ! -x "$WASMBPF_AOT" ]; then
	for c in ${*:-$CASES}; do
		fail "$c" "no $WASMBPF_AOT"
	done
	exit 0
fi
build_all
for c in ${*:-$CASES}; do
	check_case "$c"
done
exit 0
