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
#   --oci-archive writes an OCI image that skopeo reads (architecture, the
#   program as entrypoint), the same bytes from two builds; unpacked by umoci,
#   its root file system is the program alone, and run as above it reports an
#   exec too.
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
	static_bootstrap_size static_bootstrap_empty_root oci_needs_static oci_archive_inspect
	oci_archive_reproducible oci_archive_unpacked_runs)

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

# ------------------------------------------------------------------ the OCI image
if "$AOT" --oci-archive "$T/x.tar" "$T/hello.wasm" -o "$T/x" >/dev/null 2>"$T/err"; then
	fail oci_needs_static "--oci-archive without --static was accepted"
elif [ $? -ne 2 ] || ! grep -q -- '--oci-archive needs --static' "$T/err" || [ -e "$T/x.tar" ]; then
	fail oci_needs_static "stderr: $(head -c 200 "$T/err")"
else
	pass oci_needs_static
fi
mkdir -p "$T/oci1" "$T/oci2"
oci_built=0
if (cd "$T/oci1" && "$AOT" --static --strip --oci-archive bootstrap.tar \
	"$EX/bootstrap/bootstrap.wasm" -o bootstrap) 2>"$T/err" &&
	(cd "$T/oci2" && cp "$EX/bootstrap/bootstrap.wasm" . && "$AOT" --no-cache --static --strip \
		--oci-archive "$T/oci2/bootstrap.tar" bootstrap.wasm -o "$T/oci2/bootstrap") 2>>"$T/err"; then
	oci_built=1
fi
if [ $oci_built -ne 1 ]; then
	fail oci_archive_inspect "--oci-archive build failed: $(head -1 "$T/err")"
	fail oci_archive_reproducible "--oci-archive build failed"
elif ! command -v skopeo >/dev/null; then
	skip oci_archive_inspect "no skopeo (scripts/install-deps.sh installs it)"
else
	cfg=$(skopeo inspect --config "oci-archive:$T/oci1/bootstrap.tar" 2>"$T/err" | tr -d ' \n')
	want_arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
	if [[ $cfg == *'"Entrypoint":["/bootstrap"]'* ]] && [[ $cfg == *"\"architecture\":\"$want_arch\""* ]]; then
		pass oci_archive_inspect
	else
		fail oci_archive_inspect "skopeo: ${cfg:0:300} $(head -c 200 "$T/err")"
	fi
fi
if [ $oci_built -eq 1 ]; then
	if cmp -s "$T/oci1/bootstrap.tar" "$T/oci2/bootstrap.tar"; then
		pass oci_archive_reproducible
	else
		fail oci_archive_reproducible "two builds of one module gave different archives"
	fi
fi

blocker=$(kernel_test_blocker)
[ -n "$blocker" ] || command -v unshare >/dev/null || blocker="no unshare (util-linux)"
if [ -n "$blocker" ]; then
	skip static_bootstrap_empty_root "$blocker"
	skip oci_archive_unpacked_runs "$blocker"
	exit 0
fi
# run_root NAME ROOT PROG: run /PROG chrooted in ROOT (which must hold only it,
# and the proc and sys mount points) in a private mount namespace with proc,
# sysfs and tracefs mounted; it must report the exec of a probe this script
# runs outside, and leave ROOT as it was.
run_root() {
	local name=$1 root=$2 prog=$3 pid started=0 probe leftover
	# a program with a name no one else runs: its exec is what bootstrap must see
	probe=$T/wbpf-ship-probe-$$
	cp /bin/true "$probe"
	unshare -m sh -c '
		mount --make-rprivate / &&
		mount -t proc proc "$1/proc" &&
		mount -t sysfs sysfs "$1/sys" &&
		{ mount -t tracefs tracefs "$1/sys/kernel/tracing" 2>/dev/null || true; } &&
		exec chroot "$1" "/$2"' sh "$root" "$prog" >"$T/$name.out" 2>"$T/$name.err" &
	pid=$!
	for _ in $(seq 1 100); do
		if grep -q '^TIME' "$T/$name.out" 2>/dev/null; then
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
	rm -f "$probe"
	leftover=$(ls -A "$root" | sort | tr '\n' ' ')
	if [ $started -ne 1 ]; then
		fail "$name" "no header line; stderr: $(head -c 300 "$T/$name.err")"
	elif ! grep -q "EXEC  *wbpf-ship-probe.* $probe\$" "$T/$name.out"; then
		fail "$name" "the probe's exec was not reported; stdout: $(head -c 300 "$T/$name.out")"
	elif [ "$leftover" != "$prog proc sys " ]; then
		fail "$name" "the root holds more than the program: $leftover"
	else
		pass "$name"
	fi
}

# the root: the binary and two empty mount points, nothing else
R=$T/root
mkdir -p "$R/proc" "$R/sys"
cp "$BS" "$R/bootstrap"
run_root static_bootstrap_empty_root "$R" bootstrap

# the image, unpacked as a container runtime would, with its mount points added
if [ $oci_built -ne 1 ]; then
	fail oci_archive_unpacked_runs "no archive"
elif ! command -v umoci >/dev/null; then
	skip oci_archive_unpacked_runs "no umoci (scripts/install-deps.sh installs it)"
else
	mkdir -p "$T/layout"
	if tar -xf "$T/oci1/bootstrap.tar" -C "$T/layout" &&
		umoci unpack --image "$T/layout:latest" "$T/bundle" >"$T/err" 2>&1; then
		if ! cmp -s "$T/bundle/rootfs/bootstrap" "$T/oci1/bootstrap"; then
			fail oci_archive_unpacked_runs "the unpacked /bootstrap differs from the build's"
		elif [ "$(ls -A "$T/bundle/rootfs")" != bootstrap ]; then
			fail oci_archive_unpacked_runs "the image holds more: $(ls -A "$T/bundle/rootfs" | tr '\n' ' ')"
		else
			mkdir -p "$T/bundle/rootfs/proc" "$T/bundle/rootfs/sys"
			run_root oci_archive_unpacked_runs "$T/bundle/rootfs" bootstrap
		fi
	else
		fail oci_archive_unpacked_runs "umoci unpack failed: $(head -c 300 "$T/err")"
	fi
fi
exit 0
