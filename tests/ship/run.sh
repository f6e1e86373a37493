#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Tier "ship": what a user who ships prebuilt tools gets.
#   --static gives one self-contained executable: `file` says statically
#   linked, it needs no loader and no library, it prints what the dynamic build
#   prints, and static builds are reproducible too. The stripped static
#   bootstrap is at most 1.5 MB.
#   The static bootstrap runs as root inside an empty root file system that
#   holds only itself (proc, sysfs and tracefs mounted in a private mount
#   namespace) and reports an exec this script causes outside it.
# Where this system's archives cannot link statically (wasmbpf-aot --version
# says so), --static must refuse with one line and no output file, and the
# rest is skipped by name.
set -u
. "$WBPF_TOP/tests/lib.sh"

T=$WBPF_TMP/ship
EX=$WBPF_BUILD/examples
AOT=$WASMBPF_AOT
MAX_STATIC_BOOTSTRAP=1572864 # 1.5 MiB
TESTS=(static_refused_cleanly static_is_static static_runs_like_dynamic static_reproducible
	static_bootstrap_size static_bootstrap_empty_root)

rm -rf "$T"
mkdir -p "$T/tmp"
export TMPDIR=$T/tmp

# a WASI guest with output, arguments and an exit code
cat >"$T/hello.c" <<'EOF'
#include <stdio.h>
int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("arg %d: %s\n", i, argv[i]);
	return 3;
}
EOF
if ! guest_cc "$T/hello.c" "$T/hello.wasm" 2>"$T/err"; then
	fail_all "cannot build the guest: $(head -1 "$T/err")"
fi

if "$AOT" --version | grep -q '^links with --static: not available'; then
	# the refusal: one line, exit 1, no output file
	"$AOT" --static "$T/hello.wasm" -o "$T/hello-static" 2>"$T/err"
	rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
		grep -q -- '--static' "$T/err" && [ ! -e "$T/hello-static" ]; then
		pass static_refused_cleanly
	else
		fail static_refused_cleanly "exit $rc, stderr: $(head -c 300 "$T/err")"
	fi
	for t in "${TESTS[@]:1}"; do
		skip "$t" "this system's libbpf, libelf or zlib archives do not link statically"
	done
	exit 0
fi
skip static_refused_cleanly "--static is available here"

# ------------------------------------------------------------------ a static WASI program
if ! "$AOT" --static "$T/hello.wasm" -o "$T/hello-static" 2>"$T/err"; then
	fail_all "--static build failed: $(head -3 "$T/err")"
fi
"$AOT" "$T/hello.wasm" -o "$T/hello-dynamic" 2>"$T/err" || fail_all "dynamic build failed"

info=$(file -b "$T/hello-static")
interp=$(readelf -l "$T/hello-static" 2>/dev/null | grep -c 'Requesting program interpreter')
needed=$(readelf -d "$T/hello-static" 2>/dev/null | grep -c '(NEEDED)')
if [[ $info == *"statically linked"* ]] && [ "$interp" -eq 0 ] && [ "$needed" -eq 0 ]; then
	pass static_is_static
else
	fail static_is_static "file: $info; interpreter lines $interp, NEEDED entries $needed"
fi

# the same argv[0] for both
mkdir -p "$T/s" "$T/d"
cp "$T/hello-static" "$T/s/hello"
cp "$T/hello-dynamic" "$T/d/hello"
(cd "$T/s" && ./hello a 'b c') >"$T/static.out" 2>&1
rs=$?
(cd "$T/d" && ./hello a 'b c') >"$T/dynamic.out" 2>&1
rd=$?
if [ $rs -eq 3 ] && [ $rd -eq 3 ] && cmp -s "$T/static.out" "$T/dynamic.out" &&
	grep -qx 'arg 2: b c' "$T/static.out"; then
	pass static_runs_like_dynamic
else
	fail static_runs_like_dynamic "exit $rs (static) / $rd (dynamic); outputs: $(tr '\n' '|' <"$T/static.out") vs $(tr '\n' '|' <"$T/dynamic.out")"
fi

mkdir -p "$T/other"
if (cd "$T/other" && cp "$T/hello.wasm" . &&
	"$AOT" --no-cache --static hello.wasm -o hello-static) 2>"$T/err" &&
	cmp -s "$T/hello-static" "$T/other/hello-static"; then
	pass static_reproducible
else
	fail static_reproducible "a second --static build elsewhere differs or failed: $(head -1 "$T/err")"
fi

# ------------------------------------------------------------------ the static bootstrap
BS=$T/bootstrap
if ! "$AOT" --static --strip "$EX/bootstrap/bootstrap.wasm" -o "$BS" 2>"$T/err"; then
	fail static_bootstrap_size "build failed: $(head -1 "$T/err")"
	fail static_bootstrap_empty_root "build failed"
	exit 0
fi
size=$(stat -c %s "$BS")
if [ "$size" -le $MAX_STATIC_BOOTSTRAP ]; then
	pass static_bootstrap_size
else
	fail static_bootstrap_size "$size bytes stripped, goal at most $MAX_STATIC_BOOTSTRAP"
fi
echo "static bootstrap (--static --strip): $size bytes" >&2

blocker=$(kernel_test_blocker)
if [ -n "$blocker" ]; then
	skip static_bootstrap_empty_root "$blocker"
	exit 0
fi
if ! command -v unshare >/dev/null; then
	skip static_bootstrap_empty_root "no unshare (util-linux)"
	exit 0
fi
# the root: the binary and three empty mount points, nothing else
R=$T/root
mkdir -p "$R/proc" "$R/sys"
cp "$BS" "$R/bootstrap"
# a program with a name no one else runs: its exec is what bootstrap must see
probe=$T/wbpf-ship-probe-$$
cp /bin/true "$probe"
unshare -m sh -c '
	mount --make-rprivate / &&
	mount -t proc proc "$1/proc" &&
	mount -t sysfs sysfs "$1/sys" &&
	{ mount -t tracefs tracefs "$1/sys/kernel/tracing" 2>/dev/null || true; } &&
	exec chroot "$1" /bootstrap' sh "$R" >"$T/root.out" 2>"$T/root.err" &
pid=$!
started=0
for _ in $(seq 1 100); do
	if grep -q '^TIME' "$T/root.out" 2>/dev/null; then
		started=1
		break
	fi
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
for _ in 1 2 3; do
	"$probe"
	sleep 0.3
done
kill -INT $pid 2>/dev/null
for _ in $(seq 1 30); do
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
leftover=$(ls -A "$R" | sort | tr '\n' ' ')
if [ $started -ne 1 ]; then
	fail static_bootstrap_empty_root "no header line; stderr: $(head -c 300 "$T/root.err")"
elif ! grep -q "EXEC  *wbpf-ship-probe.* $probe\$" "$T/root.out"; then
	fail static_bootstrap_empty_root "the probe's exec was not reported; stdout: $(head -c 300 "$T/root.out")"
elif [ "$leftover" != "bootstrap proc sys " ]; then
	fail static_bootstrap_empty_root "the root holds more than the binary: $leftover"
else
	pass static_bootstrap_empty_root
fi
rm -f "$probe"
exit 0
