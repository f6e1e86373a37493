#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Regenerate tests/wasi/golden from the AOT binaries:
#   tests/wasi/regen-golden.sh [CASE...]
# Uses the same builds and cases as tests/wasi/run.sh (env as tests/run.sh:
# WBPF_BUILD, WASMBPF_AOT, WBPF_TMP). Prints, for each case, what was written
# and any disagreement with the native build or host-side check: a golden
# must show correct behaviour, so read every changed golden before keeping it
# (git diff tests/wasi/golden).
set -u
cd "$(dirname "$0")/../.."
export WBPF_TOP=$PWD
export WBPF_BUILD=${WBPF_BUILD:-$PWD/build}
export WASMBPF_AOT=${WASMBPF_AOT:-$WBPF_BUILD/bin/wasmbpf-aot}
export WBPF_TMP=${WBPF_TMP:-$WBPF_BUILD/test-tmp}
. tests/lib.sh
. tests/wasi/cases.sh

if [ ! -x "$WASMBPF_AOT" ]; then
	echo "regen-golden: no $WASMBPF_AOT (build it first)" >&2
	exit 1
fi
build_all
mkdir -p "$GOLDEN"
status=0
for name in ${*:-$CASES}; do
	prog=$(case_prog "$name")
	if [ ! -x "$CACHE/aot/$prog" ]; then
		echo "regen-golden: $name: guest $prog did not build, golden left alone" >&2
		status=1
		continue
	fi
	run_case "$name" aot
	A=$W
	cp "$A/out" "$GOLDEN/$name.out"
	cp "$A/exit" "$GOLDEN/$name.exit"
	written="$name.out $name.exit"
	if in_list "$name" "$ERR_CASES"; then
		cp "$A/err" "$GOLDEN/$name.err"
		written="$written $name.err"
	fi
	echo "wrote $written (exit $(cat "$A/exit"))"
	while IFS= read -r l; do
		echo "  warning: $l"
		status=1
	done <"$A/problems"
	if in_list "$name" "$NATIVE_CASES" && [ -x "$CACHE/native/$prog" ]; then
		run_case "$name" native
		cmp -s "$W/out" "$A/out" || { echo "  warning: stdout differs from native"; status=1; }
		cmp -s "$W/exit" "$A/exit" ||
			{ echo "  warning: exit $(cat "$A/exit"), native $(cat "$W/exit")"; status=1; }
	fi
done
# with no case named, drop the goldens of cases that no longer exist
if [ $# -eq 0 ]; then
	for f in "$GOLDEN"/*; do
		n=$(basename "$f")
		n=${n%.*}
		if ! in_list "$n" "$CASES"; then
			echo "removed stale golden/$(basename "$f")"
			rm -f "$f"
		fi
	done
fi
exit $status
