#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Trixie tier: the project on Debian 13's toolchain (wabt 1.0.36, libbpf 1.5,
# clang 19, gcc 14) in a debootstrapped root (scripts/trixie-root.sh, cached
# outside the tree): build there, run the unit, wasi, driver, diff, abi, hostile and bpf
# tiers there (the kernel is shared, so BPF is real), and run modules built by
# each distribution's clang and wasi-libc under the other's runtime build.
# Inner results come out as "trixie/NAME". Not in the default tier list
# (`make test-trixie`; CI runs it after `make test`).
set -u
. "$(dirname "$0")/../lib.sh"
cd "$WBPF_TOP"
TESTS=(trixie_root trixie_build trixie_tiers trixie_wasm_on_bookworm_runtime
	bookworm_wasm_on_trixie_runtime)
INNER_TIERS=${WBPF_TRIXIE_TIERS:-unit wasi driver diff abi hostile bpf ship}

[ "$(id -u)" -eq 0 ] || skip_all "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || skip_all "debootstrap missing (scripts/install-deps.sh)"
command -v unshare >/dev/null || skip_all "unshare missing (util-linux)"
[ -x "$WBPF_BUILD/bin/wasmbpf-aot" ] || fail_all "no $WBPF_BUILD/bin/wasmbpf-aot: run make all"

D=$WBPF_TMP/trixie
rm -rf "$D"
mkdir -p "$D"
t0=$(date +%s)
if ! ROOT=$(scripts/trixie-root.sh 2>"$D/root.log"); then
	fail_all "cannot set up the Debian 13 root: $(tail -n 1 "$D/root.log")"
fi
pass trixie_root
echo "trixie: root ready in $(($(date +%s) - t0)) s" >&2
inroot() { scripts/trixie-root.sh run "$@"; }

# This tree's sources, in a folder of the root that is this tree's alone.
if ! SRC=$(scripts/trixie-root.sh sync 2>"$D/sync.log"); then
	fail_all "cannot copy the sources into the root: $(tail -n 1 "$D/sync.log")"
fi
t0=$(date +%s)
if inroot sh -c "cd $SRC && make -j2 all" >"$D/build.log" 2>&1; then
	pass trixie_build
else
	fail trixie_build "make all failed: $(grep -m1 -i 'error' "$D/build.log")"
	for t in "${TESTS[@]:2}"; do fail "$t" "no build"; done
	exit 1
fi
echo "trixie: build in $(($(date +%s) - t0)) s" >&2

t0=$(date +%s)
inroot sh -c "cd $SRC && tests/run.sh $INNER_TIERS" >"$D/tiers.out" 2>"$D/tiers.err"
rc=$?
grep -E '^(PASS|FAIL|SKIP) ' "$D/tiers.out" | sed 's#^\(PASS\|FAIL\|SKIP\) #\1 trixie/#'
summary=$(tail -n 1 "$D/tiers.out")
echo "trixie: tiers in $(($(date +%s) - t0)) s: $summary" >&2
if [ "$rc" -eq 0 ]; then
	pass trixie_tiers
else
	fail trixie_tiers "$summary (details: $D/tiers.err)"
fi

# One guest source, built by each toolchain, compiled by the other's driver.
# (their files inside the root in this tree's folder, RT)
RT=$SRC/build/cross-tmp
mkdir -p "$ROOT$RT"
cp tests/trixie/cross.c "$ROOT$RT/cross.c"
inroot clang --target=wasm32-wasi -O2 -o "$RT/cross-13.wasm" "$RT/cross.c" \
	>"$D/cc13.log" 2>&1
guest_cc tests/trixie/cross.c "$D/cross-12.wasm" 2>"$D/cc12.log"

cross_run() { # NAME WHERE(host|root) WASM
	local name=$1 where=$2 wasm=$3 out rc
	if [ ! -s "$wasm" ] && [ ! -s "$ROOT$wasm" ]; then
		fail "$name" "the guest did not build"
		return
	fi
	if [ "$where" = host ]; then
		"$WASMBPF_AOT" "$wasm" -o "$D/$name" 2>"$D/$name.log" &&
			out=$("$D/$name" 2.5 c b a 1 3 2>"$D/$name.err")
		rc=$?
	else
		cp "$wasm" "$ROOT$RT/$name.wasm"
		inroot "$SRC/build/bin/wasmbpf-aot" "$RT/$name.wasm" -o "$RT/$name" \
			2>"$D/$name.log" && out=$(inroot "$RT/$name" 2.5 c b a 1 3 2>"$D/$name.err")
		rc=$?
	fi
	want_sorted=$(printf '1 2.5 3 a b c\nsum 6.500\n')
	if [ "$rc" -eq 7 ] && [ "$out" = "$want_sorted" ] && grep -qx 'to stderr' "$D/$name.err"; then
		pass "$name"
	else
		fail "$name" "exit $rc, output '$(echo "$out" | head -n 1)' $(head -n 1 "$D/$name.log")"
	fi
}
cross_run trixie_wasm_on_bookworm_runtime host "$ROOT$RT/cross-13.wasm"
cross_run bookworm_wasm_on_trixie_runtime root "$D/cross-12.wasm"
exit 0
