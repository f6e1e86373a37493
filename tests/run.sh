#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs every test tier (or the tiers named) and prints one closing line:
#   N passed, N failed, N skipped
# Each tier is tests/TIER/run.sh; it prints one line a test:
#   PASS name | FAIL name: why | SKIP name: why
# and nothing else on stdout (details go to stderr). Exit 1 if any test failed
# or a tier script itself failed without reporting.
set -u
cd "$(dirname "$0")/.."
export WBPF_TOP=$PWD
export WBPF_BUILD=${WBPF_BUILD:-$PWD/build}
export WASMBPF_AOT=${WASMBPF_AOT:-$WBPF_BUILD/bin/wasmbpf-aot}
export WBPF_TMP=${WBPF_TMP:-$WBPF_BUILD/test-tmp}
# The driver's build cache, kept apart from the user's.
export WASMBPF_AOT_CACHE=$WBPF_TMP/aot-cache
mkdir -p "$WBPF_TMP"

tiers=("$@")
[ ${#tiers[@]} -gt 0 ] || tiers=(unit docs driver wasi diff cross abi hostile fuzz skel sdk bpf compat examples ship)

# A sanitizer build (make test SANITIZE=...): the host code of every program
# the tiers compile is built with the same sanitizers (the driver links with
# $CC), a report ends the program, and the tiers that exercise the host code
# are the default. Leaks are not reported: a program ends with exit() from
# inside the guest by design (the unit tier checks its own for leaks).
if [ -n "${WBPF_SANITIZE:-}" ]; then
	export CC="${CC:-cc} -fsanitize=$WBPF_SANITIZE -fno-omit-frame-pointer -fno-sanitize-recover=all"
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0:exitcode=86}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}
	[ $# -gt 0 ] || tiers=(unit driver wasi diff abi hostile)
	echo "sanitizer build ($WBPF_SANITIZE): $WBPF_BUILD"
fi

pass=0 fail=0 skip=0
failed=() skipped=()
for tier in "${tiers[@]}"; do
	script=tests/$tier/run.sh
	if [ ! -x "$script" ]; then
		echo "FAIL $tier: no runnable $script"
		fail=$((fail + 1)); failed+=("$tier")
		continue
	fi
	echo "== $tier"
	out=$(mktemp)
	"$script" > >(tee "$out") 
	rc=$?
	wait
	p=$(grep -c '^PASS ' "$out"); f=$(grep -c '^FAIL ' "$out"); s=$(grep -c '^SKIP ' "$out")
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	while IFS= read -r l; do failed+=("$tier/${l#FAIL }"); done < <(grep '^FAIL ' "$out")
	while IFS= read -r l; do skipped+=("$tier/${l#SKIP }"); done < <(grep '^SKIP ' "$out")
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $tier: runner exited $rc without naming a failed test"
		fail=$((fail + 1)); failed+=("$tier: runner exited $rc")
	fi
	rm -f "$out"
done

echo
if [ ${#skipped[@]} -gt 0 ]; then
	echo "skipped:"; printf '  %s\n' "${skipped[@]}"
fi
if [ ${#failed[@]} -gt 0 ]; then
	echo "failed:"; printf '  %s\n' "${failed[@]}"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
